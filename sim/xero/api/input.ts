// zod pieces for request elements. A zod issue becomes a Xero validation
// message that names the field, e.g. "LineItems[0].Quantity: expected a number".
import { z } from 'zod';
import type { Context } from 'hono';
import { postDataInvalid } from './errors.js';

/** Xero accepts numbers, and numeric strings, for amounts and quantities. */
export const numeric = z.union([z.number().finite(), z.string().regex(/^-?\d+(\.\d+)?$/, 'expected a number')]);

export const idRef = z.string().regex(/^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$/, 'expected a GUID');

export const trackingInput = z.object({
  TrackingCategoryID: idRef.optional(),
  TrackingOptionID: idRef.optional(),
  Name: z.string().optional(),
  Option: z.string().optional(),
});

export const lineInput = z.object({
  LineItemID: idRef.optional(),
  Description: z.string().optional(),
  Quantity: numeric.optional(),
  UnitAmount: numeric.optional(),
  ItemCode: z.string().optional(),
  AccountCode: z.string().optional(),
  AccountID: idRef.optional(),
  TaxType: z.string().optional(),
  TaxAmount: numeric.optional(),
  LineAmount: numeric.optional(),
  DiscountRate: numeric.optional(),
  Tracking: z.array(trackingInput).optional(),
});
export type LineInput = z.infer<typeof lineInput>;

export const contactRef = z.object({
  ContactID: idRef.optional(),
  ContactNumber: z.string().optional(),
  Name: z.string().optional(),
});

export function issueMessages(error: z.ZodError, prefix = ''): string[] {
  return error.issues.map((i) => {
    const path = i.path.reduce<string>((acc, p) => (typeof p === 'number' ? `${acc}[${p}]` : acc ? `${acc}.${String(p)}` : String(p)), prefix);
    return `${path || 'element'}: ${i.message}`;
  });
}

/** The JSON body; a body that is not JSON is Xero's PostDataInvalidException. */
export async function jsonBody(c: Context): Promise<unknown> {
  const text = await c.req.text();
  if (!text.trim()) throw postDataInvalid('The request body is empty');
  try {
    return JSON.parse(text);
  } catch {
    throw postDataInvalid('The request body is not valid JSON');
  }
}

/** Elements of a create/update body: {"Invoices":[…]} or a single bare object. */
export function elementsOf(body: unknown, key: string): unknown[] {
  if (body && typeof body === 'object' && !Array.isArray(body)) {
    const obj = body as Record<string, unknown>;
    if (key in obj) {
      const list = obj[key];
      if (!Array.isArray(list)) throw postDataInvalid(`${key}: expected an array`);
      return list;
    }
    return [obj];
  }
  if (Array.isArray(body)) return body;
  throw postDataInvalid(`Expected a JSON object with a ${key} array`);
}

export function boolQuery(c: Context, name: string): boolean | undefined {
  const v = c.req.query(name);
  if (v === undefined) return undefined;
  if (v.toLowerCase() === 'true') return true;
  if (v.toLowerCase() === 'false') return false;
  throw postDataInvalid(`${name}: expected true or false`);
}

export function unitdp4(c: Context): boolean {
  const v = c.req.query('unitdp');
  if (v === undefined) return false;
  if (v === '4') return true;
  if (v === '2') return false;
  throw postDataInvalid('unitdp: expected 2 or 4');
}
