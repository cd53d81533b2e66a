import * as fs from "fs";
import { ResourceRules, rulesMarkdown } from "./core/diffRules";
import { handlerFor, resourceTypes } from "./index";

// The README's "what a change does" tables are generated from the same rules `diff` uses;
// tests/docs.test.ts fails when the README is stale (`npm run docs` rewrites it).

/** Rules of every registered resource type (provider/index.ts, from provider/clouds.ts) whose implementation is present. */
export function allRules(): ResourceRules[] {
  const out: ResourceRules[] = [];
  for (const type of resourceTypes) {
    try {
      out.push(handlerFor(type).rules);
    } catch (err) {
      if ((err as { code?: string }).code !== "MODULE_NOT_FOUND") throw err;
    }
  }
  return out;
}

const marker = (type: string) => [`<!-- rules:${type} -->`, `<!-- /rules:${type} -->`];

export function renderReadme(readme: string): string {
  let out = readme;
  for (const rules of allRules()) {
    const [open, close] = marker(rules.type);
    const start = out.indexOf(open);
    const end = out.indexOf(close);
    if (start < 0 || end < start) {
      // A resource registered in provider/clouds.ts needs a place in the README for its table.
      throw new Error(`README has no ${open} … ${close} block for ${rules.type}, a registered resource: add the two markers where its "what a change does" table belongs, then run \`npm run docs\``);
    }
    out = out.slice(0, start + open.length) + "\n" + rulesMarkdown(rules) + "\n" + out.slice(end);
  }
  return out;
}

export function writeReadme(file: string): void {
  fs.writeFileSync(file, renderReadme(fs.readFileSync(file, "utf8")));
}
