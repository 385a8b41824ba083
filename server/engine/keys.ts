// Keys that make a retry find what an earlier attempt did: Xero's
// Idempotency-Keys (which cover only the seconds around a call — Xero forgets
// them after about six minutes) and ConnectWise batch identifiers (which are
// looked up before a batch is made). All derived from ids and hashes only.
import { sha256Hex } from '../domain/content-hash.js';

/** SHA-256 of the parts, each ended by a NUL so ("ab","c") and ("a","bc") differ. */
export function sha256(...parts: string[]): string {
  return sha256Hex(parts.map((p) => `${p}\u0000`).join(''));
}

/** A key for one Xero write: `cwxs-<purpose>-<48 hex>` (≤ 128 characters, Xero's bound). */
export function idempotencyKey(purpose: string, ...parts: string[]): string {
  return `cwxs-${purpose}-${sha256(...parts).slice(0, 48)}`;
}

/** One key for a batch call from its elements' keys: the same elements give the same key. */
export function batchKey(purpose: string, elementKeys: string[]): string {
  return idempotencyKey(purpose, ...elementKeys);
}

/**
 * ≤ 50 characters, deterministic per record and its GL entries, so after a
 * crash the batch is found by looking it up rather than created twice. The
 * kind's prefix plus the record id lets a lost ledger row find its batch too.
 */
export function recordBatchIdentifier(prefix: string, cwRecordId: string, glEntryIds: readonly string[]): string {
  return `${prefix}${cwRecordId}-${sha256(glEntryIds.join(',')).slice(0, 12)}`.slice(0, 50);
}

/**
 * "One batch per run": one identifier per run, organisation and the records it closes — the
 * same after a crash (found, not made twice), another for the records a "Retry failed" brings
 * to Xero later (closed in a batch of their own, never taken as closed by the first).
 */
export function runBatchIdentifier(runId: string, xeroTenantId: string, glEntryIds: readonly string[]): string {
  const records = [...glEntryIds].sort((a, b) => Number(a) - Number(b) || a.localeCompare(b)).join(',');
  return `cwxs-run-${sha256(runId, xeroTenantId).slice(0, 24)}-${sha256(records).slice(0, 12)}`;
}
