// Xero wraps every Accounting API response: {Id, Status, ProviderName, DateTimeUTC, <Collection>: [...]}.
import type { Context } from 'hono';
import { newId } from '../ids.js';
import { envelopeDate } from '../wire-dates.js';

export const PROVIDER_NAME = 'Xero API Simulator';

export function envelope(now: number, key: string, items: unknown[], extra: Record<string, unknown> = {}) {
  return { Id: newId(), Status: 'OK', ProviderName: PROVIDER_NAME, DateTimeUTC: envelopeDate(now), ...extra, [key]: items };
}

export function sendEnvelope(c: Context, now: number, key: string, items: unknown[], extra: Record<string, unknown> = {}) {
  return c.json(envelope(now, key, items, extra), 200);
}
