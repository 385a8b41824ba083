// The customer's Xero contact is never duplicated: an existing Xero contact
// with the customer's name (and no other ConnectWise company's number) is
// adopted and brought up to date; a same-name contact that belongs to another
// ConnectWise company stops the push in words, with nothing created.
import { afterAll, beforeAll, expect, it } from 'vitest';
import { AU_ORG, cwBatchesHolding, ledgerRows, startSyncStack, xeroInvoicesByNumber, type SyncStack } from './helpers.js';

let s: SyncStack;
beforeAll(async () => {
  s = await startSyncStack();
}, 60_000);
afterAll(async () => {
  await s?.close();
});

it('adopts a Xero contact with the same name and fills in its number, email and address', async () => {
  const api = await s.xeroApi(AU_ORG);
  const made = await api.createContacts(AU_ORG, { contacts: [{ name: 'Sunrise Physiotherapy' }] });
  const existingId = made.body.contacts![0]!.contactID!;
  const p = await s.push(1009);
  expect(p.body.outcome).toBe('synced');
  const named = ((await api.getContacts(AU_ORG, undefined, 'Name=="Sunrise Physiotherapy"')).body.contacts ?? []);
  expect(named).toHaveLength(1);
  const c = named[0]!;
  expect(c.contactID).toBe(existingId);
  expect(c.contactNumber).toBe('SunrisePhysio');
  expect(c.emailAddress).toBe('admin@sunrisephysio.example');
  expect(c.addresses?.find((a) => String(a.addressType) === 'POBOX')?.addressLine1).toBe('210 Oxford Street');
  const inv = (await xeroInvoicesByNumber(api, AU_ORG, 'INV-1009'))[0]!;
  expect(inv.contact?.contactID).toBe(existingId);
  expect((await ledgerRows(s, 1009))[0]!.xero_contact_id).toBe(existingId);
});

it("refuses when a same-name Xero contact belongs to another ConnectWise company, and creates nothing", async () => {
  const api = await s.xeroApi(AU_ORG);
  await api.createContacts(AU_ORG, { contacts: [{ name: 'Harbour Dental Group', contactNumber: 'HarbourDentalOld' }] });
  // The preview knows what the push would hit (issue 9, point 6): the name is taken, so no push is offered.
  const v = await s.view(1012);
  expect(v.body.chip).toBe('needs_attention');
  expect(v.body.canPush).toBe(false);
  expect(v.body.problems.map((x: { code: string }) => x.code)).toContain('contact-name-taken');
  const p = await s.push(1012);
  expect(p.body.outcome).toBe('needs_attention');
  expect(p.body.message).toMatch(/belongs to another ConnectWise company \(HarbourDentalOld\)/);
  expect(p.body.view.chip).toBe('needs_attention');
  expect(p.body.view.problems[0].where).toMatch(/Xero › Contacts/);
  expect(await xeroInvoicesByNumber(api, AU_ORG, 'INV-1012')).toHaveLength(0);
  expect(await cwBatchesHolding(s, 5012)).toHaveLength(0);
  const contacts = (await api.getContacts(AU_ORG, undefined, 'Name=="Harbour Dental Group"')).body.contacts ?? [];
  expect(contacts).toHaveLength(1);
  expect((await ledgerRows(s, 1012))[0]).toMatchObject({ state: 'needs_attention', error_code: 'contact-name-taken' });
});

it('a credit memo pushed before its invoice waits for it in words, then allocates once the invoice is in Xero', async () => {
  const api = await s.xeroApi(AU_ORG);
  const first = await s.push(1004);
  expect(first.body.outcome).toBe('needs_attention');
  expect(first.body.message).toMatch(/INV-1002, which is not in Xero yet/);
  // The credit note is in Xero; ConnectWise keeps the memo unposted until it is allocated.
  const notesBefore = (await api.getCreditNotes(AU_ORG, undefined, 'CreditNoteNumber=="CM-1004"')).body.creditNotes ?? [];
  expect(notesBefore).toHaveLength(1);
  expect(await cwBatchesHolding(s, 5004)).toHaveLength(0);
  const waiting = await s.view(1004);
  expect(waiting.body).toMatchObject({ chip: 'needs_attention', canPush: true });
  expect(waiting.body.problems[0].where).toMatch(/ConnectWise/);

  expect((await s.push(1002)).body.outcome).toBe('synced');
  const second = await s.push(1004);
  expect(second.body.outcome).toBe('synced');
  const notes = (await api.getCreditNotes(AU_ORG, undefined, 'CreditNoteNumber=="CM-1004"')).body.creditNotes ?? [];
  expect(notes).toHaveLength(1);
  const note = (await api.getCreditNote(AU_ORG, notes[0]!.creditNoteID!)).body.creditNotes![0]!;
  expect(note.allocations?.map((a) => a.invoice?.invoiceNumber)).toEqual(['INV-1002']);
  expect((await cwBatchesHolding(s, 5004)).map((b) => b.recordIds)).toEqual([[5004]]);
  expect((await s.view(1004)).body.chip).toBe('synced');
});
