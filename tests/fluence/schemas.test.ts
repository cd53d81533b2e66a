import { errorFromResponse } from "../../provider/core/errors";
import { classifyFluenceError } from "../../provider/fluence/client";
import { ourInputName, withOurInputNames } from "../../provider/fluence/inputNames";
import { runningOutcome } from "../../provider/fluence/observations";
import { checkOsImage, cheapestOption, optionById } from "../../provider/fluence/planSelection";
import { instanceSchema, plansResponse, sshKeySchema, sshKeyListResponse } from "../../provider/fluence/schemas";

const option = (id: string, location: string, hour: number, os = ["ubuntu22.04"]) => ({
  id,
  location,
  provider: "p",
  vcpu: { count: 16 },
  memory: { count: 128, units: "Gi" },
  storage: { count: 120, units: "Gi" },
  deployment_type: "VM",
  pricing: { hour, upfront_hours: 3, currency: "USDC" },
  nvlink: false,
  os_options: os,
});

const plans = plansResponse.parse({
  data: [
    {
      gpu_model: { vendor: "nvidia", model: "h100", vram: "80Gi", interface: "SXM" },
      minimum_price: 1.5,
      availability_by_number: [
        { gpu_count: 1, minimum_price: 1.5, options: [option("b", "us-east-2", 2.1), option("a", "eu-north-1", 1.5), option("c", "us-east-2", 1.9)] },
        { gpu_count: 8, minimum_price: 12, options: [option("d", "us-east-2", 12)] },
      ],
    },
    { gpu_model: { vendor: "nvidia", model: "h200", vram: "141Gi", interface: "sxm" }, availability_by_number: [{ gpu_count: 1, options: [option("e", "x", 3)] }] },
  ],
});

const fluence = (status: number, body: unknown) => errorFromResponse({ cloud: "fluence", label: "Fluence", status, method: "POST", path: "/gpu/instances/vms", body }, classifyFluenceError);

describe("cheapest-option selection", () => {
  test("model (any case or with the vendor) → count → lowest hourly price", () => {
    expect(cheapestOption(plans, { gpuModel: "H100", gpuCount: 1 }).option.id).toBe("a");
    expect(cheapestOption(plans, { gpuModel: "nvidia h100", gpuCount: 8 }).option.id).toBe("d");
  });

  test("location and maxPricePerHour narrow the choice", () => {
    expect(cheapestOption(plans, { gpuModel: "h100", gpuCount: 1, location: "us-east-2" }).option.id).toBe("c");
    expect(cheapestOption(plans, { gpuModel: "h100", gpuCount: 1, location: "us-east-2", maxPricePerHour: 2 }).option.id).toBe("c");
  });

  test("nothing matches: a capacity error listing what is offered", () => {
    expect(() => cheapestOption(plans, { gpuModel: "h100", gpuCount: 1, maxPricePerHour: 1 })).toThrow(
      expect.objectContaining({ kind: "capacity", message: expect.stringMatching(/no h100 ×1 option at most 1\/h now; offered now: h100 ×1 from 1.5\/h/) }),
    );
    expect(() => optionById(plans, "zzz")).toThrow(expect.objectContaining({ kind: "capacity", message: expect.stringMatching(/zzz is not offered now/) }));
  });

  test("osImage outside the option's os_options: a validation error on osImage listing the valid images", () => {
    const chosen = optionById(plans, "a");
    expect(() => checkOsImage(chosen, "ubuntu22.04")).not.toThrow();
    expect(() => checkOsImage(chosen, "windows")).toThrow(
      expect.objectContaining({ kind: "validation", issues: [{ path: "osImage", message: "must be one of: ubuntu22.04" }], message: expect.stringMatching(/valid: ubuntu22\.04/) }),
    );
  });
});

describe("Fluence errors → the shared hierarchy", () => {
  test("400 detail strings by their words", () => {
    expect(fluence(400, { detail: "Insufficient balance to deploy instance" }).kind).toBe("quota");
    expect(fluence(400, { detail: "Plan is no longer available" }).kind).toBe("capacity");
    expect(fluence(400, { detail: "Provided OS image x is not supported for the selected offer. Available OS images: a, b" }).kind).toBe("validation");
    expect(fluence(400, { detail: "Only ACTIVE instances can be terminated" }).kind).toBe("conflict");
    expect(fluence(403, { detail: "Invalid API key" }).kind).toBe("auth");
  });

  test("the main API's {code, error} envelope", () => {
    const err = fluence(409, { code: "conflict", error: "SSH key already exists" });
    expect(err).toMatchObject({ kind: "conflict", code: "conflict", message: expect.stringMatching(/SSH key already exists/) });
    expect(fluence(400, { code: "insufficient_balance", error: "Not enough funds" }).kind).toBe("quota");
  });

  test("422 detail lists: each loc is reported under our input name", () => {
    const raw = fluence(422, {
      detail: [
        { type: "uuid_parsing", loc: ["body", "plan_id"], msg: "Input should be a valid UUID", input: "x" },
        { type: "value_error", loc: ["body", "ssh_key"], msg: "Value error, Invalid SSH public key", input: "y" },
        { type: "missing", loc: ["body", "os_image"], msg: "Field required" },
      ],
    });
    const err = withOurInputNames(raw) as typeof raw;
    expect(err.constructor).toBe(raw.constructor);
    expect(err.issues.map((i) => i.path)).toEqual(["planId", "sshPublicKey", "osImage"]);
    expect(err.message).toMatch(/planId: Input should be a valid UUID; sshPublicKey: Value error/);
    expect(err.message).not.toMatch(/plan_id|ssh_key|os_image/);
    expect(ourInputName("path.instance_id")).toBe("id");
  });
});

describe("response schemas", () => {
  test("instance detail: upper-cased status, domain as ip, billing; list items without detail fields parse too", () => {
    const i = instanceSchema.parse({ id: "i", name: "n", status: "active", domain: "1.2.3.4", ssh_connection: "ssh ubuntu@1.2.3.4", billing: { hourly_usage: 1, total_spendings: 2, reserved_amount: 3, next_billing_period: null }, extra: 1 });
    expect(i).toMatchObject({ status: "ACTIVE", ip: "1.2.3.4", billing: { hourlyUsage: 1, reservedAmount: 3 } });
    expect(instanceSchema.parse({ id: "i", name: "n", status: "INITIALIZED", domain: null, resources: { supply: { gpu_count: 2 }, gpu_model: { model: "h200" } } })).toMatchObject({ gpuCount: 2, ip: undefined });
  });

  test("plans: bare arrays too; upfront hours default to 3", () => {
    expect(plansResponse.parse([{ gpu_model: { model: "a100" }, availability_by_number: [{ gpu_count: 1, options: [{ id: "o", pricing: { hour: 1 } }] }] }])[0].counts[0].options[0]).toMatchObject({ upfrontHours: 3, currency: "USDC", osImages: [] });
  });

  test("SSH keys: main API items and the legacy shape identified by fingerprint", () => {
    expect(sshKeyListResponse.parse({ items: [{ id: "k", userId: "u", name: "n", publicKey: "ssh-ed25519 AAAA", algorithm: "ssh-ed25519", fingerprint: "SHA256:f" }], pagination: { totalPages: 1 } }).keys[0].id).toBe("k");
    expect(sshKeySchema.parse({ name: "n", publicKey: "ssh-ed25519 AAAA", fingerprint: "SHA256:f", active: true }).id).toBe("SHA256:f");
  });

  test("waiting: ACTIVE without connection details gets a few polls, FAILED ends the wait", () => {
    const base = { id: "i", name: "n", sshConnection: undefined, ip: undefined } as any;
    expect(runningOutcome({ ...base, status: "ACTIVE" }, 1).state).toBe("retry");
    expect(runningOutcome({ ...base, status: "ACTIVE" }, 3).state).toBe("success");
    expect(runningOutcome({ ...base, status: "ACTIVE", sshConnection: "ssh ubuntu@x" }, 1).state).toBe("success");
    expect(runningOutcome({ ...base, status: "FAILED" }, 0)).toMatchObject({ state: "failure", message: expect.stringMatching(/FAILED/) });
    expect(runningOutcome({ ...base, status: "INITIALIZED" }, 0).state).toBe("retry");
  });
});
