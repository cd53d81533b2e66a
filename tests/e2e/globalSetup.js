// Makes sure the Pulumi engine is built and current before any test runs: scripts/install-pulumi
// builds nothing when every piece is there at the pinned version (under a second), rebuilds what is
// missing or stale (e.g. gen-python-sdk after its source changed), and builds everything on a
// machine that has nothing yet (long, once per machine). Should it fail, a `pulumi` of the pinned
// version with the other pieces on PATH is used instead. Test workers start after this and inherit
// PULUMI_GPUCLOUD_ENGINE_BIN.
"use strict";
const { spawnSync } = require("child_process");
const path = require("path");
const { REPO_ROOT, findEngine } = require("./engineLocation");

module.exports = async function globalSetup() {
  const r = spawnSync("bash", [path.join(REPO_ROOT, "scripts", "install-pulumi")], { stdio: ["ignore", "pipe", "pipe"], encoding: "utf8" });
  // Its steps are shown when it did something; "nothing to do" stays quiet.
  if (r.status !== 0 || !/\(nothing to do\)/.test(r.stderr ?? "")) process.stderr.write(`\n${r.stderr ?? ""}`);
  let bin = r.status === 0 ? r.stdout.trim().split("\n").pop() : undefined;
  if (!bin) {
    bin = findEngine();
    if (!bin) throw new Error(`scripts/install-pulumi failed (exit ${r.status ?? r.signal}); see its output above`);
    console.log(`e2e: scripts/install-pulumi failed; using the Pulumi engine found on PATH: ${bin}`);
  }
  process.env.PULUMI_GPUCLOUD_ENGINE_BIN = bin;
};
