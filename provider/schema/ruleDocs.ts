import type { FieldRule } from "../core/diffRules";

// What changing an input does, in the words the README's rule tables use, for the schema's
// property descriptions: every SDK's docs then say what a change costs before it is made.

/** `withNote`: the rule's own note too; left out where the SDK's JSDoc already documents the input. */
export function ruleSentence(rule: FieldRule, withNote: boolean): string {
  const parts: string[] = [];
  if (rule.change === "replace") parts.push(`Changing it replaces the resource: ${rule.why}.`);
  if (rule.change === "inPlace") {
    // `via` is an API route (`PUT /resource/gpu/{id}`) or, for multicloud, words.
    const how = /^[A-Z]+ \//.test(rule.via) ? `(\`${rule.via}\`)` : `through ${rule.via}`;
    parts.push(`Changes in place ${how}${rule.resets ? "; this resets the machine" : ""}.`);
    if (rule.replaceWhen) parts.push(`Replaces when ${rule.replaceWhen.why}.`);
  }
  if (rule.change === "stateOnly") parts.push("Stored in state only: changing it makes no cloud call.");
  if (rule.cloudDefault) parts.push("Omitted: the cloud's value is kept.");
  if (rule.doc && withNote) parts.push(capitalized(rule.doc) + ".");
  return parts.join(" ");
}

/** Only a plain replace rule always replaces; one-way rules (a disk that may grow) do not. */
export function alwaysReplaces(rule: FieldRule | undefined): boolean {
  return rule?.change === "replace";
}

function capitalized(s: string): string {
  return s.charAt(0).toUpperCase() + s.slice(1);
}
