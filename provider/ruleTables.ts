import * as fs from "fs";
import { ResourceRules, rulesMarkdown } from "./core/diffRules";
import { gpuVmRules } from "./gpcn/gpuVm";
import { sshKeyRules } from "./gpcn/sshKey";

// The README's "what a change does" tables are generated from the same rules `diff` uses;
// tests/docs.test.ts fails when the README is stale (`npm run docs` rewrites it).

export const allRules: ResourceRules[] = [gpuVmRules, sshKeyRules];

const marker = (type: string) => [`<!-- rules:${type} -->`, `<!-- /rules:${type} -->`];

export function renderReadme(readme: string): string {
  let out = readme;
  for (const rules of allRules) {
    const [open, close] = marker(rules.type);
    const start = out.indexOf(open);
    const end = out.indexOf(close);
    if (start < 0 || end < start) throw new Error(`README has no ${open} … ${close} block`);
    out = out.slice(0, start + open.length) + "\n" + rulesMarkdown(rules) + "\n" + out.slice(end);
  }
  return out;
}

export function writeReadme(file: string): void {
  fs.writeFileSync(file, renderReadme(fs.readFileSync(file, "utf8")));
}
