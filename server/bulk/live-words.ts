// What a run's failed records need in words, kept in this server's memory
// only: Xero's validation words and the mapping's messages can state amounts,
// names or line text, so the run tables keep a code and a fixed sentence
// (engine/problems.ts). While the words are here, the run's list shows them;
// after a restart, or on another instance, the list shows the stored sentence,
// which says where to see the words again (the record's own dialog re-derives
// them live).

import { LRUCache } from 'lru-cache';

/** A bound, not a cache policy anyone relies on: the least recently used words are forgotten first. */
const MAX_ENTRIES = 20_000;
const byDeps = new WeakMap<object, LRUCache<string, string>>();

const key = (runId: string, cwRecordId: string) => `${runId}\u0000${cwRecordId}`;

export function rememberWords(deps: object, runId: string, cwRecordId: string, words: string): void {
  let m = byDeps.get(deps);
  if (!m) byDeps.set(deps, (m = new LRUCache({ max: MAX_ENTRIES })));
  m.set(key(runId, cwRecordId), words);
}

export function forgetWords(deps: object, runId: string, cwRecordId: string): void {
  byDeps.get(deps)?.delete(key(runId, cwRecordId));
}

export function wordsFor(deps: object, runId: string, cwRecordId: string): string | undefined {
  return byDeps.get(deps)?.get(key(runId, cwRecordId));
}
