import { execFileSync } from "child_process";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";

// Pulumi's package metaschema ships in the Go module github.com/pulumi/pulumi/pkg/v3 as
// codegen/schema/pulumi.json. It is read from the Go module cache at the version of the pinned
// @pulumi/pulumi, never copied into this repository: `go mod download` answers from the cache,
// or fetches the module through the Go proxy once (CI machines have Go and the proxy).

export const pinnedPulumiVersion = (): string => require("@pulumi/pulumi/package.json").version;

export function metaschemaPath(version = pinnedPulumiVersion()): string {
  const module = `github.com/pulumi/pulumi/pkg/v3@v${version}`;
  // Outside any Go module, so no go.mod of the machine decides the answer.
  const out = execFileSync("go", ["mod", "download", "-json", module], {
    cwd: os.tmpdir(),
    env: { ...process.env, GOFLAGS: "-mod=mod" },
    encoding: "utf8",
    timeout: 180_000,
  });
  const dir = JSON.parse(out).Dir as string | undefined;
  if (!dir) throw new Error(`go mod download ${module} printed no Dir: ${out}`);
  const file = path.join(dir, "codegen", "schema", "pulumi.json");
  if (!fs.existsSync(file)) throw new Error(`${module} has no codegen/schema/pulumi.json (looked in ${dir})`);
  return file;
}
