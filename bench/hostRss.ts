import * as fs from "fs";
import type { DynamicHost } from "../tests/harness/dynamicHost";
import { livePidsInGroup } from "../tests/harness/processGroup";

/**
 * Resident memory (bytes) of the node process serving `host`. The host's pid is the `sh`
 * launcher; the node host runs in the same process group. Linux only (/proc).
 */
export function hostRssBytes(host: DynamicHost): number {
  let best = NaN;
  for (const pid of livePidsInGroup(host.pid)) {
    let status: string;
    try {
      status = fs.readFileSync(`/proc/${pid}/status`, "utf8");
    } catch {
      continue;
    }
    const name = /^Name:\s*(\S+)/m.exec(status)?.[1];
    const rssKb = Number(/^VmRSS:\s*(\d+)\s*kB/m.exec(status)?.[1]);
    if (name === "node" && Number.isFinite(rssKb)) best = Number.isNaN(best) ? rssKb * 1024 : Math.max(best, rssKb * 1024);
  }
  return best;
}
