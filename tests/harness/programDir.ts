import * as fs from "fs";
import * as path from "path";

/** The repository root, found from here whether this file runs as .ts (jest) or from dist/. */
export const REPO_ROOT = findRepoRoot(__dirname);

function findRepoRoot(from: string): string {
  for (let dir = from; dir !== path.dirname(dir); dir = path.dirname(dir)) {
    const pkg = path.join(dir, "package.json");
    if (fs.existsSync(pkg) && JSON.parse(fs.readFileSync(pkg, "utf8")).name === "pulumi-gpucloud") return dir;
  }
  throw new Error(`cannot find the pulumi-gpucloud repository above ${from}`);
}
export const PROGRAMS_ROOT = path.join(REPO_ROOT, ".tmp", "programs");

/**
 * "copy": node_modules/<pkg> is a copy of package.json + dist/ (or the package.json "files"
 * entries), as `npm install` would leave it.
 * "repo": node_modules/<pkg> is a symlink to packageRoot, so Node resolves the real path outside
 * node_modules (the repository's own examples) and the closure serializer inlines local modules.
 */
export type LinkMode = "copy" | "repo";

export interface ProgramDirOptions {
  /** Directory holding the package's package.json and its built output (dist/ or "files"). */
  packageRoot: string;
  /** Extra files relative to the program dir (e.g. {"index.js": "..."}). */
  files?: Record<string, string>;
  linkMode?: LinkMode;
  /** Project name for Pulumi.yaml; defaults to `name`. */
  project?: string;
}

export interface ProgramDir {
  dir: string;
  project: string;
  /** The `name` from packageRoot/package.json, i.e. what programs require(). */
  packageName: string;
  cleanup(): void;
}

export function createProgramDir(name: string, options: ProgramDirOptions): ProgramDir {
  const project = options.project ?? name;
  if (!/^[A-Za-z0-9_.-]+$/.test(project)) {
    throw new Error(`createProgramDir: invalid Pulumi project name "${project}"`);
  }
  const packageRoot = path.resolve(options.packageRoot);
  const pkg = readPackageJson(packageRoot);
  const linkMode = options.linkMode ?? "copy";
  for (const entry of publishedEntries(pkg)) {
    if (!fs.existsSync(path.join(packageRoot, entry))) {
      throw new Error(`createProgramDir: ${path.join(packageRoot, entry)} does not exist — run "npm run build" first`);
    }
  }

  fs.mkdirSync(PROGRAMS_ROOT, { recursive: true });
  const dir = fs.mkdtempSync(path.join(PROGRAMS_ROOT, `${name}-`));
  const cleanup = () => fs.rmSync(dir, { recursive: true, force: true });
  try {
    fs.writeFileSync(path.join(dir, "Pulumi.yaml"), `name: ${project}\nruntime: nodejs\n`);
    const programPackage = {
      name: project,
      version: "0.0.0",
      private: true,
      main: "index.js",
      dependencies: { [pkg.name]: pkg.version ?? "*" },
    };
    fs.writeFileSync(path.join(dir, "package.json"), JSON.stringify(programPackage, null, 2) + "\n");
    installPackage(dir, packageRoot, pkg, linkMode);
    for (const [rel, text] of Object.entries(options.files ?? {})) {
      writeProgramFile(dir, rel, text);
    }
  } catch (e) {
    cleanup();
    throw e;
  }
  return { dir, project, packageName: pkg.name, cleanup };
}

/** Writes `text` to `rel` inside the program dir, refusing paths that escape it. */
export function writeProgramFile(dir: string, rel: string, text: string): string {
  const file = path.resolve(dir, rel);
  if (!file.startsWith(dir + path.sep)) {
    throw new Error(`writeProgramFile: ${rel} escapes the program dir`);
  }
  fs.mkdirSync(path.dirname(file), { recursive: true });
  fs.writeFileSync(file, text);
  return file;
}

/** What npm would pack besides package.json: the "files" entries, "dist" when there are none. */
function publishedEntries(pkg: PackageJson): string[] {
  return (pkg.files ?? ["dist"]).map((f) => f.replace(/\/+$/, ""));
}

function installPackage(dir: string, packageRoot: string, pkg: PackageJson, linkMode: LinkMode): void {
  const packageName = pkg.name;
  const target = path.join(dir, "node_modules", ...packageName.split("/"));
  fs.mkdirSync(path.dirname(target), { recursive: true });
  if (linkMode === "repo") {
    fs.symlinkSync(packageRoot, target, "dir");
    return;
  }
  fs.mkdirSync(target);
  fs.copyFileSync(path.join(packageRoot, "package.json"), path.join(target, "package.json"));
  for (const entry of publishedEntries(pkg)) {
    fs.cpSync(path.join(packageRoot, entry), path.join(target, entry), { recursive: true, dereference: true });
  }
}

interface PackageJson {
  name: string;
  version?: string;
  files?: string[];
}

function readPackageJson(packageRoot: string): PackageJson {
  const file = path.join(packageRoot, "package.json");
  if (!fs.existsSync(file)) {
    throw new Error(`createProgramDir: no package.json in packageRoot ${packageRoot}`);
  }
  const pkg = JSON.parse(fs.readFileSync(file, "utf8"));
  if (typeof pkg.name !== "string" || pkg.name === "") {
    throw new Error(`createProgramDir: ${file} has no "name"`);
  }
  return pkg;
}
