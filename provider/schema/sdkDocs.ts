import * as fs from "fs";
import * as path from "path";
import type * as TS from "typescript";

// The dynamic SDK's JSDoc (sdk/<module>.ts) is where inputs are documented for TypeScript users;
// the package schema takes the same words so every language reads one text. Parsed with the
// TypeScript compiler (a devDependency): the generator runs at development time only.

export interface SdkDocs {
  /** JSDoc of an interface, class or function declared in sdk/<module>.ts. */
  of(module: string, declaration: string): string | undefined;
  /** JSDoc of a member of such an interface or class. */
  member(module: string, declaration: string, member: string): string | undefined;
  /** Names of the members of such an interface or class, documented or not. */
  members(module: string, declaration: string): string[];
}

export function readSdkDocs(sdkDir: string): SdkDocs {
  const ts = require("typescript") as typeof TS;
  const docs = new Map<string, string>();
  const members = new Map<string, string[]>();
  for (const file of fs.readdirSync(sdkDir).filter((f) => f.endsWith(".ts"))) {
    const module = path.basename(file, ".ts");
    const source = ts.createSourceFile(file, fs.readFileSync(path.join(sdkDir, file), "utf8"), ts.ScriptTarget.ES2022, true);
    for (const statement of source.statements) {
      if (!(ts.isInterfaceDeclaration(statement) || ts.isClassDeclaration(statement) || ts.isFunctionDeclaration(statement)) || !statement.name) continue;
      const declaration = statement.name.text;
      remember(docs, `${module}.${declaration}`, jsDocOf(ts, statement));
      if (ts.isFunctionDeclaration(statement)) continue;
      const names: string[] = [];
      for (const m of statement.members as TS.NodeArray<TS.ClassElement | TS.TypeElement>) {
        if (!m.name || !(ts.isIdentifier(m.name) || ts.isStringLiteral(m.name)) || ts.isConstructorDeclaration(m)) continue;
        names.push(m.name.text);
        remember(docs, `${module}.${declaration}.${m.name.text}`, jsDocOf(ts, m));
      }
      members.set(`${module}.${declaration}`, names);
    }
  }
  return {
    of: (module, declaration) => docs.get(`${module}.${declaration}`),
    member: (module, declaration, member) => docs.get(`${module}.${declaration}.${member}`),
    members: (module, declaration) => members.get(`${module}.${declaration}`) ?? [],
  };
}

function jsDocOf(ts: typeof TS, node: TS.Node): string | undefined {
  const text = ts
    .getJSDocCommentsAndTags(node)
    .filter(ts.isJSDoc)
    .map((d) => ts.getTextOfJSDocComment(d.comment) ?? "")
    .join(" ");
  // Line breaks inside a JSDoc paragraph are layout, not meaning.
  return text.replace(/\s*\n\s*/g, " ").trim() || undefined;
}

function remember(docs: Map<string, string>, key: string, doc: string | undefined): void {
  if (doc) docs.set(key, doc);
}
