/** POST /resource/jobs {jobIds: 1–50}: unknown ids are silently left out (doc §9). */

import type { Router } from "../../core/router";
import { ok, validationFailure } from "../envelope";
import { serializeJob } from "../jobs";
import type { GpcnState } from "../state";
import { isRecord } from "../validation";
import { API_PREFIX } from "./apiPrefix";

const MAX_JOB_IDS = 50;

export function registerJobRoutes(router: Router, state: GpcnState): void {
  router.post(`${API_PREFIX}/resource/jobs`, (ctx) => {
    const jobIds = isRecord(ctx.body) ? ctx.body.jobIds : undefined;
    if (!Array.isArray(jobIds)) return validationFailure([{ path: "jobIds", message: "jobIds must be an array of job IDs" }]);
    if (jobIds.length < 1 || jobIds.length > MAX_JOB_IDS) {
      return validationFailure([{ path: "jobIds", message: `jobIds must contain between 1 and ${MAX_JOB_IDS} items` }]);
    }
    if (!jobIds.every((id) => typeof id === "string")) return validationFailure([{ path: "jobIds", message: "Each job ID must be a string" }]);

    const now = state.clock.wallNow();
    const jobs = (jobIds as string[]).flatMap((id) => {
      const job = state.jobs.get(id);
      if (!job) return [];
      const view = serializeJob(job, state.clock);
      if (view.isCompleted && job.firstObservedCompletedAt === undefined) job.firstObservedCompletedAt = now;
      return [view];
    });
    return ok({ jobs }, "Jobs retrieved successfully");
  });
}
