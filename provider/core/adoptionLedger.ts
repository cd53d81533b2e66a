import { stableJson } from "./diffRules";

// What this process has learned from the engine about which machines are recorded in state
// (issue 21). A dynamic provider's create receives only the new inputs, never the id it replaces,
// but the engine calls Check (with the old inputs when the resource is in state) and, for a replace
// it decides by diffing, Diff (with the old id) in the same process before Create. Every id the
// engine names in a call is recorded by some resource, and every id a create returns is taken:
// neither is ever a machine another create may adopt.

/** What a create may know about the resource it makes. */
export interface AdoptionScope {
  /** The engine checked these inputs against old ones: the resource is in state, so this create replaces it. */
  readonly recordedResource: boolean;
  /** The id this create replaces, when the engine's Diff named it in this process. */
  readonly replacedId?: string;
  /** Recorded by a resource (named by the engine) or taken by another create of this process. */
  isClaimed(id: string): boolean;
  /** This create takes the machine: no other create of the process will consider it. */
  claim(id: string): void;
}

interface Ledger {
  claimed: Set<string>;
  recordedInputs: Set<string>;
  replacing: Map<string, string>;
}

const ledgers = new Map<string, Ledger>();

function ledgerOf(type: string, endpoint: string): Ledger {
  const key = `${type}|${endpoint}`;
  let ledger = ledgers.get(key);
  if (!ledger) {
    ledger = { claimed: new Set(), recordedInputs: new Set(), replacing: new Map() };
    ledgers.set(key, ledger);
  }
  return ledger;
}

/** The engine's bookkeeping keys (`__provider`, `__meta`) are not the resource's inputs. */
function inputsKey(inputs: Record<string, unknown>): string {
  return stableJson(Object.fromEntries(Object.entries(inputs ?? {}).filter(([k, v]) => !k.startsWith("__") && v !== undefined)));
}

const hasInputs = (olds: Record<string, unknown> | undefined) => !!olds && Object.keys(olds).some((k) => !k.startsWith("__"));

export const adoptionLedger = {
  /** Check: old inputs mean the engine has the resource in state. */
  noteChecked(type: string, endpoint: string, olds: Record<string, unknown> | undefined, inputs: Record<string, unknown>): void {
    if (hasInputs(olds)) ledgerOf(type, endpoint).recordedInputs.add(inputsKey(inputs));
  },
  /** Diff, read, update, delete: the engine named `id`, so a resource records it. */
  noteRecorded(type: string, endpoint: string, id: string | undefined): void {
    if (id) ledgerOf(type, endpoint).claimed.add(id);
  },
  /** Diff answered replace: the create with `news` that follows replaces `id`. */
  noteReplacing(type: string, endpoint: string, news: Record<string, unknown>, id: string): void {
    const ledger = ledgerOf(type, endpoint);
    ledger.claimed.add(id);
    ledger.recordedInputs.add(inputsKey(news));
    ledger.replacing.set(inputsKey(news), id);
  },
  scopeFor(type: string, endpoint: string, inputs: Record<string, unknown>): AdoptionScope {
    const ledger = ledgerOf(type, endpoint);
    const key = inputsKey(inputs);
    return {
      recordedResource: ledger.recordedInputs.has(key),
      replacedId: ledger.replacing.get(key),
      isClaimed: (id) => ledger.claimed.has(id),
      claim: (id) => void ledger.claimed.add(id),
    };
  },
};

/**
 * For resources that adopt an identical existing one instead of failing (SSH keys: same name and
 * key material is the same key, and nothing bills): never a key a resource records, never the one
 * this create replaces, and nothing at all when the engine replaces without saying what.
 */
export function mayAdoptIdentical(scope: AdoptionScope, id: string): boolean {
  return !scope.isClaimed(id) && !mayBeReplaced(scope, id);
}

/** `id` is (or, when the engine did not say which, may be) the one this create replaces. */
export function mayBeReplaced(scope: AdoptionScope, id: string): boolean {
  return id === scope.replacedId || (scope.recordedResource && !scope.replacedId);
}
