import { ValidationError } from "./errors";

// Pulumi cannot import dynamic resources (pulumi/pulumi#16175): the `adoptId` input takes over a
// machine made by hand instead. It must match every immutable input, or nothing is adopted.

export interface Mismatch {
  field: string;
  actual: unknown;
  declared: unknown;
}

/** `cloud` is the spec's lower-case name (the error field); `what` names the machine for people: "Nova VM". */
export function adoptionMismatchError(cloud: string, what: string, id: string, mismatches: Mismatch[]): ValidationError {
  const lines = mismatches.map((m) => `${m.field}: it has ${JSON.stringify(m.actual)}, the program declares ${JSON.stringify(m.declared)}`);
  return new ValidationError(
    `cannot adopt ${what} ${id}: it differs from the program in fields that cannot change in place — ${lines.join("; ")}. ` +
      "Change the program to match it, or remove adoptId to create a new one.",
    { cloud, issues: mismatches.map((m) => ({ path: m.field, message: `is ${JSON.stringify(m.actual)} on the existing resource` })) },
  );
}

export const ADOPT_ID_DOC = "id of an existing resource to take over instead of creating one (it must match the immutable inputs)";
