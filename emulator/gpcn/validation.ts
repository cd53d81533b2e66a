/** Small field checks that collect issues in the GPCN 422 format (`details.issues[{path,message}]`). */

import type { ValidationIssue } from "./envelope";

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const USERNAME = /^[a-zA-Z_][a-zA-Z0-9_-]*$/;

export const isUuid = (v: unknown): v is string => typeof v === "string" && UUID.test(v);

export function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === "object" && v !== null && !Array.isArray(v);
}

export class Issues {
  readonly list: ValidationIssue[] = [];

  add(path: string, message: string): void {
    this.list.push({ path, message });
  }

  get any(): boolean {
    return this.list.length > 0;
  }

  /** Required (or, with `optional`, present-only) non-empty string of at most `max` chars. */
  text(body: Record<string, unknown>, field: string, label: string, opts: { max: number; optional?: boolean }): void {
    const v = body[field];
    if (v === undefined || v === null) {
      if (!opts.optional) this.add(field, `${label} is required`);
    } else if (typeof v !== "string") this.add(field, `${label} must be a string`);
    else if (v.trim() === "") this.add(field, `${label} cannot be empty`);
    else if (v.length > opts.max) this.add(field, `${label} must be at most ${opts.max} characters`);
  }

  uuid(body: Record<string, unknown>, field: string, label: string, opts: { optional?: boolean } = {}): void {
    const v = body[field];
    if (v === undefined) {
      if (!opts.optional) this.add(field, `${label} is required`);
    } else if (!isUuid(v)) this.add(field, `${label} must be a valid UUID`);
  }

  /** Username rule from the API doc §7: 3–20 chars, `^[a-zA-Z_][a-zA-Z0-9_-]*$`. */
  username(body: Record<string, unknown>, field = "username"): void {
    const v = body[field];
    if (v === undefined) return;
    if (typeof v !== "string") this.add(field, "Username must be a string");
    else if (v.length < 3 || v.length > 20) this.add(field, "Username must be between 3 and 20 characters");
    else if (!USERNAME.test(v)) {
      this.add(field, "Username must start with a letter or underscore and contain only letters, digits, '_' or '-'");
    }
  }
}
