// Every error the API returns has one shape, so the pod can show it in words:
// {error: {code, message, field?}}. Bad input is a 4xx naming the field.
import type { Context } from 'hono';
import type { ContentfulStatusCode } from 'hono/utils/http-status';
import type { ZodError } from 'zod';

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
  const field = issue && issue.path.length ? issue.path.join('.') : where;
  return new ApiError(400, 'invalid_input', `${field}: ${issue?.message ?? 'invalid'}`, field);
}

export function errorResponse(c: Context, err: unknown) {
  if (err instanceof ApiError) {
    return c.json({ error: { code: err.code, message: err.message, ...(err.field ? { field: err.field } : {}) } }, err.status);
  }
  // Never echo an unexpected error's text: it might carry accounting data.
  console.error(`[server] unexpected error on ${c.req.method} ${c.req.path}:`, err instanceof Error ? err.stack : err);
  return c.json({ error: { code: 'internal', message: 'Something went wrong on our side; nothing was changed. Try again.' } }, 500);
}
