import type { AdoptionScope } from "./adoptionLedger";
import { ConflictError, GpuCloudError } from "./errors";
import { logProgress } from "./progressLog";

// Clouds without idempotency keys. The rules (README "When a create adopts an existing machine"):
// - a replacement never adopts the machine it replaces (nor any machine a resource records);
// - a lost answer adopts only a machine that appeared since this create's POST, and only when it
//   is the single one; otherwise the create fails closed, with no second POST;
// - a leftover of an interrupted create (it existed before this create began) is adopted only when
//   the cloud marks it as never recorded (Nova: no label yet); any other candidate fails the create
//   closed, naming it, so the user can adopt it with `adoptId` or delete it.

/** A live machine that matches the resource's identity (name or label, and the configuration the cloud shows). */
export interface Candidate<R> {
  id: string;
  value: R;
  /** The cloud shows that no create finished with it (Nova: unlabelled, made recently): a crash leftover nobody records. */
  unrecorded?: boolean;
}

export interface CreateOnceSteps<R> {
  /** For messages: `gpcn:GpuVm "trainer"`. */
  what: string;
  /** The cloud's spec name (in the error's `cloud` field) and label (in messages). */
  cloud: { name: string; label: string };
  scope: AdoptionScope;
  /**
   * Every live machine that matches this resource's identity; undefined when the cloud cannot list
   * its machines (then nothing can be adopted, and a lost answer fails closed). `fresh` = bypass any
   * shared listing.
   */
  findCandidates(fresh: boolean): Promise<Candidate<R>[] | undefined>;
  /** `existedBefore`: ids of the candidates listed before the POST (none of them is what it makes). */
  send(existedBefore: ReadonlySet<string>): Promise<R>;
  idOf(result: R): string;
  /**
   * Creates with the same key run one at a time, from the look-up until the new machine is claimed:
   * e.g. `type|endpoint|name`, so two resources of one name in one process never take one machine.
   */
  serializeKey?: string;
  /**
   * Before a leftover marked unrecorded is adopted: make it this resource's (Nova: set the label).
   * Throws when that is impossible; the create then fails closed.
   */
  takeOver?(candidate: Candidate<R>): Promise<R>;
}

/** The request may have been acted on although no answer arrived. */
export function isUnsureOutcome(err: unknown): boolean {
  return err instanceof GpuCloudError && (err.maybeProcessed || err.kind === "server");
}

/**
 * The create fails closed: machines exist that may be this resource's but cannot be proved so.
 * Nothing is created and nothing is recorded; the message names every candidate.
 */
/** In the message too (as HTTP errors carry the cloud's code), since an engine shows users only the text. */
export const AMBIGUOUS_ADOPTION = "AMBIGUOUS_ADOPTION";

export class AmbiguousAdoptionError extends ConflictError {
  constructor(
    what: string,
    cloud: string,
    readonly candidates: string[],
    why: string,
  ) {
    super(
      `${what}: ${why}: ${candidates.join(", ")}. Nothing was created, to avoid a second machine or adopting one that is not this resource's. ` +
        `If ${candidates.length > 1 ? "one of them" : "it"} is this resource's machine, set \`adoptId\` to its id and run \`pulumi up\` again; ` +
        `otherwise delete it (or give this resource another name), then run again. [code ${AMBIGUOUS_ADOPTION}]`,
      { cloud, code: AMBIGUOUS_ADOPTION },
    );
  }
}

export function createOnce<R>(steps: CreateOnceSteps<R>): Promise<{ result: R; adopted: boolean }> {
  return steps.serializeKey ? serializedBy(steps.serializeKey, () => decideAndCreate(steps)) : decideAndCreate(steps);
}

async function decideAndCreate<R>(steps: CreateOnceSteps<R>): Promise<{ result: R; adopted: boolean }> {
  const { scope } = steps;
  const listed = await steps.findCandidates(false);
  const before = new Set((listed ?? []).map((c) => c.id));
  const open = (listed ?? []).filter((c) => !scope.isClaimed(c.id) && c.id !== scope.replacedId);
  const unrecorded = open.filter((c) => c.unrecorded);
  const others = open.filter((c) => !c.unrecorded);

  if (unrecorded.length === 1 && others.length === 0 && steps.takeOver) {
    const taken = await steps.takeOver(unrecorded[0]).catch((err) => {
      throw new AmbiguousAdoptionError(steps.what, steps.cloud.name, [unrecorded[0].id], `a leftover of an interrupted create cannot be marked as this resource's (${(err as Error).message})`);
    });
    scope.claim(unrecorded[0].id);
    logProgress("warn", `${steps.what}: adopting ${unrecorded[0].id}, left unrecorded by an interrupted create`);
    return { result: taken, adopted: true };
  }
  // The engine replaces this resource but did not say which machine (`--replace`, a provider
  // change): a single machine of the same identity is the one being replaced, never adopted.
  const isTheReplaced = scope.recordedResource && !scope.replacedId && unrecorded.length === 0 && others.length === 1;
  if (open.length && !isTheReplaced) {
    throw new AmbiguousAdoptionError(
      steps.what,
      steps.cloud.name,
      open.map((c) => c.id),
      `found ${open.length > 1 ? "machines" : "a machine"} of the same identity that no resource of this run records, possibly left by an interrupted create or made by another stack`,
    );
  }
  if (isTheReplaced) logProgress("info", `${steps.what}: ${others[0].id} has the same identity; it is the machine being replaced, so a new one is created`);

  for (let attempt = 1; ; attempt++) {
    try {
      const result = await steps.send(before);
      scope.claim(steps.idOf(result));
      return { result, adopted: false };
    } catch (err) {
      if (!isUnsureOutcome(err) || attempt > 1) throw err;
      const fresh = await steps.findCandidates(true);
      if (fresh === undefined) {
        throw new GpuCloudError(
          `${steps.what}: the create's answer was lost (${(err as Error).message}) and ${steps.cloud.label} cannot list machines, so whether it made one cannot be told. ` +
            `Nothing more was sent; check the ${steps.cloud.label} console for a new machine and adopt it with \`adoptId\` or delete it, then run again. [code ${AMBIGUOUS_ADOPTION}]`,
          { cloud: steps.cloud.name, code: AMBIGUOUS_ADOPTION },
        );
      }
      const appeared = fresh.filter((c) => !before.has(c.id) && !scope.isClaimed(c.id));
      if (appeared.length > 1) {
        throw new AmbiguousAdoptionError(
          steps.what,
          steps.cloud.name,
          appeared.map((c) => c.id),
          `the create's answer was lost and several machines of this identity appeared since it was sent (another process creates the same)`,
        );
      }
      if (appeared.length === 1) {
        scope.claim(appeared[0].id);
        logProgress("warn", `${steps.what}: the create's answer was lost but the machine exists; adopting it (${appeared[0].id})`);
        return { result: appeared[0].value, adopted: true };
      }
      logProgress("info", `${steps.what}: the create was not acted on (${(err as Error).message}); sending it again`);
    }
  }
}

/**
 * Runs `work` after every earlier call with the same key has finished: creates whose machines the
 * cloud cannot tell apart until they are marked (Nova: labelled) go one at a time from the POST
 * until the mark, so a lost answer has one candidate and no VM is claimed twice in the process.
 */
export function serializedBy<T>(key: string, work: () => Promise<T>): Promise<T> {
  const previous = queues.get(key) ?? Promise.resolve();
  const run = previous.then(work, work);
  const settled = run.then(
    () => undefined,
    () => undefined,
  );
  queues.set(key, settled);
  void settled.then(() => {
    if (queues.get(key) === settled) queues.delete(key);
  });
  return run;
}

const queues = new Map<string, Promise<unknown>>();
