// zod at the boundary: parse a request's JSON body or params, or answer 400 naming the field.
import type { Context } from 'hono';
import type { z } from 'zod';
import { ApiError, fromZod } from './errors.js';

export async function parseJson<S extends z.ZodType>(c: Context, schema: S): Promise<z.infer<S>> {
  let body: unknown;
  try {
    body = await c.req.json();
  } catch {
    throw new ApiError(400, 'invalid_json', 'body: expected a JSON object', 'body');
  }
  const r = schema.safeParse(body);
  if (!r.success) throw fromZod(r.error);
  return r.data;
}

export function parseWith<S extends z.ZodType>(schema: S, value: unknown, where: string): z.infer<S> {
  const r = schema.safeParse(value);
  if (!r.success) throw fromZod(r.error, where);
  return r.data;
}
