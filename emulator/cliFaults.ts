/**
 * Arms `--fault` knobs on the clouds the CLI started, through each emulator's own
 * `POST /_admin/faults`: the same FaultStore validation as any admin call, so a knob name or
 * value the endpoint would refuse is refused here too, with the endpoint's words.
 */

import type { FaultArg } from "./cliArgs";
import type { RunningCloud } from "./core/cloudEntry";

export class CliFaultError extends Error {
  constructor(readonly problems: string[]) {
    super(problems.join("\n"));
  }
}

interface Started {
  name: string;
  cloud: RunningCloud;
}

async function admin(cloud: RunningCloud, method: "GET" | "POST", body?: unknown): Promise<{ status: number; body: any }> {
  const res = await fetch(`${cloud.adminUrl}/_admin/faults`, {
    method,
    headers: body === undefined ? {} : { "content-type": "application/json" },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  return { status: res.status, body: await res.json() };
}

/** Arms every fault; returns one line per knob armed. Throws CliFaultError on any problem. */
export async function armFaults(started: Started[], faults: FaultArg[]): Promise<string[]> {
  if (faults.length === 0) return [];
  const known = new Map<string, string[]>();
  for (const s of started) known.set(s.name, (await admin(s.cloud, "GET")).body.knownKnobs as string[]);

  const problems: string[] = [];
  const patches = new Map<string, Record<string, unknown>>();
  for (const fault of faults) {
    let targets: string[];
    if (fault.cloud !== undefined) {
      targets = known.has(fault.cloud) ? [fault.cloud] : [];
      if (!targets.length) problems.push(`--fault ${fault.text}: cloud "${fault.cloud}" is not running (started: ${[...known.keys()].join(", ")})`);
    } else {
      targets = [...known].filter(([, knobs]) => knobs.includes(fault.knob)).map(([name]) => name);
      if (!targets.length) {
        const list = [...known].map(([name, knobs]) => `${name}: ${knobs.join(", ")}`).join("; ");
        problems.push(`--fault ${fault.knob}: unknown knob "${fault.knob}" (known on ${list})`);
      }
    }
    for (const name of targets) patches.set(name, { ...patches.get(name), [fault.knob]: fault.value });
  }
  if (problems.length) throw new CliFaultError(problems);

  const lines: string[] = [];
  for (const s of started) {
    const patch = patches.get(s.name);
    if (!patch) continue;
    const res = await admin(s.cloud, "POST", patch);
    if (res.status !== 200) {
      problems.push(...((res.body.problems as string[] | undefined) ?? [JSON.stringify(res.body)]).map((p) => `--fault on ${s.name}: ${p}`));
      continue;
    }
    for (const knob of Object.keys(patch)) lines.push(`[${s.name}] fault armed: ${knob} ${JSON.stringify(res.body.faults[knob] ?? null)}`);
  }
  if (problems.length) throw new CliFaultError(problems);
  return lines;
}
