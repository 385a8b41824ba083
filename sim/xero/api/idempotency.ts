// Idempotency-Key handling, scoped per organisation. The first response to a
// key is kept with a fingerprint of the request (method, path, query, body);
// the same key and the same request replays that response and does nothing
// else. The same key with a different request is refused with 409 Conflict
// (Xero's docs say only that a key must not be reused for another request;
// we chose 409 so a client can tell it apart from a validation error), and
// so is a second request arriving while the first with that key is running.
import { createHash } from 'node:crypto';

export interface StoredResponse {
  status: number;
  body: string;
  headers: Record<string, string>;
}

interface Entry {
  fingerprint: string;
  response?: StoredResponse;
}

export function requestFingerprint(method: string, pathAndQuery: string, body: string): string {
  return createHash('sha256').update(`${method}\n${pathAndQuery}\n${body}`).digest('hex');
}

export type IdempotencyLookup =
  | { kind: 'new'; commit: (r: StoredResponse) => void; abandon: () => void }
  | { kind: 'replay'; response: StoredResponse }
  | { kind: 'mismatch' }
  | { kind: 'in-flight' };

export class IdempotencyStore {
  private entries = new Map<string, Entry>();

  begin(tenantId: string, key: string, fingerprint: string): IdempotencyLookup {
    const id = `${tenantId}\n${key}`;
    const existing = this.entries.get(id);
    if (existing) {
      if (existing.fingerprint !== fingerprint) return { kind: 'mismatch' };
      if (!existing.response) return { kind: 'in-flight' };
      return { kind: 'replay', response: existing.response };
    }
    const entry: Entry = { fingerprint };
    this.entries.set(id, entry);
    return {
      kind: 'new',
      commit: (r) => {
        entry.response = r;
      },
      abandon: () => {
        this.entries.delete(id);
      },
    };
  }

  clear(): void {
    this.entries.clear();
  }

  size(): number {
    return this.entries.size;
  }
}
