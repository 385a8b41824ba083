// The engine's typed errors: a small set, each with one code spelling. Routes
// turn them into answers (server/http/errors.ts); the executor turns
// NeedsAttention into a record's outcome; everything else interrupts a push,
// which a retry resumes from the ledger.

/** A failure a person must resolve; the ledger keeps its code, the answer carries its words. */
export class NeedsAttention extends Error {
  override readonly name = 'NeedsAttention';
  constructor(
    readonly code: string,
    message: string,
    readonly where?: string,
  ) {
    super(message);
  }
}

/** Another push took the record's lease over (ours ran past it): stop; that push finishes the job. */
export class LeaseLost extends Error {
  override readonly name = 'LeaseLost';
  constructor() {
    super('another push of this record took over');
  }
}

/** Xero answered 429/5xx (or nothing) for longer than we wait: a later push or step resumes. */
export class XeroUnavailable extends Error {
  override readonly name = 'XeroUnavailable';
  constructor(
    message: string,
    /** When it is worth trying again. */
    readonly retryAt?: Date,
  ) {
    super(message);
  }
}

/** Xero's daily allowance for the organisation is spent (or down to the reserve kept for people). */
export class XeroDayLimit extends Error {
  override readonly name = 'XeroDayLimit';
  constructor(readonly resumeAt: Date) {
    super(`Xero's daily call limit for this organisation is reached; syncing resumes at ${resumeAt.toISOString()}.`);
  }
}

/**
 * Xero refused a request as a whole (400 and friends) — not per element. The
 * body is Xero's error JSON: its words reach the person, never the database.
 */
export class XeroRefused extends Error {
  override readonly name = 'XeroRefused';
  constructor(
    readonly statusCode: number,
    readonly body: unknown,
    what: string,
  ) {
    super(`Xero answered ${statusCode} to the ${what}`);
  }
}

/** Xero has no such record (404). */
export class XeroNotFound extends Error {
  override readonly name = 'XeroNotFound';
}
