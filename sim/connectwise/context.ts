// What every part of the simulator shares: its options, its clock and its
// current state (replaced wholesale by reset()).
import type { SimState } from './model.js';
import { seedState } from './seed.js';

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

export class SimContext {
  state: SimState = seedState();
  constructor(readonly options: CwSimOptions) {}

  now(): Date {
    return this.options.now();
  }

  reset(): void {
    // Restores the seed exactly: hosted setups, batches, payments and issued member hashes go too.
    this.state = seedState();
  }
}

export type SimEnv = { Variables: { identity: Identity } };

export type Identity = { kind: 'api' } | { kind: 'member'; memberIdentifier: string };
