/**
 * POST /vms body validation with every documented rule (nova.md §6), answered the way FastAPI
 * and pydantic would: 422 with `detail: [{type, loc, msg, input}]`.
 */

import type { FieldError } from "./errors";

export interface CreateVmRequest {
  node: string;
  gpuType: string;
  gpuCount: 1 | 2 | 4 | 8;
  storageGb: number;
  templateVmid: number;
  rentalType: "on_demand" | "reserved" | "interruptible";
  reservationMonths?: 1 | 3 | 6;
  authMethod: "ssh_key" | "password";
  sshKeyId?: string;
  password?: string;
}

const isInt = (v: unknown): v is number => typeof v === "number" && Number.isInteger(v);

export function parseCreateVmRequest(body: unknown): { ok: true; value: CreateVmRequest } | { ok: false; errors: FieldError[] } {
  if (typeof body !== "object" || body === null || Array.isArray(body)) {
    return { ok: false, errors: [{ type: "model_attributes_type", loc: ["body"], msg: "Input should be a valid dictionary or object to extract fields from", input: body }] };
  }
  const b = body as Record<string, unknown>;
  const errors: FieldError[] = [];
  const err = (field: string, type: string, msg: string, ctx?: Record<string, unknown>) => errors.push({ type, loc: ["body", field], msg, input: b[field], ...(ctx ? { ctx } : {}) });
  const missing = (field: string) => errors.push({ type: "missing", loc: ["body", field], msg: "Field required", input: b });

  for (const field of ["node", "gpu_type"]) {
    if (b[field] === undefined) missing(field);
    else if (typeof b[field] !== "string") err(field, "string_type", "Input should be a valid string");
  }
  if (b.gpu_count === undefined) missing("gpu_count");
  else if (!isInt(b.gpu_count)) err("gpu_count", "int_type", "Input should be a valid integer");
  else if (![1, 2, 4, 8].includes(b.gpu_count)) err("gpu_count", "literal_error", "Input should be 1, 2, 4 or 8", { expected: "1, 2, 4 or 8" });
  if (b.storage_gb === undefined) missing("storage_gb");
  else if (!isInt(b.storage_gb)) err("storage_gb", "int_type", "Input should be a valid integer");
  else if (b.storage_gb < 50) err("storage_gb", "greater_than_equal", "Input should be greater than or equal to 50", { ge: 50 });
  if (b.template_vmid === undefined) missing("template_vmid");
  else if (!isInt(b.template_vmid)) err("template_vmid", "int_type", "Input should be a valid integer");
  const rental = b.rental_type ?? "on_demand";
  if (!["on_demand", "reserved", "interruptible"].includes(rental as string)) err("rental_type", "enum", "Input should be 'on_demand', 'reserved' or 'interruptible'", { expected: "'on_demand', 'reserved' or 'interruptible'" });
  if (b.reservation_months !== undefined && b.reservation_months !== null && ![1, 3, 6].includes(b.reservation_months as number)) {
    err("reservation_months", "enum", "Input should be 1, 3 or 6", { expected: "1, 3 or 6" });
  }
  const auth = b.auth_method ?? "ssh_key";
  if (auth !== "ssh_key" && auth !== "password") err("auth_method", "enum", "Input should be 'ssh_key' or 'password'", { expected: "'ssh_key' or 'password'" });
  if (b.ssh_key_id !== undefined && b.ssh_key_id !== null && typeof b.ssh_key_id !== "string") err("ssh_key_id", "string_type", "Input should be a valid string");
  if (b.password !== undefined && b.password !== null) {
    if (typeof b.password !== "string") err("password", "string_type", "Input should be a valid string");
    else if (b.password.length < 12) err("password", "string_too_short", "String should have at least 12 characters", { min_length: 12 });
  }
  if (errors.length) return { ok: false, errors };
  // Model-level rules (pydantic model_validator): reported against the whole body.
  const model = (msg: string) => errors.push({ type: "value_error", loc: ["body"], msg: `Value error, ${msg}`, input: b });
  if (rental === "reserved" && (b.reservation_months === undefined || b.reservation_months === null)) model("reservation_months is required when rental_type is reserved");
  if (auth === "password" && (b.password === undefined || b.password === null)) model("password is required when auth_method is password");
  if (errors.length) return { ok: false, errors };
  return {
    ok: true,
    value: {
      node: b.node as string,
      gpuType: b.gpu_type as string,
      gpuCount: b.gpu_count as 1 | 2 | 4 | 8,
      storageGb: b.storage_gb as number,
      templateVmid: b.template_vmid as number,
      rentalType: rental as CreateVmRequest["rentalType"],
      reservationMonths: rental === "reserved" ? (b.reservation_months as 1 | 3 | 6) : undefined,
      authMethod: auth as CreateVmRequest["authMethod"],
      sshKeyId: typeof b.ssh_key_id === "string" ? b.ssh_key_id : undefined,
      password: typeof b.password === "string" ? b.password : undefined,
    },
  };
}
