import * as fs from "fs";
import * as path from "path";
import { schemaText } from "./packageSchema";

// `npm run schema`: regenerates schema.json at the package root.

/** The nearest folder above `from` holding package.json (the same from provider/schema and dist/provider/schema). */
export function packageRoot(from: string = __dirname): string {
  for (let dir = from; ; dir = path.dirname(dir)) {
    if (fs.existsSync(path.join(dir, "package.json"))) return dir;
    if (path.dirname(dir) === dir) throw new Error(`no package.json above ${from}`);
  }
}

if (require.main === module) {
  const root = packageRoot();
  fs.writeFileSync(path.join(root, "schema.json"), schemaText(root));
  process.stderr.write(`wrote ${path.join(root, "schema.json")}\n`);
}
