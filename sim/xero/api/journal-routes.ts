// ManualJournals: lines of LineAmount (+debit / −credit) that must sum to zero.
import { Hono, type Context } from 'hono';
import { z } from 'zod';
import Decimal from 'decimal.js';
import type { SimContext } from '../context.js';
import type { ApiEnv } from './env.js';
import { sendEnvelope } from './envelope.js';
import { listQuery } from './listing.js';
import { notFound } from './errors.js';
import { renderJournal } from './render.js';
import { elementsOf, idRef, issueMessages, jsonBody, numeric, trackingInput } from './input.js';
import { runBatch, type ElementOutcome } from './batch.js';
import type { JournalLineRec, ManualJournalRec, OrgState } from '../records.js';
import { newId } from '../ids.js';
import { dec, lineTax } from '../money.js';
import { parseRequestDay, startOfUtcDay } from '../wire-dates.js';
import { lineAccount, resolveTracking, taxRateFor } from './refs.js';
import { lockDateErrorsFor } from './lock-dates.js';

const journalInput = z.object({
  ManualJournalID: idRef.optional(),
  Narration: z.string().optional(),
  Date: z.string().optional(),
  Status: z.enum(['DRAFT', 'POSTED', 'DELETED', 'VOIDED'], { message: 'expected DRAFT, POSTED, DELETED or VOIDED' }).optional(),
  LineAmountTypes: z.enum(['Exclusive', 'Inclusive', 'NoTax']).optional(),
  ShowOnCashBasisReports: z.boolean().optional(),
  Url: z.string().optional(),
  JournalLines: z.array(z.object({
    LineAmount: numeric,
    AccountCode: z.string().min(1, 'AccountCode is required'),
    Description: z.string().optional(),
    TaxType: z.string().optional(),
    Tracking: z.array(trackingInput).optional(),
  })).optional(),
});

function upsertJournal(org: OrgState, raw: unknown, now: number, mode: 'create' | 'upsert', pathId?: string): ElementOutcome {
  const echo = raw && typeof raw === 'object' ? { ...(raw as Record<string, unknown>) } : {};
  const parsed = journalInput.safeParse(raw);
  if (!parsed.success) return { ok: false, wire: echo, errors: issueMessages(parsed.error) };
  const input = parsed.data;
  const errors: string[] = [];
  const id = pathId ?? input.ManualJournalID;
  const existing = id ? org.journals.get(id.toLowerCase()) : undefined;
  if (id && !existing && (mode === 'upsert' || pathId)) return { ok: false, wire: echo, errors: [`ManualJournalID: the manual journal '${id}' could not be found`] };
  if (existing && mode === 'create') errors.push(`ManualJournalID: manual journal '${id}' already exists; use POST to update it`);
  if (existing && existing.Status !== 'DRAFT' && existing.Status !== 'POSTED') return { ok: false, wire: echo, errors: ['Manual journal not of valid status for modification'] };
  const status = input.Status ?? existing?.Status ?? 'DRAFT';
  if (existing?.Status === 'POSTED' && (status === 'DRAFT' || status === 'DELETED')) errors.push('Status: a posted journal can only be voided');
  if (!existing && status !== 'DRAFT' && status !== 'POSTED') errors.push('Status: a new journal is DRAFT or POSTED');
  const narration = (input.Narration ?? existing?.Narration ?? '').trim();
  if (!narration) errors.push('Narration: Narration is required');
  const date = input.Date !== undefined ? parseRequestDay(input.Date) : existing?.Date ?? startOfUtcDay(now);
  if (date === null) errors.push(`Date: '${input.Date}' is not a valid date (use YYYY-MM-DD)`);
  // A posted (or voided) journal is in the ledger, so lock dates bind it; a draft may be dated anywhere.
  const inLedger = (s: ManualJournalRec['Status']) => s === 'POSTED' || s === 'VOIDED';
  if (inLedger(status)) errors.push(...lockDateErrorsFor(org, [date ?? undefined, existing && inLedger(existing.Status) ? existing.Date : undefined]));
  const types = input.LineAmountTypes ?? existing?.LineAmountTypes ?? 'NoTax';
  let lines: JournalLineRec[] = existing?.lines ?? [];
  if (input.JournalLines) {
    lines = [];
    input.JournalLines.forEach((l, i) => {
      const at = `JournalLines[${i}]`;
      const amount = dec(l.LineAmount);
      if (amount.decimalPlaces() > 2) errors.push(`${at}.LineAmount: at most 2 decimal places`);
      const acc = lineAccount(org, l.AccountCode, true);
      if (acc.error) errors.push(`${at}: ${acc.error}`);
      const taxType = l.TaxType ?? acc.account?.TaxType;
      let tax = new Decimal(0);
      let canonical: string | undefined;
      if (taxType) {
        const r = taxRateFor(org, taxType);
        if (r.error) errors.push(`${at}: ${r.error}`);
        if (r.rate) { canonical = r.rate.TaxType; tax = lineTax(amount.abs(), dec(r.rate.rate), types).times(amount.isNegative() ? -1 : 1); }
      }
      const tr = resolveTracking(org, l.Tracking, at);
      errors.push(...tr.errors);
      if (acc.account) lines.push({ LineAmount: amount.toFixed(2), AccountCode: acc.account.Code, AccountID: acc.account.AccountID, ...(l.Description ? { Description: l.Description } : {}), ...(canonical ? { TaxType: canonical } : {}), TaxAmount: tax.toFixed(2), Tracking: tr.tracking });
    });
  }
  if (status === 'POSTED' && lines.length < 2) errors.push('JournalLines: a posted journal needs at least two lines');
  // Balance is checked on the gross amounts: with Exclusive the tax is added to each line.
  const gross = lines.reduce((s, l) => s.plus(l.LineAmount).plus(types === 'Exclusive' ? dec(l.TaxAmount) : 0), new Decimal(0));
  if (!gross.isZero()) {
    const debits = lines.filter((l) => dec(l.LineAmount).gt(0)).reduce((s, l) => s.plus(l.LineAmount), new Decimal(0));
    const credits = lines.filter((l) => dec(l.LineAmount).lt(0)).reduce((s, l) => s.minus(l.LineAmount), new Decimal(0));
    errors.push(`The total debits (${debits.toFixed(2)}) must equal total credits (${credits.toFixed(2)})`);
  }
  if (errors.length) return { ok: false, wire: echo, errors };
  const rec: ManualJournalRec = {
    ManualJournalID: existing?.ManualJournalID ?? newId(), Narration: narration, Date: date!, Status: status, LineAmountTypes: types,
    ShowOnCashBasisReports: input.ShowOnCashBasisReports ?? existing?.ShowOnCashBasisReports ?? true,
    ...((input.Url ?? existing?.Url) ? { Url: input.Url ?? existing?.Url } : {}), lines, updatedAt: now,
  };
  org.journals.set(rec.ManualJournalID, rec);
  return { ok: true, wire: renderJournal(org, rec) };
}

export function journalRoutes(ctx: SimContext): Hono<ApiEnv> {
  const app = new Hono<ApiEnv>();
  app.get('/ManualJournals', (c) => {
    const org = c.get('org');
    const r = listQuery(c, [...org.journals.values()].map((j) => renderJournal(org, j)), { idField: 'ManualJournalID', pageable: true, defaultOrder: 'UpdatedDateUTC' });
    return sendEnvelope(c, ctx.now(), 'ManualJournals', r.items, r.pagination ? { pagination: r.pagination } : {});
  });
  app.get('/ManualJournals/:id', (c) => {
    const org = c.get('org');
    const j = org.journals.get(c.req.param('id').toLowerCase());
    if (!j) throw notFound('Manual journal');
    return sendEnvelope(c, ctx.now(), 'ManualJournals', [renderJournal(org, j)]);
  });
  const write = (mode: 'create' | 'upsert', byPath: boolean) => async (c: Context<ApiEnv>) => {
    const org = c.get('org');
    const pathId = byPath ? c.req.param('id') : undefined;
    if (pathId && !org.journals.has(pathId.toLowerCase())) throw notFound('Manual journal');
    const out = runBatch(c, org, elementsOf(await jsonBody(c), 'ManualJournals'), (raw) => upsertJournal(org, raw, ctx.now(), mode, pathId));
    return sendEnvelope(c, ctx.now(), 'ManualJournals', out);
  };
  app.put('/ManualJournals', write('create', false));
  app.post('/ManualJournals', write('upsert', false));
  app.post('/ManualJournals/:id', write('upsert', true));
  return app;
}
