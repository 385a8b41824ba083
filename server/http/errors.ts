// Every error the API returns has one shape, so the pod can show it in words:
// {error: {code, message, field?}}. Bad input is a 4xx naming the field.
import type { Context } from 'hono';
import type { ContentfulStatusCode } from 'hono/utils/http-status';
import type { ZodError } from 'zod';
import { LeaseLost, NeedsAttention, XeroDayLimit, XeroNotFound, XeroRefused, XeroUnavailable } from '../engine/errors.js';

export class ApiError extends Error {
  constructor(
    readonly status: ContentfulStatusCode,
    readonly code: string,
    message: string,
    readonly field?: string,
  ) {
    super(message);
  }
}

export function fromZod(error: ZodError, where = 'body'): ApiError {
  const issue = error.issues[0];
  // A bad key of a record (a map such as accountMap) is named by its map, not echoed back.
  const badKey = issue?.code === 'invalid_key';
  const path = issue ? (badKey ? issue.path.slice(0, -1) : issue.path) : [];
  const field = path.length ? path.join('.') : where;
  const message = badKey ? `a key is invalid (${issue.issues[0]?.message ?? 'invalid'})` : (issue?.message ?? 'invalid');
  return new ApiError(400, 'invalid_input', `${field}: ${message}`, field);
}

/**
 * An unexpected error as a log line may show it: our ApiError's words (written
 * without accounting data), else only its name and where it was thrown. The
 * text of anything else is withheld: a library's message can quote the value
 * it choked on (e.g. decimal.js "[DecimalError] Invalid argument: 1047.75x").
 */
export function loggableError(err: unknown): string {
  if (err instanceof ApiError) return `${err.code}: ${err.message}`;
  if (err instanceof Error) {
    const frames = (err.stack ?? '').split('\n').filter((l) => /^\s+at /.test(l));
    return [`${err.name} (message withheld)`, ...frames].join('\n');
  }
  return `a thrown ${typeof err} (withheld)`;
}

/**
 * The sync engine's typed errors (server/engine/errors.ts) that reach a route
 * without a service turning them into words of its own: an answer in words
 * with a status that says whose side failed, never the bare 500. Their
 * messages are the engine's own (ids and what was asked, no accounting data).
 */
export function engineErrorAnswer(err: unknown): ApiError | undefined {
  if (err instanceof XeroUnavailable) {
    const wait = err.retryAt ? Math.max(1, Math.ceil((err.retryAt.getTime() - Date.now()) / 1000)) : 60;
    return new ApiError(503, 'xero_unavailable', `Xero is not answering right now (${err.message}); nothing was duplicated — try again in ${wait} s.`);
  }
  if (err instanceof XeroDayLimit) {
    return new ApiError(503, 'xero_day_limit', `Xero's daily call limit for this organisation is reached; pushing works again from ${err.resumeAt.toISOString().slice(0, 16).replace('T', ' ')} UTC.`);
  }
  if (err instanceof XeroRefused || err instanceof XeroNotFound) return new ApiError(502, err instanceof XeroRefused ? 'xero_refused' : 'xero_not_found', `${err.message}, so this could not be done now; try again in a minute.`);
  if (err instanceof NeedsAttention) return new ApiError(409, err.code, err.message);
  if (err instanceof LeaseLost) return new ApiError(409, 'busy', 'Another push of this record took over; look again in a moment.');
  return undefined;
}

/** Xero busy or down past our retries (or its daily limit): a 503 in words now, any other error as it is. */
export function unavailable(err: unknown): never {
  throw err instanceof XeroUnavailable || err instanceof XeroDayLimit ? engineErrorAnswer(err)! : err;
}

export function errorResponse(c: Context, err: unknown) {
  err = engineErrorAnswer(err) ?? err;
  if (err instanceof ApiError) {
    return c.json({ error: { code: err.code, message: err.message, ...(err.field ? { field: err.field } : {}) } }, err.status);
  }
  // Never echo an unexpected error's text: it might carry accounting data.
  console.error(`[server] unexpected error on ${c.req.method} ${c.req.path}: ${loggableError(err)}`);
  return c.json({ error: { code: 'internal', message: 'Something went wrong on our side; nothing was changed. Try again.' } }, 500);
}
