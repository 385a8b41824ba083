// JSON over fetch with our error shape turned into words the pod can show.
import type { ZodType } from 'zod';
import { apiErrorBody } from '../../shared/api.js';

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

export async function requestJson<T>(url: string, init: RequestInit, schema: ZodType<T>): Promise<T> {
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
  if (!res.ok) {
    const err = apiErrorBody.safeParse(body);
    if (err.success) throw new PodApiError(err.data.error.message, res.status, err.data.error.code, err.data.error.field);
    throw new PodApiError(`The CW–Xero Sync server answered ${res.status} ${res.statusText}.`, res.status, 'http_error');
  }
  const parsed = schema.safeParse(body);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new PodApiError(`The server’s answer was not understood (${issue?.path.join('.') || 'body'}: ${issue?.message ?? 'invalid'}).`, res.status, 'bad_response');
  }
  return parsed.data;
}
