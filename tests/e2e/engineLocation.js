// Where the Pulumi engine that scripts/install-pulumi builds lives, and whether it is there.
// Plain JavaScript: jest.config.js reads it to decide whether `npm test` includes the e2e suite.
"use strict";
const { spawnSync } = require("child_process");
const fs = require("fs");
const os = require("os");
const path = require("path");

const REPO_ROOT = path.resolve(__dirname, "..", "..");

/** "v3.248.0": the @pulumi/pulumi of package-lock.json, the version the engine is built at. */
function pinnedVersion() {
  const lock = JSON.parse(fs.readFileSync(path.join(REPO_ROOT, "package-lock.json"), "utf8"));
  return "v" + lock.packages["node_modules/@pulumi/pulumi"].version;
}

/** The bin folder scripts/install-pulumi fills (same default as the script). */
function cachedBinDir() {
  const root = process.env.PULUMI_GPUCLOUD_ENGINE_DIR || path.join(os.homedir(), ".cache", "pulumi-gpucloud", "engine");
  return path.join(root, pinnedVersion(), "bin");
}

function reportsPinnedVersion(pulumi) {
  const r = spawnSync(pulumi, ["version"], { encoding: "utf8", env: { ...process.env, PULUMI_SKIP_UPDATE_CHECK: "true" } });
  return r.status === 0 && r.stdout.trim() === pinnedVersion();
}

/**
 * The Python packages (pulumi at the pinned version and what the generated SDK needs, from PyPI) that
 * scripts/install-pulumi downloads beside `bin`; its `.downloaded` stamp lists the requirements.
 */
function pythonWheels(bin) {
  return path.join(bin, "..", "python-wheels");
}

/**
 * The folder holding a `pulumi` of the pinned version, the YAML host, gen-python-sdk and (beside it)
 * the Python packages: the cache, else PATH; undefined when none.
 */
function findEngine() {
  const candidates = [cachedBinDir(), ...(process.env.PATH || "").split(path.delimiter).filter(Boolean)];
  for (const dir of candidates) {
    const pulumi = path.join(dir, "pulumi");
    const pieces = [path.join(dir, "pulumi-language-yaml"), path.join(dir, "gen-python-sdk"), path.join(pythonWheels(dir), ".downloaded")];
    if (fs.existsSync(pulumi) && pieces.every((p) => fs.existsSync(p)) && reportsPinnedVersion(pulumi)) return dir;
  }
  return undefined;
}

module.exports = { REPO_ROOT, pinnedVersion, cachedBinDir, findEngine, pythonWheels };
