import * as fs from "node:fs";
import * as path from "node:path";
import * as ts from "typescript";

// `npm test` prints jest's report and nothing else: a console call in a test or its harness ends
// up between the results (jest prints it with a stack), where nobody reads it and real warnings
// drown. What a test learns goes into its assertions. Code that a test writes out for a child
// process (a template string) is text here, not a call, so it is not counted. Left out: scripts
// run on their own, whose output is their purpose.

const ROOT = path.join(__dirname, "..", "..");
const RUN_ON_THEIR_OWN = new Set([
  "tests/soak/cli.ts", // `npm run soak`
  "tests/reliability/sharedApiKeyFigures.ts", // figures run by hand, not part of npm test (its testMatch)
]);

function tsFilesUnder(dir: string): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const full = path.join(dir, e.name);
    if (e.isDirectory()) return e.name === "node_modules" || e.name === "fixtures" ? [] : tsFilesUnder(full);
    return e.name.endsWith(".ts") && !e.name.endsWith(".d.ts") ? [full] : [];
  });
}

/** `console.<method>(` calls in a TypeScript source, as "file:line console.method". */
function consoleCalls(file: string, text: string): string[] {
  const source = ts.createSourceFile(file, text, ts.ScriptTarget.ES2022, true);
  const found: string[] = [];
  const visit = (node: ts.Node): void => {
    if (
      ts.isCallExpression(node) &&
      ts.isPropertyAccessExpression(node.expression) &&
      ts.isIdentifier(node.expression.expression) &&
      node.expression.expression.text === "console"
    ) {
      const line = source.getLineAndCharacterOfPosition(node.getStart()).line + 1;
      found.push(`${file}:${line} console.${node.expression.name.text}`);
    }
    ts.forEachChild(node, visit);
  };
  visit(source);
  return found;
}

test("no test or harness file writes to the console", () => {
  const files = tsFilesUnder(path.join(ROOT, "tests"))
    .map((f) => path.relative(ROOT, f).split(path.sep).join("/"))
    .filter((f) => !RUN_ON_THEIR_OWN.has(f));
  expect(files.length).toBeGreaterThan(50);
  expect(files.flatMap((f) => consoleCalls(f, fs.readFileSync(path.join(ROOT, f), "utf8")))).toEqual([]);
});

test("the check finds a console call, but not one inside code written out for a child process", () => {
  const text = ["const x = 1;", "console.log(`x = ${x}`);", "const child = `console.log(JSON.stringify(r))`;", "console.error('e');"].join("\n");
  expect(consoleCalls("t.ts", text)).toEqual(["t.ts:2 console.log", "t.ts:4 console.error"]);
});
