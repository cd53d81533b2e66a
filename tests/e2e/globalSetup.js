// Finds the Pulumi engine for the e2e suite before any test runs: the one built in the cache (or a
// `pulumi` of the pinned version on PATH), else scripts/install-pulumi builds it (long, once per
// machine). Test workers start after this and inherit PULUMI_GPUCLOUD_ENGINE_BIN.
"use strict";
const { spawnSync } = require("child_process");
const path = require("path");
const { REPO_ROOT, findEngine } = require("./engineLocation");

module.exports = async function globalSetup() {
  let bin = findEngine();
  if (!bin) {
    console.log("\ne2e: no Pulumi engine built yet; running scripts/install-pulumi (a cold build takes long)");
    const r = spawnSync("bash", [path.join(REPO_ROOT, "scripts", "install-pulumi")], { stdio: ["ignore", "pipe", "inherit"], encoding: "utf8" });
    if (r.status !== 0) throw new Error(`scripts/install-pulumi failed (exit ${r.status}); see its output above`);
    bin = r.stdout.trim().split("\n").pop();
  }
  process.env.PULUMI_GPUCLOUD_ENGINE_BIN = bin;
};
