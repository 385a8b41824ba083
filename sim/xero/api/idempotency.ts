// Idempotency-Key handling, scoped per organisation, as Xero's guidance
// describes it: the first answer to a key is kept with a fingerprint of the
// request (method, path, query, body) for about six minutes of the sim clock.
// Within that window the same key and the same request replay the kept
// answer (a 4xx refusal too) and do nothing else; the same key with a
// different request is refused (the guard answers 400). After the window the
// key is forgotten: the same request runs again and can create a second
// record — a key covers a transient retry, never long-term de-duplication.
// A second request arriving while the first with that key is still running
// is refused too (Xero is silent on this; see the README).
import { createHash } from 'node:crypto';

/** How long a key is remembered after its answer was kept ("about six minutes"). */
export const IDEMPOTENCY_WINDOW_SECONDS = 360;

export interface StoredResponse {
  status: number;
  body: string;
  headers: Record<string, string>;
}

interface Entry {
  fingerprint: string;
  response?: StoredResponse;
  /** Sim-clock time after which the key is forgotten; set when the answer is kept. */
  expiresAt?: number;
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
  private nextSweepAt = 0;

  constructor(
    private readonly now: () => number,
    private readonly windowMs = IDEMPOTENCY_WINDOW_SECONDS * 1000,
  ) {}

  begin(tenantId: string, key: string, fingerprint: string): IdempotencyLookup {
    this.sweep();
    const id = `${tenantId}\n${key}`;
    const existing = this.entries.get(id);
    if (existing && !this.expired(existing)) {
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
        entry.expiresAt = this.now() + this.windowMs;
      },
      abandon: () => {
        if (this.entries.get(id) === entry) this.entries.delete(id);
      },
    };
  }

  clear(): void {
    this.entries.clear();
    this.nextSweepAt = 0;
  }

  size(): number {
    return this.entries.size;
  }

  // A request still running has no expiry: it is never forgotten mid-flight.
  private expired(entry: Entry): boolean {
    return entry.expiresAt !== undefined && entry.expiresAt <= this.now();
  }

  // Forgotten keys are dropped at most once a window, so memory stays bounded
  // by the keys of the last few minutes without a scan on every call.
  private sweep(): void {
    const now = this.now();
    if (now < this.nextSweepAt) return;
    this.nextSweepAt = now + this.windowMs;
    for (const [id, entry] of this.entries) if (this.expired(entry)) this.entries.delete(id);
  }
}
