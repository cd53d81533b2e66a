import * as path from "node:path";

/** The part of madge's API used here (it ships no type declarations). */
type Madge = (paths: string | string[], config: Record<string, unknown>) => Promise<{ circular(): string[][] }>;
// eslint-disable-next-line @typescript-eslint/no-require-imports
const madge: Madge = require("madge");

// The issue this guards against: provider/multicloud imported `handlerFor` back from
// provider/index.ts, which loaded it. madge reads the TypeScript sources, counting `require()`
// calls too (mixedImports), so a lazy loader that leads back to its own module is a circle here;
// type-only imports are left out (they vanish from the compiled code).

const ROOT = path.join(__dirname, "..", "..");

async function circlesUnder(...dirs: string[]): Promise<string[][]> {
  const graph = await madge(dirs, {
    baseDir: ROOT,
    fileExtensions: ["ts"],
    detectiveOptions: { ts: { skipTypeImports: true, mixedImports: true } },
  });
  return graph.circular();
}

test("provider/ and emulator/ have no import circle", async () => {
  expect(await circlesUnder(path.join(ROOT, "provider"), path.join(ROOT, "emulator"))).toEqual([]);
}, 60_000);

test("the check sees require() edges: a lazy loader that leads back is reported", async () => {
  // A two-file circle made of one import and one lazy require, written for this test.
  const fs = await import("node:fs");
  const os = await import("node:os");
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "circles-"));
  try {
    fs.writeFileSync(path.join(dir, "root.ts"), 'export const table = { a: () => require("./leaf").leaf };\n');
    fs.writeFileSync(path.join(dir, "leaf.ts"), 'import { table } from "./root";\nexport const leaf = () => table;\n');
    const graph = await madge(dir, { baseDir: dir, fileExtensions: ["ts"], detectiveOptions: { ts: { skipTypeImports: true, mixedImports: true } } });
    expect(graph.circular()).toEqual([["leaf.ts", "root.ts"]]);
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});
