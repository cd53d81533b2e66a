import { waitProgress } from "../core/progressLog";
import { waitUntil } from "../core/waiter";
import { GpcnClient } from "./client";
import { GpuVmInputs } from "./inputs";
import { jobOutcome, vmOutcome } from "./observations";
import { GpcnJob } from "./schemas";

const TYPE = "gpcn:GpuVm";

/** Until the create job (or, without one, the VM) says it runs. */
export async function waitUntilRunning(client: GpcnClient, vmId: string, job: GpcnJob | undefined, inputs: GpuVmInputs, deadlineAt: number) {
  const now = Date.now();
  const what = job ? `GPCN job ${job.jobId} (create VM "${inputs.name}")` : `GPCN VM ${vmId} ("${inputs.name}") to run`;
  if (job) {
    const initial = jobOutcome(job, job.jobId, now);
    if (initial.state === "success") return;
    await waitUntil({
      what,
      initial,
      deadlineAt,
      poll: async () => jobOutcome(await client.loadJob(job.jobId), job.jobId, Date.now()),
      onProgress: waitProgress(TYPE, inputs.name),
      heartbeatMs: 30_000,
    });
  } else {
    await waitUntil({
      what,
      deadlineAt,
      minDelayMs: 1000,
      poll: async () => vmOutcome(await client.loadVm(vmId), "running"),
      onProgress: waitProgress(TYPE, inputs.name),
      heartbeatMs: 30_000,
    });
  }
}
