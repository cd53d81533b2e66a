const { findEngine } = require("./tests/e2e/engineLocation");

// Two projects: the unit and gRPC-driven tests, and the end-to-end suite that runs the real
// `pulumi` CLI (tests/e2e; `npm run test:e2e` runs it alone). `npm test` includes the e2e suite
// when the engine is built (scripts/install-pulumi); otherwise it says so in one line and leaves it
// out. In CI (CI=true) it is always included: its global setup builds the engine if it is missing.
const transform = { "^.+\\.ts$": ["ts-jest", { tsconfig: "tsconfig.test.json" }] };

const unit = {
  displayName: "unit",
  testEnvironment: "node",
  roots: ["<rootDir>/tests"],
  testMatch: ["**/*.test.ts"],
  testPathIgnorePatterns: ["/node_modules/", "<rootDir>/tests/e2e/"],
  setupFiles: ["<rootDir>/tests/harness/noProvisioningCache.js"],
  setupFilesAfterEnv: ["<rootDir>/tests/harness/consoleGuard.js"],
  transform,
};

const e2e = {
  displayName: "e2e",
  testEnvironment: "node",
  roots: ["<rootDir>/tests/e2e"],
  testMatch: ["**/*.test.ts"],
  globalSetup: "<rootDir>/tests/e2e/globalSetup.js",
  setupFiles: ["<rootDir>/tests/harness/noProvisioningCache.js"],
  transform,
};

const wantE2e = process.env.CI === "true" || process.env.GPUCLOUD_E2E === "1" || findEngine() !== undefined;
if (!wantE2e) {
  console.log("e2e suite skipped: the Pulumi engine is not built (run `npm run install-pulumi`, then `npm test` or `npm run test:e2e`)");
}

/** @type {import('jest').Config} */
module.exports = {
  projects: wantE2e ? [unit, e2e] : [unit],
  testTimeout: 60000,
  maxWorkers: 2,
};
