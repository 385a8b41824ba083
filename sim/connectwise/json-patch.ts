// ConnectWise's PATCH body: a JSON Patch array `[{op, path, value}]`. It
// accepts paths with or without the leading slash ("/description" or
// "description"); the sim supports replace/add/remove of top-level fields,
// which is all ConnectWise's records need for these endpoints.
import { z } from 'zod';
import { fromZod, invalidField } from './errors.js';

const opSchema = z.object({
  op: z.enum(['replace', 'add', 'remove'], { message: 'op must be replace, add or remove' }),
  path: z.string().min(1),
  value: z.unknown().optional(),
});
export const patchSchema = z.array(opSchema).min(1, 'expected at least one operation');

export function applyPatch<T extends object>(resource: string, record: T, body: unknown, allowed: readonly string[]): T {
  const parsed = patchSchema.safeParse(body);
  if (!parsed.success) throw fromZod(resource, parsed.error);
  const out: Record<string, unknown> = { ...(record as Record<string, unknown>) };
  for (const [i, op] of parsed.data.entries()) {
    const field = op.path.replace(/^\//, '');
    const key = allowed.find((a) => a.toLowerCase() === field.toLowerCase());
    if (!key) throw invalidField(resource, `[${i}].path`, `"${op.path}" cannot be patched (allowed: ${allowed.join(', ')})`);
    if (op.op === 'remove') delete out[key];
    else {
      if (!('value' in op)) throw invalidField(resource, `[${i}].value`, 'value is required');
      out[key] = op.value;
    }
  }
  return out as T;
}
