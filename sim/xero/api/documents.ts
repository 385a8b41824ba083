// Create-or-update of invoices and credit notes: shared status life cycle,
// contact resolution, numbering, lines and totals. Each element is fully
// validated before anything changes, so a bad element leaves no trace.
import { z } from 'zod';
import Decimal from 'decimal.js';
import type { DocStatus, DocumentRec, OrgState } from '../records.js';
import { newId } from '../ids.js';
import { dec, documentTotals } from '../money.js';
import { parseRequestDay, startOfUtcDay } from '../wire-dates.js';
import { contactRef, idRef, issueMessages, lineInput, numeric } from './input.js';
import { buildLines } from './lines.js';
import { activeContactByName, currencyOf } from './refs.js';
import { amountDue } from './render.js';
import type { ElementOutcome } from './batch.js';
import { lockDateErrorsFor } from './lock-dates.js';

const docInput = z.object({
  InvoiceID: idRef.optional(),
  CreditNoteID: idRef.optional(),
  Type: z.string().optional(),
  Contact: contactRef.optional(),
  LineItems: z.array(lineInput).optional(),
  Date: z.string().optional(),
  DueDate: z.string().optional(),
  ExpectedPaymentDate: z.string().optional(),
  LineAmountTypes: z.enum(['Exclusive', 'Inclusive', 'NoTax'], { message: 'expected Exclusive, Inclusive or NoTax' }).optional(),
  InvoiceNumber: z.string().max(255).optional(),
  CreditNoteNumber: z.string().max(255).optional(),
  Reference: z.string().max(255).optional(),
  /** Invoices and bills: a link to the source document ("Go to …" in Xero). */
  Url: z.string().max(2000).optional(),
  CurrencyCode: z.string().optional(),
  CurrencyRate: numeric.optional(),
  Status: z.enum(['DRAFT', 'SUBMITTED', 'AUTHORISED', 'PAID', 'VOIDED', 'DELETED'], { message: 'expected DRAFT, SUBMITTED, AUTHORISED, VOIDED or DELETED' }).optional(),
  SentToContact: z.boolean().optional(),
});
type DocInput = z.infer<typeof docInput>;

export type DocKind = 'invoice' | 'creditnote';

const TYPES: Record<DocKind, string[]> = { invoice: ['ACCREC', 'ACCPAY'], creditnote: ['ACCRECCREDIT', 'ACCPAYCREDIT'] };
const LABEL: Record<DocKind, string> = { invoice: 'Invoice', creditnote: 'Credit Note' };

/** A failed element comes back as sent, flagged the way Xero flags documents. */
function echo(raw: unknown): Record<string, unknown> {
  return raw && typeof raw === 'object' && !Array.isArray(raw) ? { ...(raw as Record<string, unknown>), HasErrors: true } : { HasErrors: true };
}

function findExisting(org: OrgState, kind: DocKind, input: DocInput, pathId?: string): DocumentRec | undefined {
  const id = pathId ?? (kind === 'invoice' ? input.InvoiceID : input.CreditNoteID);
  if (id) {
    const byId = org.documents.get(id.toLowerCase());
    if (byId && byId.kind === kind) return byId;
    if (pathId) {
      // POST /Invoices/{InvoiceNumber} is allowed too
      return [...org.documents.values()].find((d) => d.kind === kind && d.Number === pathId);
    }
    return undefined;
  }
  const number = kind === 'invoice' ? input.InvoiceNumber : input.CreditNoteNumber;
  if (number) return [...org.documents.values()].find((d) => d.kind === kind && d.Number === number && d.Status !== 'DELETED' && (d.Type === 'ACCREC' || d.Type === 'ACCRECCREDIT'));
  return undefined;
}

function transitionError(kind: DocKind, from: DocStatus | undefined, to: DocStatus, hasMoney: boolean): string | null {
  const label = LABEL[kind];
  if (!from) {
    if (to === 'DRAFT' || to === 'SUBMITTED' || to === 'AUTHORISED') return null;
    return `${label} Status: a new document can be DRAFT, SUBMITTED or AUTHORISED, not ${to}`;
  }
  if (from === 'PAID' || from === 'VOIDED' || from === 'DELETED') return `${label} not of valid status for modification`;
  if (from === 'AUTHORISED') {
    if (to === 'DRAFT' || to === 'SUBMITTED') return `${label} not of valid status for modification`;
    if (to === 'DELETED') return `An authorised ${label.toLowerCase()} cannot be deleted; void it instead`;
    if (to === 'VOIDED' && hasMoney) return `This document cannot be voided as it has a payment or credit note allocated to it.`;
    if (to === 'PAID') return `${label} Status: cannot be set to PAID; record a payment instead`;
    return null;
  }
  // DRAFT or SUBMITTED
  if (to === 'VOIDED') return `A ${from.toLowerCase()} ${label.toLowerCase()} cannot be voided; delete it instead`;
  if (to === 'PAID') return `${label} Status: cannot be set to PAID; record a payment instead`;
  return null;
}

export function upsertDocument(
  org: OrgState,
  kind: DocKind,
  raw: unknown,
  opts: { now: number; mode: 'create' | 'upsert'; unitdp4: boolean; pathId?: string; render: (d: DocumentRec) => Record<string, unknown> },
): ElementOutcome {
  const parsed = docInput.safeParse(raw);
  if (!parsed.success) return { ok: false, wire: echo(raw), errors: issueMessages(parsed.error) };
  const input = parsed.data;
  const errors: string[] = [];
  const existing = opts.mode === 'upsert' || opts.pathId ? findExisting(org, kind, input, opts.pathId) : undefined;
  if (opts.pathId && !existing) return { ok: false, wire: echo(raw), errors: [`${LABEL[kind]} '${opts.pathId}' could not be found`] };
  const sentId = kind === 'invoice' ? input.InvoiceID : input.CreditNoteID;
  if (sentId && opts.mode === 'create' && org.documents.has(sentId.toLowerCase())) {
    errors.push(`${LABEL[kind].replace(' ', '')}ID: '${sentId}' already exists; use POST to update it`);
  }
  if (sentId && opts.mode === 'upsert' && !existing) {
    return { ok: false, wire: echo(raw), errors: [`${LABEL[kind].replace(' ', '')}ID: the ${LABEL[kind].toLowerCase()} '${sentId}' could not be found`] };
  }

  const type = (input.Type ?? existing?.Type) as DocumentRec['Type'] | undefined;
  if (!type) errors.push(`Type: ${LABEL[kind]} Type must be specified (${TYPES[kind].join(' or ')})`);
  else if (!TYPES[kind].includes(type)) errors.push(`Type: '${type}' is not a valid ${LABEL[kind].toLowerCase()} type (${TYPES[kind].join(' or ')})`);
  if (input.Url !== undefined) {
    let ok = false;
    try {
      ok = /^https?:$/.test(new URL(input.Url).protocol);
    } catch {
      ok = false;
    }
    if (!ok) errors.push('Url: the Url must be a valid absolute http(s) URL');
    else if (kind !== 'invoice') errors.push(`Url: a ${LABEL[kind].toLowerCase()} has no Url`);
  }
  if (existing && input.Type && input.Type !== existing.Type) errors.push(`Type: the type of an existing ${LABEL[kind].toLowerCase()} cannot be changed`);

  const status: DocStatus = input.Status ?? existing?.Status ?? 'DRAFT';
  const hasMoney = existing ? dec(existing.AmountPaid).plus(existing.AmountCredited).gt(0) : false;
  const tErr = transitionError(kind, existing?.Status, status, hasMoney);
  if (tErr) return { ok: false, wire: echo(raw), errors: [tErr] };
  if (existing && hasMoney && (input.LineItems || input.Contact || input.CurrencyCode || input.LineAmountTypes)) {
    return { ok: false, wire: echo(raw), errors: ['This document cannot be edited as it has a payment or credit note allocated to it.'] };
  }

  // contact
  let contactId = existing?.ContactID;
  let newContactName: string | undefined;
  if (input.Contact) {
    const ref = input.Contact;
    if (ref.ContactID) {
      const c = org.contacts.get(ref.ContactID.toLowerCase());
      if (!c) errors.push(`Contact: the contact with ContactID '${ref.ContactID}' could not be found`);
      else if (c.ContactStatus !== 'ACTIVE') errors.push(`Contact: the contact '${c.Name}' is archived and cannot be used`);
      else contactId = c.ContactID;
    } else if (ref.ContactNumber) {
      const c = [...org.contacts.values()].find((x) => x.ContactNumber === ref.ContactNumber);
      if (!c) errors.push(`Contact: no contact has ContactNumber '${ref.ContactNumber}'`);
      else contactId = c.ContactID;
    } else if (ref.Name && ref.Name.trim()) {
      const c = activeContactByName(org, ref.Name);
      if (c) contactId = c.ContactID;
      else newContactName = ref.Name.trim(); // Xero creates a contact named on a document
    } else errors.push('Contact: a ContactID or Name must be specified');
  } else if (!existing) errors.push('Contact: a contact must be specified for this type of transaction');

  const dayOf = (field: string, v: string | undefined): number | undefined => {
    if (v === undefined) return undefined;
    const t = parseRequestDay(v);
    if (t === null) errors.push(`${field}: '${v}' is not a valid date (use YYYY-MM-DD)`);
    return t ?? undefined;
  };
  const date = dayOf('Date', input.Date) ?? existing?.Date ?? startOfUtcDay(opts.now);
  // Without a DueDate Xero applies the organisation's default terms: the 20th of the following month.
  const dueDate = dayOf('DueDate', input.DueDate) ?? existing?.DueDate ?? twentiethOfNextMonth(date);
  const expected = dayOf('ExpectedPaymentDate', input.ExpectedPaymentDate) ?? existing?.ExpectedPaymentDate;
  if (dueDate !== undefined && dueDate < date) errors.push('DueDate: the due date cannot be before the document date');
  // Lock dates bind what reaches the ledger (approved or voided), both at the
  // date it gets and at the date an approved one had; drafts and documents
  // submitted for approval may be dated in a locked period.
  if (inLedger(status)) errors.push(...lockDateErrorsFor(org, [date, existing && inLedger(existing.Status) ? existing.Date : undefined]));

  const cur = currencyOf(org, input.CurrencyCode ?? existing?.CurrencyCode);
  if ('error' in cur) errors.push(`CurrencyCode: ${cur.error}`);

  const number = kind === 'invoice' ? input.InvoiceNumber : input.CreditNoteNumber;
  const sales = type === 'ACCREC' || type === 'ACCRECCREDIT';
  if (number !== undefined && sales) {
    const clash = [...org.documents.values()].find((d) => d.kind === kind && d.Number === number && d.id !== existing?.id && d.Status !== 'DELETED' && (d.Type === 'ACCREC' || d.Type === 'ACCRECCREDIT'));
    if (clash) errors.push(kind === 'invoice' ? 'Invoice # must be unique.' : 'Credit Note # must be unique.');
  }

  const types = input.LineAmountTypes ?? existing?.LineAmountTypes ?? 'Exclusive';
  const approving = status === 'AUTHORISED' || status === 'SUBMITTED';
  let lines = existing?.lines ?? [];
  if (input.LineItems) {
    const built = buildLines(org, input.LineItems, { types, unitdp4: opts.unitdp4, approving, side: sales ? 'sales' : 'purchases', ...(existing ? { existing: existing.lines } : {}) });
    errors.push(...built.errors);
    lines = built.lines;
  } else if (existing && input.LineAmountTypes && input.LineAmountTypes !== existing.LineAmountTypes) {
    errors.push('LineAmountTypes: send the LineItems again when changing LineAmountTypes');
  } else if (approving && lines.some((l) => !l.AccountCode)) {
    errors.push('LineItems: an account code must be specified on each line item of an approved document.');
  }
  const totals = documentTotals(lines.map((l) => ({ lineAmount: dec(l.LineAmount), taxAmount: dec(l.TaxAmount) })), types);
  if (totals.total.lt(0)) errors.push(`${LABEL[kind]} total cannot be negative.`);

  if (errors.length) return { ok: false, wire: echo(raw), errors };

  // --- apply ---
  if (newContactName) {
    const id = newId();
    org.contacts.set(id, { ContactID: id, ContactStatus: 'ACTIVE', Name: newContactName, IsCustomer: false, IsSupplier: false, updatedAt: opts.now });
    contactId = id;
  }
  const contact = org.contacts.get(contactId!)!;
  if (approving) {
    if (sales && !contact.IsCustomer) { contact.IsCustomer = true; contact.updatedAt = opts.now; }
    if (!sales && !contact.IsSupplier) { contact.IsSupplier = true; contact.updatedAt = opts.now; }
  }
  let docNumber = number ?? existing?.Number;
  if (docNumber === undefined && sales) {
    const prefix = kind === 'invoice' ? 'INV' : 'CN';
    const seqKey = kind === 'invoice' ? 'invoice' : 'creditnote';
    do {
      org.sequences[seqKey] += 1;
      docNumber = `${prefix}-${String(org.sequences[seqKey]).padStart(4, '0')}`;
    } while ([...org.documents.values()].some((d) => d.kind === kind && d.Number === docNumber));
  }
  const c = cur as { code: string; rate: string };
  const doc: DocumentRec = {
    kind,
    id: existing?.id ?? newId(), // Xero assigns ids; one sent on create is not kept
    Type: type!,
    ContactID: contactId!,
    ...(docNumber !== undefined ? { Number: docNumber } : {}),
    ...((input.Reference ?? existing?.Reference) !== undefined ? { Reference: input.Reference ?? existing?.Reference } : {}),
    ...((input.Url ?? existing?.Url) !== undefined ? { Url: input.Url ?? existing?.Url } : {}),
    Date: date,
    ...(dueDate !== undefined ? { DueDate: dueDate } : {}),
    ...(expected !== undefined ? { ExpectedPaymentDate: expected } : {}),
    Status: status,
    LineAmountTypes: types,
    CurrencyCode: c.code,
    CurrencyRate: input.CurrencyRate !== undefined ? dec(input.CurrencyRate).toString() : existing?.CurrencyRate ?? c.rate,
    lines,
    SubTotal: totals.subTotal.toFixed(2),
    TotalTax: totals.totalTax.toFixed(2),
    Total: totals.total.toFixed(2),
    AmountPaid: existing?.AmountPaid ?? '0.00',
    AmountCredited: existing?.AmountCredited ?? '0.00',
    ...(existing?.FullyPaidOnDate !== undefined ? { FullyPaidOnDate: existing.FullyPaidOnDate } : {}),
    SentToContact: input.SentToContact ?? existing?.SentToContact ?? false,
    unitdp4: opts.unitdp4 || (existing?.unitdp4 ?? false),
    updatedAt: opts.now,
  };
  // An approved document with nothing to pay is paid at once (and then frozen).
  if (doc.Status === 'AUTHORISED' && amountDue(doc).lte(0)) {
    doc.Status = 'PAID';
    doc.FullyPaidOnDate = doc.Date;
  }
  org.documents.set(doc.id, doc);
  return { ok: true, wire: opts.render(doc) };
}

function inLedger(status: DocStatus): boolean {
  return status === 'AUTHORISED' || status === 'PAID' || status === 'VOIDED';
}

function twentiethOfNextMonth(day: number): number {
  const d = new Date(day);
  return Date.UTC(d.getUTCFullYear(), d.getUTCMonth() + 1, 20);
}

/** After a payment, refund or allocation: keep AmountDue and PAID status right. */
export function settle(doc: DocumentRec, paidOn: number, now: number): void {
  const due = amountDue(doc);
  if (doc.Status === 'AUTHORISED' && due.lte(0)) {
    doc.Status = 'PAID';
    doc.FullyPaidOnDate = paidOn;
  } else if (doc.Status === 'PAID' && due.gt(0)) {
    doc.Status = 'AUTHORISED';
    delete doc.FullyPaidOnDate;
  }
  doc.updatedAt = now;
}

export function addAmount(a: string, b: Decimal): string {
  return dec(a).plus(b).toFixed(2);
}
