import { generateKeyPairSync } from "crypto";
import { gpcnDatacenters } from "../../emulator";
import { openSshPublicKeyText } from "../../emulator/core/sshPublicKey";
import type { CloudName, ExampleEmulator, Machine } from "./exampleEmulators";

// One row per directory in examples/ that holds a Pulumi.yaml: which clouds' emulators it needs,
// the stack config a user would set, and what `up` must leave behind. A new example adds a row;
// examples.test.ts fails for a directory without one (and for a row without a directory).

export interface Deployed {
  /** Machines in every emulator after `up`. */
  machines: Machine[];
  emulators: ExampleEmulator[];
}

export interface ExampleRow {
  clouds: CloudName[];
  /** The example's own config, keys without the project prefix (as in `pulumi config set KEY`). */
  config(emulators: ExampleEmulator[]): Record<string, string>;
  /** Machines and SSH keys each cloud must hold after `up`. */
  expectMachines: Partial<Record<CloudName, number>>;
  expectSshKeys: Partial<Record<CloudName, number>>;
  /** Assertions on the program's exports as `pulumi stack output --show-secrets` would print them. */
  checkOutputs(outputs: Record<string, any>, deployed: Deployed): void;
}

const publicKey = (comment: string) => openSshPublicKeyText(generateKeyPairSync("ed25519").publicKey, comment);
const kansasCity = () => gpcnDatacenters.find((d) => d.code === "KAN-1")!.id;
const SSH_COMMAND = /^ssh \S+@\d{1,3}(\.\d{1,3}){3}$/;
const PRIVATE_KEY = /^-----BEGIN OPENSSH PRIVATE KEY-----/;
const idsOf = (machines: Machine[]) => machines.map((m) => m.id).sort();

export const exampleConfigs: Record<string, ExampleRow> = {
  "gpcn-quickstart": {
    clouds: ["gpcn"],
    config: () => ({ datacenterId: kansasCity() }),
    expectMachines: { gpcn: 1 },
    expectSshKeys: { gpcn: 1 },
    checkOutputs(o, { machines }) {
      expect(o.vmId).toBe(machines[0].id);
      expect(o.status).toBe("Running");
      expect(o.sshCommand).toMatch(SSH_COMMAND);
      expect(o.privateKey).toMatch(PRIVATE_KEY);
    },
  },
  "nova-quickstart": {
    clouds: ["nova"],
    config: () => ({ publicKey: publicKey("me@laptop") }),
    expectMachines: { nova: 1 },
    expectSshKeys: { nova: 1 },
    checkOutputs(o, { machines }) {
      expect(o.vmId).toBe(machines[0].id);
      expect(o.status).toBe("running");
      expect(typeof o.node).toBe("string");
      expect(o.hourlyRate).toBeGreaterThan(0);
      expect(o.sshCommand).toMatch(SSH_COMMAND);
      expect(o.offersNow).toBeGreaterThan(0);
    },
  },
  "novita-quickstart": {
    clouds: ["novita"],
    config: () => ({}),
    expectMachines: { novita: 1 },
    expectSshKeys: {},
    checkOutputs(o, { machines }) {
      expect(o.instanceId).toBe(machines[0].id);
      expect(o.status).toBe("running");
      expect(o.sshCommand).toMatch(/^ssh /);
      expect(typeof o.sshPassword).toBe("string");
      expect(o.sshPassword.length).toBeGreaterThan(0);
      expect(o.pricePerHourUsd).toBeGreaterThan(0);
    },
  },
  "fluence-quickstart": {
    clouds: ["fluence"],
    config: () => ({ publicKey: publicKey("me@laptop") }),
    expectMachines: { fluence: 1 },
    expectSshKeys: { fluence: 1 },
    checkOutputs(o, { machines }) {
      expect(o.instanceId).toBe(machines[0].id);
      expect(o.status).toBe("ACTIVE");
      expect(o.sshCommand).toMatch(/ssh/);
      expect(o.pricePerHour).toBeGreaterThan(0);
      expect(o.pricePerHour).toBeLessThanOrEqual(3); // the example's default maxPricePerHour
      expect(o.location).toEqual(expect.any(String));
    },
  },
  fleet: {
    clouds: ["gpcn"],
    // nodeCount is left out on purpose: the default (4) is what this row checks.
    config: () => ({ datacenterId: kansasCity() }),
    expectMachines: { gpcn: 4 },
    expectSshKeys: { gpcn: 1 },
    checkOutputs(o, { machines }) {
      expect([...o.vmIds].sort()).toEqual(idsOf(machines));
      expect(o.sshCommands).toHaveLength(4);
      for (const command of o.sshCommands) expect(command).toMatch(SSH_COMMAND);
      expect(new Set(o.sshCommands).size).toBe(4); // one distinct address per node
      expect(o.sshCommandByNode).toEqual({
        "trainer-0": o.sshCommands[0],
        "trainer-1": o.sshCommands[1],
        "trainer-2": o.sshCommands[2],
        "trainer-3": o.sshCommands[3],
      });
      expect(o.totalGpus).toBe(4);
      expect(o.privateKey).toMatch(PRIVATE_KEY);
    },
  },
  gitops: {
    clouds: ["gpcn"],
    config: () => ({ datacenterId: kansasCity(), publicKey: publicKey("ci@team") }),
    expectMachines: { gpcn: 1 },
    expectSshKeys: { gpcn: 1 },
    checkOutputs(o, { machines }) {
      expect(o.vmId).toBe(machines[0].id);
      expect(machines[0].name).toBe("inference");
      expect(o.status).toBe("Running");
      expect(o.sshCommand).toMatch(SSH_COMMAND);
    },
  },
  "multi-cloud-cheapest": {
    clouds: ["gpcn", "novita", "fluence"],
    config: () => ({ publicKey: publicKey("me@laptop") }),
    // Fluence's H100 at 1.95/h is the cheapest in the emulators; the keys exist on both key clouds.
    expectMachines: { fluence: 1 },
    expectSshKeys: { gpcn: 1, fluence: 1 },
    checkOutputs(o, { machines }) {
      expect(o.cloud).toBe("fluence");
      expect(o.status).toBe("ACTIVE");
      expect(o.chosen).toMatch(/1\.95/);
      expect(o.triedFirst).toEqual([]);
      expect(o.offersNow[0]).toMatch(/^fluence .*1\.95/);
      expect(machines).toHaveLength(1);
    },
  },
};
