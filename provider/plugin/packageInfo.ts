import * as fs from "fs";
import * as path from "path";

// The plugin's version is the package's, and GetSchema answers with the package's schema.json:
// both sit at the package root, found by walking up from this file (dist/provider/plugin when
// installed, provider/plugin under ts-jest).

export interface PackageInfo {
  root: string;
  version: string;
  schema(): string;
}

let cached: PackageInfo | undefined;

export function packageInfo(): PackageInfo {
  if (cached) return cached;
  for (let dir = __dirname; ; dir = path.dirname(dir)) {
    const file = path.join(dir, "package.json");
    if (fs.existsSync(file)) {
      const pkg = JSON.parse(fs.readFileSync(file, "utf8"));
      if (pkg.name === "pulumi-gpucloud") {
        const root = dir;
        let schemaText: string | undefined;
        cached = {
          root,
          version: pkg.version,
          schema() {
            schemaText ??= fs.readFileSync(path.join(root, "schema.json"), "utf8");
            return schemaText;
          },
        };
        return cached;
      }
    }
    if (path.dirname(dir) === dir) throw new Error(`pulumi-gpucloud: package.json not found above ${__dirname}`);
  }
}
