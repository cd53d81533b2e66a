import * as path from "path";
import { REPO_ROOT } from "../tests/harness/programDir";
import { openStack, type BenchStack } from "./stack";

// The empty dynamic provider (bench/fixtures/empty-provider), installed into its own program dir
// the same way as pulumi-gpucloud: the floor for host cold start and preview cost.

export const EMPTY_PACKAGE_ROOT = path.join(REPO_ROOT, "bench", "fixtures", "empty-provider");
export const EMPTY_RESOURCE = "thing";

const PROGRAM = `
const pulumi = require("@pulumi/pulumi");
new pulumi.dynamic.Resource(require("bench-empty-provider"), "${EMPTY_RESOURCE}", { label: "x" }, undefined, "empty", "Thing");
`;

export function openEmptyStack(): Promise<BenchStack> {
  return openStack("empty", PROGRAM, EMPTY_PACKAGE_ROOT);
}
