import * as fs from "fs";

/**
 * Pids of live (non-zombie) processes whose process group is `pgid`. Linux only (/proc).
 * Zombies are skipped because a container's PID 1 may never reap the orphaned node host.
 */
export function livePidsInGroup(pgid: number): number[] {
  const pids: number[] = [];
  for (const entry of fs.readdirSync("/proc")) {
    if (!/^\d+$/.test(entry)) continue;
    let stat: string;
    try {
      stat = fs.readFileSync(`/proc/${entry}/stat`, "utf8");
    } catch {
      continue; // exited while we were looking
    }
    // Format: "pid (comm) state ppid pgrp ..."; comm may contain spaces and parentheses.
    const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
    const state = fields[0];
    const pgrp = Number(fields[2]);
    if (pgrp === pgid && state !== "Z" && state !== "X") pids.push(Number(entry));
  }
  return pids;
}

/** Sends `signal` to every process in the group; false if the group no longer exists. */
export function signalGroup(pgid: number, signal: NodeJS.Signals): boolean {
  try {
    process.kill(-pgid, signal);
    return true;
  } catch (e: any) {
    if (e.code === "ESRCH") return false;
    throw e;
  }
}
