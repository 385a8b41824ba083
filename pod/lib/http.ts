// JSON over fetch with our error shape turned into words the pod can show.
// No validator library here (the pod's JavaScript budget is 20 KB): the server
// validates every answer it sends against shared/api.ts; a caller may still
// pass a check (any object with zod's safeParse, e.g. a zod schema in a test).
import type { ApiErrorBody } from '../../shared/api.js';

/** What checks an answer's shape: a zod schema fits (structurally, without importing zod). */
export interface AnswerCheck<T> {
  safeParse(data: unknown): { success: true; data: T } | { success: false; error: { issues: readonly { path: readonly PropertyKey[]; message: string }[] } };
}

/** Our one error shape, `{error: {code, message, field?}}`, or undefined. */
function apiError(body: unknown): ApiErrorBody['error'] | undefined {
  const e = typeof body === 'object' && body !== null ? (body as { error?: unknown }).error : undefined;
  if (typeof e !== 'object' || e === null) return undefined;
  const { code, message, field } = e as Record<string, unknown>;
  if (typeof code !== 'string' || typeof message !== 'string' || (field !== undefined && typeof field !== 'string')) return undefined;
  return { code, message, ...(field !== undefined ? { field } : {}) };
}

export class PodApiError extends Error {
  constructor(
    message: string,
    readonly status: number,
    readonly code: string,
    readonly field?: string,
  ) {
    super(message);
  }
}

/**
 * The caller's headers over our defaults, by name whatever its case: a plain
 * object spread would send "Content-Type" and "content-type" both, which the
 * browser joins into "application/json, application/json" (refused with 415).
 */
function withDefaults(init: RequestInit): Record<string, string> {
  const out: Record<string, string> = { Accept: 'application/json', ...(init.body ? { 'Content-Type': 'application/json' } : {}) };
  const given = init.headers instanceof Headers ? [...init.headers.entries()] : Array.isArray(init.headers) ? init.headers : Object.entries(init.headers ?? {});
  for (const [name, value] of given) {
    for (const key of Object.keys(out)) if (key.toLowerCase() === name.toLowerCase()) delete out[key];
    out[name] = value;
  }
  return out;
}

export async function requestJson<T>(url: string, init: RequestInit, check?: AnswerCheck<T>): Promise<T> {
  let res: Response;
  try {
    res = await fetch(url, { ...init, headers: withDefaults(init) });
  } catch {
    throw new PodApiError('Cannot reach the CW–Xero Sync server. Check your connection and try again.', 0, 'network');
  }
  let body: unknown = undefined;
  const text = await res.text();
  if (text) {
    try {
      body = JSON.parse(text);
    } catch {
      body = undefined;
    }
  }
  return answerOf(res.status, res.statusText, body, check);
}

/** What an answer means for the caller: the body (checked when asked), or a PodApiError in words. Also for answers that came with the session. */
export function answerOf<T>(status: number, statusText: string, body: unknown, check?: AnswerCheck<T>): T {
  if (status < 200 || status > 299) {
    const err = apiError(body);
    if (err) throw new PodApiError(err.message, status, err.code, err.field);
    throw new PodApiError(`The CW–Xero Sync server answered ${status} ${statusText}.`, status, 'http_error');
  }
  if (!check) return body as T;
  const parsed = check.safeParse(body);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new PodApiError(`The server’s answer was not understood (${issue?.path.map(String).join('.') || 'body'}: ${issue?.message ?? 'invalid'}).`, status, 'bad_response');
  }
  return parsed.data;
}
