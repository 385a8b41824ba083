// Create/update calls take arrays. With summarizeErrors (the default) one bad
// element fails the whole call with 400 and nothing is saved; with
// summarizeErrors=false every element is tried on its own and comes back with
// StatusAttributeString "OK" or "ERROR" (and its ValidationErrors), HTTP 200.
import type { Context } from 'hono';
import type { OrgState } from '../records.js';
import { validationException } from './errors.js';
import { boolQuery } from './input.js';
import type { Wire } from './listing.js';

export type ElementOutcome = { ok: true; wire: Wire } | { ok: false; wire: Wire; errors: string[] };

function snapshot(org: OrgState): OrgState {
  return structuredClone(org);
}

function restore(org: OrgState, snap: OrgState): void {
  Object.assign(org, snap);
}

export function runBatch(c: Context, org: OrgState, elements: unknown[], one: (raw: unknown, index: number) => ElementOutcome): Wire[] {
  const summarize = boolQuery(c, 'summarizeErrors') ?? true;
  const snap = summarize ? snapshot(org) : undefined;
  const outcomes: ElementOutcome[] = [];
  for (let i = 0; i < elements.length; i++) {
    // Each element handler validates completely before it changes anything,
    // so a failed element leaves no trace even without the snapshot.
    outcomes.push(one(elements[i], i));
  }
  if (summarize) {
    const failed = outcomes.filter((o): o is Extract<ElementOutcome, { ok: false }> => !o.ok);
    if (failed.length) {
      restore(org, snap!);
      throw validationException(failed.map((f) => ({ ...f.wire, ValidationErrors: f.errors.map((m) => ({ Message: m })) })));
    }
    return outcomes.map((o) => o.wire);
  }
  return outcomes.map((o) =>
    o.ok
      ? { ...o.wire, StatusAttributeString: 'OK' }
      : { ...o.wire, StatusAttributeString: 'ERROR', ValidationErrors: o.errors.map((m) => ({ Message: m })) },
  );
}
