import {
  FLUENCE_DEFAULT_API_KEY,
  GPCN_DEFAULT_API_KEY,
  NOVA_DEFAULT_API_KEY,
  NOVITA_DEFAULT_API_KEY,
  startFluenceEmulator,
  startGpcnEmulator,
  startNovaEmulator,
  startNovitaEmulator,
} from "../../emulator";

// One running emulator per cloud an example uses, seen through the few things the example test
// asserts: what machines and keys exist in the cloud right now.

export type { CloudName } from "../../provider/clouds";
import type { CloudName } from "../../provider/clouds";

export interface Machine {
  id: string;
  name: string;
  status: string;
}

export interface ExampleEmulator {
  cloud: CloudName;
  url: string;
  apiKey: string;
  /** Extra provider config a user would set for this emulator. */
  extraConfig?: Record<string, string>;
  /** Machines that exist (and bill): deleted or ended ones are left out. */
  machines(): Machine[];
  /** SSH keys held by the cloud; Novita has no key API, so always none. */
  sshKeys(): { id: string }[];
  close(): Promise<void>;
}

// Fast emulated time so provisioning takes well under a second. The emulators keep their rate
// limits: the examples must work within them.
const TIME_SCALE = 600;

const starters: Record<CloudName, () => Promise<ExampleEmulator>> = {
  async gpcn() {
    const e = await startGpcnEmulator({ apiKeys: [GPCN_DEFAULT_API_KEY], timeScale: TIME_SCALE, seed: "examples" });
    return {
      cloud: "gpcn",
      url: e.url,
      apiKey: GPCN_DEFAULT_API_KEY,
      machines: () => e.vms().filter((v) => !/^delet/i.test(v.status)).map((v) => ({ id: v.id, name: v.name, status: v.status })),
      sshKeys: () => e.sshKeys(),
      close: () => e.close(),
    };
  },
  async nova() {
    const e = await startNovaEmulator({ apiKeys: [NOVA_DEFAULT_API_KEY], timeScale: TIME_SCALE, seed: "examples" });
    return {
      cloud: "nova",
      url: e.url,
      apiKey: NOVA_DEFAULT_API_KEY,
      // Nova publishes no limits, so the client defaults to 1 request a second; against the
      // emulator a user would raise it, as here.
      extraConfig: { "nova:requestsPerMinute": "1200" },
      machines: () => e.vms().map((v) => ({ id: v.id, name: v.instance_label ?? "", status: v.status })),
      sshKeys: () => e.sshKeys(),
      close: () => e.close(),
    };
  },
  async novita() {
    const e = await startNovitaEmulator({ apiKeys: [NOVITA_DEFAULT_API_KEY], timeScale: TIME_SCALE, seed: "examples" });
    return {
      cloud: "novita",
      url: e.url,
      apiKey: NOVITA_DEFAULT_API_KEY,
      machines: () => e.instances().filter((i) => i.status !== "removed" && i.status !== "removing").map((i) => ({ id: i.id, name: i.name, status: i.status })),
      sshKeys: () => [],
      close: () => e.close(),
    };
  },
  async fluence() {
    const e = await startFluenceEmulator({ apiKeys: [FLUENCE_DEFAULT_API_KEY], timeScale: TIME_SCALE, seed: "examples" });
    return {
      cloud: "fluence",
      url: e.url,
      apiKey: FLUENCE_DEFAULT_API_KEY,
      machines: () => e.instances().filter((i) => i.status !== "ENDED" && i.status !== "FAILED").map((i) => ({ id: i.id, name: i.name, status: i.status })),
      sshKeys: () => e.sshKeys(),
      close: () => e.close(),
    };
  },
};

export function startExampleEmulator(cloud: CloudName): Promise<ExampleEmulator> {
  return starters[cloud]();
}

/** Provider config pointing a stack at the emulators (what `pulumi config set` would store). */
export function providerConfig(emulators: ExampleEmulator[]): Record<string, string> {
  return Object.assign({}, ...emulators.map((e) => ({ [`${e.cloud}:endpoint`]: e.url, [`${e.cloud}:apiKey`]: e.apiKey, ...e.extraConfig })));
}
