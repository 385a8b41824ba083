// What every part of the simulator shares: its options, its clock and its
// current state (replaced wholesale by reset()).
import type { SimState } from './model.js';
import { seedState } from './seed.js';
import { noInjected, type InjectedCounts } from '../net-faults.js';

export interface CwSimOptions {
  /** ConnectWise company id the API keys belong to (compared case-insensitively). */
  companyId: string;
  publicKey: string;
  privateKey: string;
  /** How long a memberHash issued by a host page stays valid. */
  memberHashTtlSeconds: number;
  /** The sim's clock; tests inject one to expire member hashes. */
  now: () => Date;
  /** Random source for fault injection (tests may make it deterministic). */
  random: () => number;
}

export const DEFAULT_OPTIONS: Omit<CwSimOptions, 'now' | 'random'> = {
  companyId: 'democo',
  publicKey: 'simPublicKey',
  privateKey: 'simPrivateKey',
  memberHashTtlSeconds: 900,
};

/** API calls as they reach the simulator: how many, and how many at once (the benchmark reports the most). */
export class Traffic {
  calls = 0;
  inFlight = 0;
  peakInFlight = 0;

  begin(): () => void {
    this.calls++;
    this.inFlight++;
    this.peakInFlight = Math.max(this.peakInFlight, this.inFlight);
    let ended = false;
    return () => {
      if (ended) return;
      ended = true;
      this.inFlight--;
    };
  }

  /** Counts from now (calls still in flight stay counted in flight). */
  restart(): void {
    this.calls = 0;
    this.peakInFlight = this.inFlight;
  }
}

export class SimContext {
  state: SimState = seedState();
  readonly traffic = new Traffic();
  /** Faults injected since the start or the last reset, by kind (faults.ts). */
  injected: InjectedCounts = noInjected();
  constructor(readonly options: CwSimOptions) {}

  now(): Date {
    return this.options.now();
  }

  reset(): void {
    // Restores the seed exactly: hosted setups, batches, payments and issued member hashes go too.
    this.state = seedState();
    this.traffic.restart();
    this.injected = noInjected();
  }
}

export type SimEnv = { Variables: { identity: Identity } };

export type Identity = { kind: 'api' } | { kind: 'member'; memberIdentifier: string };
