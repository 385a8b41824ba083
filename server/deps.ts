// What every route and service is built from: created once in main.ts (or a
// test) and passed down, so tests can run several isolated servers in one process.
import type { ServerConfig } from './config.js';
import type { Db } from './db/index.js';
import type { ServerKeys } from './crypto/keys.js';
import type { EngineOptions } from './engine/transport.js';
import type { CwRetryOptions } from './cw/client.js';
import type { CwBatchPort, XeroEnginePort } from './engine/ports.js';

export interface AppDeps {
  config: ServerConfig;
  db: Db;
  keys: ServerKeys;
  /** Clock, injectable so tests of expiry run fast. */
  now: () => Date;
  /**
   * Faults a test injects to crash a step at an exact point (read when the
   * step runs). Absent in production.
   */
  faults?: AppFaults;
  /** The sync engine's Xero limits and retry timing (tests shorten them); Xero's real ones when absent. */
  engine?: EngineOptions;
  /** ConnectWise clients' retries and timeouts (tests shorten them); the client's defaults when absent. */
  cwRetry?: Partial<CwRetryOptions>;
}

export interface AppFaults {
  /** Called after a payment sync wrote ConnectWise's payment record and before it recorded that in the ledger; a throw is a crash there. */
  afterCwPaymentWrite?: (cwInvoiceId: number) => void | Promise<void>;
  /** Wrap the engine's Xero port (a throw is a crash at that call). */
  xeroPort?: (port: XeroEnginePort) => XeroEnginePort;
  /** Wrap the engine's ConnectWise batch port. */
  cwPort?: (port: CwBatchPort) => CwBatchPort;
}
