// ConnectWise's error body `{code, message, errors?}` and a throwable that
// carries it, so every route answers bad input with a 4xx naming the field.
import type { Context } from 'hono';
import type { ContentfulStatusCode } from 'hono/utils/http-status';
import type { ZodError } from 'zod';
import type { CwErrorBody } from '../../shared/cw-types.js';

export class CwError extends Error {
  constructor(
    readonly status: ContentfulStatusCode,
    readonly code: string,
    message: string,
    readonly errors?: CwErrorBody['errors'],
  ) {
    super(message);
  }

  body(): CwErrorBody {
    return { code: this.code, message: this.message, ...(this.errors ? { errors: this.errors } : {}) };
  }
}

/** A 400 about one field, shaped as ConnectWise's InvalidObject answers. */
export function invalidField(resource: string, field: string, message: string, code = 'InvalidField'): CwError {
  return new CwError(400, 'InvalidObject', `${resource} object is invalid: ${field}: ${message}`, [
    { code, message: `${field}: ${message}`, resource, field },
  ]);
}

export function fromZod(resource: string, error: ZodError): CwError {
  const issue = error.issues[0];
  const field = issue && issue.path.length ? issue.path.join('.') : 'body';
  return invalidField(resource, field, issue?.message ?? 'invalid');
}

export function notFound(what: string): CwError {
  return new CwError(404, 'NotFound', `${what} not found`);
}

export function cwErrorResponse(c: Context, err: unknown) {
  if (err instanceof CwError) return c.json(err.body(), err.status);
  console.error(`[cw-sim] unexpected error on ${c.req.method} ${c.req.path}:`, err instanceof Error ? err.stack : err);
  return c.json({ code: 'UnexpectedError', message: 'An unexpected error occurred in the simulator' } satisfies CwErrorBody, 500);
}

export async function readJson(c: Context, resource: string): Promise<unknown> {
  try {
    return await c.req.json();
  } catch {
    throw invalidField(resource, 'body', 'expected a JSON body');
  }
}
