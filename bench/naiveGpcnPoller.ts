import type { NaiveClient, NaiveCreateResult, NaiveRunOptions } from "./clouds";
import { sleep } from "./stats";

// The baseline: what the official GPCN Terraform provider does (shared/api/gpcn.md §3, §9),
// one independent client per VM. POST the create, poll that one job with POST /resource/jobs
// {jobIds:[id]} after 1 s, then doubling up to a 10 s cap, then one GET of the VM. Requests are
// retried on 429/5xx only: 1 s doubling (30 s cap), Retry-After honoured up to 30 s, 3 retries.
// Every delay is divided by `scheduleScale` to run the schedule in emulated time: polls are
// placed on a timeline where each delay and each request's duration count ÷ scale (a real
// request is not `scheduleScale` times slower), so neither request time nor timer overshoot
// piles up. With scheduleScale 1 it is exactly "request, sleep, request". The whole create gives
// up at `deadlineAt`, so it always ends by itself. With scheduleScale 1 it is exactly "sleep, then poll".

const POLL_FIRST_MS = 1000;
const POLL_CAP_MS = 10_000;
const RETRIES = 3;
const RETRY_CAP_MS = 30_000;
const MAX_POLLS = 200;

export interface NaiveGpcnOptions {
  url: string;
  apiKey: string;
  datacenterId: string;
  seriesId: string;
  sshKeyId: string;
}

class GaveUp extends Error {}

export class NaiveGpcnPoller implements NaiveClient {
  constructor(private readonly o: NaiveGpcnOptions) {}

  async create(name: string, run: NaiveRunOptions): Promise<NaiveCreateResult> {
    const counts = { requests: 0, got429: 0 };
    const sleepUntil = async (at: number) => {
      if (at > run.deadlineAt) {
        await sleep(run.deadlineAt - Date.now());
        throw new GaveUp(`gave up at its deadline`);
      }
      await sleep(at - Date.now());
    };
    const wait = (ms: number) => sleepUntil(Date.now() + ms / run.scheduleScale);
    const send = async (method: string, path: string, body?: unknown): Promise<any> => {
      for (let attempt = 0; ; attempt++) {
        if (Date.now() > run.deadlineAt) throw new GaveUp("gave up at its deadline");
        counts.requests++;
        const res = await fetch(`${this.o.url}${path}`, {
          method,
          headers: { "x-api-key": this.o.apiKey, accept: "application/json", ...(body ? { "content-type": "application/json" } : {}) },
          body: body === undefined ? undefined : JSON.stringify(body),
          signal: AbortSignal.timeout(60_000),
        });
        const text = await res.text();
        if (res.ok) return text ? JSON.parse(text) : undefined;
        if (res.status === 429) counts.got429++;
        if ((res.status === 429 || res.status >= 500) && attempt < RETRIES) {
          const retryAfter = Number(res.headers.get("retry-after"));
          const backoff = Math.min(RETRY_CAP_MS, 1000 * 2 ** attempt);
          await wait(Number.isFinite(retryAfter) && retryAfter > 0 ? Math.min(retryAfter * 1000, RETRY_CAP_MS) : backoff);
          continue;
        }
        throw new Error(`${method} ${path}: HTTP ${res.status}`);
      }
    };

    let vmId: string | undefined;
    let readyPollDueAt: number | undefined;
    // Where the naive client is on its (scaled) timeline.
    let cursor = Date.now();
    const timed = async (method: string, path: string, body?: unknown) => {
      const t = Date.now();
      try {
        return await send(method, path, body);
      } finally {
        cursor += (Date.now() - t) / run.scheduleScale;
      }
    };
    try {
      const created = await timed("POST", "/resource/gpu", {
        name,
        datacenterId: this.o.datacenterId,
        seriesId: this.o.seriesId,
        gpuCount: 1,
        sshKeyId: this.o.sshKeyId,
      });
      const job = created?.data?.jobs?.[0] ?? created?.data;
      vmId = job?.resourceId;
      const jobId = job?.jobId ?? job?.id;
      if (!jobId || !vmId) throw new Error("create answered no job or VM id");
      // The schedule starts from the answer, and the time from the job's start to the answer
      // counts ÷ scale too: a slow answer from a busy emulator must not count ×scale against it.
      const jobCreatedAt = Date.parse(job?.createdAt ?? "");
      if (Number.isFinite(jobCreatedAt) && jobCreatedAt <= Date.now()) cursor = jobCreatedAt + (Date.now() - jobCreatedAt) / run.scheduleScale;
      for (let poll = 0; ; poll++) {
        if (poll >= MAX_POLLS) throw new Error(`job not done after ${MAX_POLLS} polls`);
        cursor += Math.min(POLL_CAP_MS, POLL_FIRST_MS * 2 ** poll) / run.scheduleScale;
        await sleepUntil(cursor);
        const dueAt = cursor;
        const jobs = await timed("POST", "/resource/jobs", { jobIds: [jobId] });
        const j = jobs?.data?.jobs?.[0];
        if (j?.hasFailed || (j?.isTerminal && !j?.isCompleted)) throw new Error(`job ${j.stage}: ${j.errorMessage ?? ""}`);
        if (j?.isCompleted) {
          readyPollDueAt = dueAt;
          break;
        }
      }
      await send("GET", `/resource/gpu/${vmId}`);
      return { ok: true, vmId, readyPollDueAt, returnedAt: Date.now(), ...counts };
    } catch (e) {
      return { ok: false, vmId, error: (e as Error).message, readyPollDueAt, returnedAt: Date.now(), ...counts };
    }
  }
}
