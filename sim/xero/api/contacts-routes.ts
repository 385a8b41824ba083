// Contacts: list (where/order/page/IDs/If-Modified-Since/searchTerm), get by
// id or number, PUT create, POST create-or-update. Names are unique among
// active contacts; account numbers are unique.
import { Hono } from 'hono';
import { z } from 'zod';
import type { SimContext } from '../context.js';
import type { ApiEnv } from './env.js';
import { sendEnvelope } from './envelope.js';
import { listQuery } from './listing.js';
import { notFound } from './errors.js';
import { renderContact } from './render.js';
import { boolQuery, elementsOf, idRef, issueMessages, jsonBody } from './input.js';
import { runBatch, type ElementOutcome } from './batch.js';
import { newId } from '../ids.js';
import { activeContactByName, currencyOf } from './refs.js';
import type { ContactRec, OrgState } from '../records.js';

const str = (max: number) => z.string().max(max, `must be ${max} characters or fewer`);
const contactInput = z.object({
  ContactID: idRef.optional(),
  ContactNumber: str(50).optional(),
  AccountNumber: str(50).optional(),
  ContactStatus: z.enum(['ACTIVE', 'ARCHIVED'], { message: 'expected ACTIVE or ARCHIVED' }).optional(),
  Name: str(255).optional(),
  FirstName: str(255).optional(),
  LastName: str(255).optional(),
  EmailAddress: str(255).optional(),
  CompanyNumber: str(50).optional(),
  TaxNumber: str(50).optional(),
  DefaultCurrency: z.string().optional(),
  IsCustomer: z.boolean().optional(),
  IsSupplier: z.boolean().optional(),
  ContactPersons: z.array(z.object({ FirstName: z.string().optional(), LastName: z.string().optional(), EmailAddress: z.string().optional(), IncludeInEmails: z.boolean().optional() })).optional(),
  Addresses: z.array(z.object({
    AddressType: z.enum(['POBOX', 'STREET'], { message: 'expected POBOX or STREET' }),
    AddressLine1: str(500).optional(), AddressLine2: str(500).optional(), AddressLine3: str(500).optional(), AddressLine4: str(500).optional(),
    City: str(255).optional(), Region: str(255).optional(), PostalCode: str(50).optional(), Country: str(50).optional(), AttentionTo: str(255).optional(),
  })).optional(),
  Phones: z.array(z.object({
    PhoneType: z.enum(['DEFAULT', 'DDI', 'MOBILE', 'FAX', 'OFFICE'], { message: 'expected DEFAULT, DDI, MOBILE, FAX or OFFICE' }),
    PhoneNumber: str(50).optional(), PhoneAreaCode: str(10).optional(), PhoneCountryCode: str(20).optional(),
  })).optional(),
});

function strip<T extends Record<string, unknown>>(o: T): Record<string, string> {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as Record<string, string>;
}

function upsertContact(org: OrgState, raw: unknown, now: number, mode: 'create' | 'upsert', pathId?: string): ElementOutcome {
  const echo = raw && typeof raw === 'object' ? { ...(raw as Record<string, unknown>) } : {};
  const parsed = contactInput.safeParse(raw);
  if (!parsed.success) return { ok: false, wire: echo, errors: issueMessages(parsed.error) };
  const input = parsed.data;
  const errors: string[] = [];
  let existing: ContactRec | undefined;
  const id = pathId ?? input.ContactID;
  if (id) {
    existing = org.contacts.get(id.toLowerCase());
    if (!existing && (mode === 'upsert' || pathId)) return { ok: false, wire: echo, errors: [`ContactID: the contact '${id}' could not be found`] };
    if (existing && mode === 'create') errors.push(`ContactID: contact '${id}' already exists; use POST to update it`);
  } else if (mode === 'upsert' && input.ContactNumber) {
    existing = [...org.contacts.values()].find((c) => c.ContactNumber === input.ContactNumber);
  }
  const name = (input.Name ?? existing?.Name ?? '').trim();
  if (!name) errors.push('Name: The contact name must be specified');
  const status = input.ContactStatus ?? existing?.ContactStatus ?? 'ACTIVE';
  if (name && status === 'ACTIVE') {
    const clash = activeContactByName(org, name, existing?.ContactID);
    if (clash) errors.push(`The contact name ${name} is already assigned to another contact. The contact name must be unique across all active contacts.`);
  }
  const accountNumber = input.AccountNumber ?? existing?.AccountNumber;
  if (accountNumber) {
    const clash = [...org.contacts.values()].find((c) => c.AccountNumber === accountNumber && c.ContactID !== existing?.ContactID);
    if (clash) errors.push(`AccountNumber: the account number ${accountNumber} is already assigned to another contact`);
  }
  if (input.DefaultCurrency) {
    const cur = currencyOf(org, input.DefaultCurrency);
    if ('error' in cur) errors.push(`DefaultCurrency: ${cur.error}`);
  }
  if (errors.length) return { ok: false, wire: echo, errors };
  const rec: ContactRec = {
    ...(existing ?? { IsCustomer: false, IsSupplier: false }),
    ContactID: existing?.ContactID ?? newId(),
    ContactStatus: status,
    Name: name,
    updatedAt: now,
  } as ContactRec;
  const copy = ['ContactNumber', 'AccountNumber', 'FirstName', 'LastName', 'EmailAddress', 'CompanyNumber', 'TaxNumber', 'DefaultCurrency', 'IsCustomer', 'IsSupplier'] as const;
  for (const k of copy) if (input[k] !== undefined) (rec as unknown as Record<string, unknown>)[k] = input[k];
  if (input.ContactPersons) rec.ContactPersons = input.ContactPersons.map((p) => strip(p) as NonNullable<ContactRec['ContactPersons']>[number]);
  if (input.Addresses) rec.Addresses = input.Addresses.map(strip);
  if (input.Phones) rec.Phones = input.Phones.map(strip);
  org.contacts.set(rec.ContactID, rec);
  return { ok: true, wire: renderContact(rec) };
}

export function contactsRoutes(ctx: SimContext): Hono<ApiEnv> {
  const app = new Hono<ApiEnv>();

  app.get('/Contacts', (c) => {
    const org = c.get('org');
    const includeArchived = boolQuery(c, 'includeArchived') ?? false;
    const summaryOnly = boolQuery(c, 'summaryOnly') ?? false;
    let all = [...org.contacts.values()].filter((x) => includeArchived || x.ContactStatus === 'ACTIVE');
    const term = c.req.query('searchTerm')?.toLowerCase();
    if (term) {
      all = all.filter((x) => [x.Name, x.FirstName, x.LastName, x.ContactNumber, x.CompanyNumber, x.EmailAddress].some((v) => v?.toLowerCase().includes(term)));
    }
    const r = listQuery(c, all.map((x) => renderContact(x)), { idField: 'ContactID', pageable: true, pageSizeAllowed: true, defaultOrder: 'Name' });
    const items = summaryOnly ? r.items.map((w) => ({ ContactID: w.ContactID, ContactStatus: w.ContactStatus, Name: w.Name, UpdatedDateUTC: w.UpdatedDateUTC })) : r.items;
    return sendEnvelope(c, ctx.now(), 'Contacts', items, r.pagination ? { pagination: r.pagination } : {});
  });

  app.get('/Contacts/:id', (c) => {
    const org = c.get('org');
    const key = c.req.param('id');
    const rec = org.contacts.get(key.toLowerCase()) ?? [...org.contacts.values()].find((x) => x.ContactNumber === key);
    if (!rec) throw notFound('Contact');
    return sendEnvelope(c, ctx.now(), 'Contacts', [renderContact(rec)]);
  });

  app.put('/Contacts', async (c) => {
    const org = c.get('org');
    const out = runBatch(c, org, elementsOf(await jsonBody(c), 'Contacts'), (raw) => upsertContact(org, raw, ctx.now(), 'create'));
    return sendEnvelope(c, ctx.now(), 'Contacts', out);
  });
  app.post('/Contacts', async (c) => {
    const org = c.get('org');
    const out = runBatch(c, org, elementsOf(await jsonBody(c), 'Contacts'), (raw) => upsertContact(org, raw, ctx.now(), 'upsert'));
    return sendEnvelope(c, ctx.now(), 'Contacts', out);
  });
  app.post('/Contacts/:id', async (c) => {
    const org = c.get('org');
    if (!org.contacts.has(c.req.param('id').toLowerCase())) throw notFound('Contact');
    const out = runBatch(c, org, elementsOf(await jsonBody(c), 'Contacts'), (raw) => upsertContact(org, raw, ctx.now(), 'upsert', c.req.param('id')));
    return sendEnvelope(c, ctx.now(), 'Contacts', out);
  });
  return app;
}
