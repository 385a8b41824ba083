// "Changed since sync" and exactly-once both rest on a fingerprint of what we
// send: SHA-256 over the canonical JSON of the mapped Xero document (object
// keys sorted, undefined dropped), so the same ConnectWise state always gives
// the same hash and any change to a line gives a different one. The hash is
// stored; the document never is.
import { createHash } from 'node:crypto';

/** JSON with object keys in code-point order at every level; undefined members dropped. */
export function canonicalJson(value: unknown): string {
  if (value === null) return 'null';
  switch (typeof value) {
    case 'number':
      if (!Number.isFinite(value)) throw new TypeError('non-finite number in a document');
      return JSON.stringify(value);
    case 'string':
    case 'boolean':
      return JSON.stringify(value);
    case 'object': {
      if (Array.isArray(value)) return `[${value.map((v) => (v === undefined ? 'null' : canonicalJson(v))).join(',')}]`;
      const entries = Object.entries(value as Record<string, unknown>)
        .filter(([, v]) => v !== undefined)
        .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
      return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonicalJson(v)}`).join(',')}}`;
    }
    default:
      throw new TypeError(`cannot hash a ${typeof value}`);
  }
}

export function sha256Hex(text: string): string {
  return createHash('sha256').update(text, 'utf8').digest('hex');
}

/** Hex SHA-256 of the document's canonical JSON. */
export function contentHash(document: unknown): string {
  return sha256Hex(canonicalJson(document));
}

/** Xero accepts Idempotency-Key values up to 128 characters (xero_accounting.yaml). */
export const IDEMPOTENCY_KEY_MAX = 128;

/**
 * The Idempotency-Key for creating one document: the same tenant, the same CW
 * GL entries and the same content always give the same key (a retry replays
 * Xero's first answer); changed content gives a new key. GL entry ids are
 * compared as a set ("12,11" = "11, 12"). At most 86 characters:
 * "cwx1-" + purpose + "-" + 64 hex.
 */
export function idempotencyKey(
  tenantId: string,
  glEntryIds: string | readonly (string | number)[],
  hash: string,
  purpose = 'doc',
): string {
  if (!tenantId) throw new RangeError('tenantId is required');
  if (!/^[0-9a-f]{64}$/.test(hash)) throw new RangeError('content hash must be 64 hex characters');
  if (!/^[a-z]{1,16}$/.test(purpose)) throw new RangeError('purpose must be 1–16 lower-case letters');
  const ids = normaliseGlEntryIds(glEntryIds);
  if (ids.length === 0) throw new RangeError('at least one GL entry id is required');
  const key = `cwx1-${purpose}-${sha256Hex(canonicalJson({ tenantId, glEntryIds: ids, contentHash: hash, purpose }))}`;
  return key;
}

/** "12, 11,12" → ["11","12"]: CW's comma list as a sorted set of ids. */
export function normaliseGlEntryIds(glEntryIds: string | readonly (string | number)[]): string[] {
  const list = typeof glEntryIds === 'string' ? glEntryIds.split(',') : glEntryIds.map(String);
  const ids = [...new Set(list.map((s) => s.trim()).filter((s) => s.length > 0))];
  return ids.sort((a, b) => (a.length - b.length) || (a < b ? -1 : a > b ? 1 : 0));
}
