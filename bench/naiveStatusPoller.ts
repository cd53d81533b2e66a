import type { NaiveClient, NaiveCreateResult, NaiveRunOptions } from "./clouds";
import { sleep } from "./stats";

// The baseline for clouds whose create answers a machine (not a job): one independent client per
// VM, the scheme of bench/naiveGpcnPoller.ts (the official GPCN Terraform provider's) applied to
// the machine itself. POST the create, then GET the machine's status after 1 s, doubling to a
// 10 s cap, until it is ready. The poll that sees it ready already returned the whole machine, so
// there is no extra read at the end. Requests are retried on 429/5xx only: 1 s doubling (30 s
// cap), Retry-After honoured up to 30 s, 3 retries. Every delay is divided by `scheduleScale`
// and placed on a timeline where each request's duration counts ÷ scale too (as in
// naiveGpcnPoller.ts), so a 3-minute job at ×60 is polled as a real one would be; the schedule
// starts from the create's answer (see below). The whole
// create gives up at `deadlineAt`, so it always ends by itself. The per-cloud files
// (naiveNovaPoller.ts, naiveNovitaPoller.ts, naiveFluencePoller.ts) only say which requests.

const POLL_FIRST_MS = 1000;
const POLL_CAP_MS = 10_000;
const RETRIES = 3;
const RETRY_CAP_MS = 30_000;
const MAX_POLLS = 200;

export interface NaiveRequest {
  method: "GET" | "POST";
  path: string;
  body?: unknown;
}

export type MachineState = { state: "ready" } | { state: "pending" } | { state: "failed"; why: string };

/** What one cloud's naive client sends and how it reads the answers. */
export interface NaiveStatusApi {
  /** Base URL the paths are appended to. */
  url: string;
  headers: Record<string, string>;
  create(name: string): NaiveRequest;
  /** The new machine's id from the create answer. */
  idOf(answer: any): string | undefined;
  /** When the cloud made the machine (epoch ms), if the create answer says so to the millisecond. */
  createdAtOf?(answer: any): number | undefined;
  status(id: string): NaiveRequest;
  stateOf(answer: any): MachineState;
}

class GaveUp extends Error {}

export class NaiveStatusPoller implements NaiveClient {
  constructor(private readonly api: NaiveStatusApi) {}

  async create(name: string, run: NaiveRunOptions): Promise<NaiveCreateResult> {
    const api = this.api;
    const counts = { requests: 0, got429: 0 };
    const sleepUntil = async (at: number) => {
      if (at > run.deadlineAt) {
        await sleep(run.deadlineAt - Date.now());
        throw new GaveUp("gave up at its deadline");
      }
      await sleep(at - Date.now());
    };
    const wait = (ms: number) => sleepUntil(Date.now() + ms / run.scheduleScale);
    const send = async (req: NaiveRequest): Promise<any> => {
      for (let attempt = 0; ; attempt++) {
        if (Date.now() > run.deadlineAt) throw new GaveUp("gave up at its deadline");
        counts.requests++;
        const res = await fetch(`${api.url}${req.path}`, {
          method: req.method,
          headers: { ...api.headers, accept: "application/json", ...(req.body !== undefined ? { "content-type": "application/json" } : {}) },
          body: req.body === undefined ? undefined : JSON.stringify(req.body),
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
        throw new Error(`${req.method} ${req.path.split("?")[0]}: HTTP ${res.status}`);
      }
    };

    let vmId: string | undefined;
    let readyPollDueAt: number | undefined;
    // Where the naive client is on its (scaled) timeline.
    let cursor = 0;
    const timed = async (req: NaiveRequest) => {
      const t = Date.now();
      try {
        return await send(req);
      } finally {
        cursor += (Date.now() - t) / run.scheduleScale;
      }
    };
    try {
      const sentAt = Date.now();
      const created = await send(api.create(name));
      const answeredAt = Date.now();
      vmId = api.idOf(created);
      if (!vmId) throw new Error("create answered no machine id");
      // The schedule starts from the answer, as a real client's does. The time from the machine's
      // creation to the answer counts ÷ scale (a create answered late by a busy emulator must not
      // count ×scale against it); without a creation time in the answer it is taken as nil.
      const madeAt = api.createdAtOf?.(created);
      cursor = madeAt !== undefined && madeAt >= sentAt - 1000 && madeAt <= answeredAt ? madeAt + (answeredAt - madeAt) / run.scheduleScale : answeredAt;
      for (let poll = 0; ; poll++) {
        if (poll >= MAX_POLLS) throw new Error(`machine not ready after ${MAX_POLLS} polls`);
        cursor += Math.min(POLL_CAP_MS, POLL_FIRST_MS * 2 ** poll) / run.scheduleScale;
        await sleepUntil(cursor);
        const dueAt = cursor;
        const seen = api.stateOf(await timed(api.status(vmId)));
        if (seen.state === "failed") throw new Error(`machine failed: ${seen.why}`);
        if (seen.state === "ready") {
          readyPollDueAt = dueAt;
          break;
        }
      }
      return { ok: true, vmId, readyPollDueAt, returnedAt: Date.now(), ...counts };
    } catch (e) {
      return { ok: false, vmId, error: (e as Error).message, readyPollDueAt, returnedAt: Date.now(), ...counts };
    }
  }
}
