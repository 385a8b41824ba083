// prepareMany's ConnectWise reads (issue 12, the batch pod's month-end counts):
// what the caller expects (the unposted rows' companies and memos) is read
// beside the invoices, not after them, yet only what the invoices themselves
// say decides — a wrong expectation reads the rest and changes no record. A
// memo's credit applications follow the single push's rule (applicationsOf),
// each bill-to company's credited invoices read once for all its memos.
import { describe, expect, it } from 'vitest';
import { prepareMany, type PrepareManyInput, type RecordRef } from '../../server/bulk/prepare-many.js';
import type { CwBulkReader } from '../../server/bulk/cw-bulk-reader.js';
import type { CreditedInvoice } from '../../server/sync/cw-invoice-source.js';
import type { CwCompany, CwContact, CwInvoice, CwPayment } from '../../shared/cw-types.js';
import { parseInvoiceMappingSettings } from '../../shared/invoice-settings.js';
import { creditMemo, exemptInvoice, nzInvoice, standardTimeBilling, type CwInvoiceFixture } from '../domain/fixtures/cw-invoices.js';
import { bobBilling, janePrimary } from '../domain/fixtures/cw-customers.js';
import { auOrg, nzOrg } from '../domain/fixtures/xero-orgs.js';

const fixtures: CwInvoiceFixture[] = [standardTimeBilling, creditMemo, exemptInvoice, nzInvoice];
const invoiceOf = (f: CwInvoiceFixture): CwInvoice => ({ ...f.invoice, billToCompany: { id: f.company.id!, name: f.company.name! } });
const refs: RecordRef[] = fixtures.map((f) => ({ cwInvoiceId: f.invoice.id!, glEntryId: f.transaction.id! }));

interface Call {
  what: string;
  ids: number[];
  /** Whether the invoices had been answered when this read was asked. */
  afterInvoices: boolean;
}

/** A ConnectWise of the fixtures; the invoices answer only when `release` is called (or on the next turn). */
function fakeReader(o: { hold?: boolean; credited?: (companyId: number) => CreditedInvoice[] } = {}) {
  const calls: Call[] = [];
  let invoicesAnswered = false;
  let release!: () => void;
  const held = new Promise<void>((r) => (release = r));
  const log = (what: string, ids: number[]) => calls.push({ what, ids: [...ids].sort((a, b) => a - b), afterInvoices: invoicesAnswered });
  const companies = new Map<number, CwCompany>(fixtures.map((f) => [f.company.id!, f.company]));
  const contacts = new Map<number, CwContact>([janePrimary, bobBilling].map((c) => [c.id!, c]));
  const memoApplications = (companyId: number): CreditedInvoice[] =>
    companyId === creditMemo.company.id ? [{ id: 1001, payments: creditMemo.creditApplications! }, { id: 1004, payments: [] }] : [];
  const reader = {
    async exportFor(glEntryIds: number[]) {
      log('export', glEntryIds);
      const fs = fixtures.filter((f) => glEntryIds.includes(f.transaction.id!));
      // The export's transaction carries the invoice's id (what prepareMany matches it by).
      return { transactions: fs.map((f) => ({ ...structuredClone(f.transaction), id: f.invoice.id! })), customers: fs.map((f) => f.customer) };
    },
    async invoices(ids: number[]) {
      log('invoices', ids);
      await (o.hold ? held : new Promise((r) => setTimeout(r, 0)));
      invoicesAnswered = true;
      return fixtures.filter((f) => ids.includes(f.invoice.id!)).map(invoiceOf);
    },
    async companies(ids: number[]) {
      log('companies', ids);
      return ids.flatMap((id) => (companies.has(id) ? [companies.get(id)!] : []));
    },
    async contacts(ids: number[]) {
      log('contacts', ids);
      return [...new Set(ids)].flatMap((id) => (contacts.has(id) ? [contacts.get(id)!] : []));
    },
    async creditedInvoices(companyId: number) {
      log('credited', [companyId]);
      return (o.credited ?? memoApplications)(companyId);
    },
  };
  return { reader: reader as unknown as CwBulkReader, calls, release };
}

function input(extra: Partial<PrepareManyInput> = {}): PrepareManyInput {
  return {
    refs,
    orgOf: (ref) => {
      const f = fixtures.find((x) => x.invoice.id === ref.cwInvoiceId)!;
      return f.org === 'AU' ? { xeroTenantId: 'au-org', refs: auOrg } : { xeroTenantId: 'nz-org', refs: nzOrg };
    },
    settings: parseInvoiceMappingSettings({}),
    costOfSale: () => Promise.reject(new Error('no fixture has cost of sale')),
    ...extra,
  };
}

/** A record's data (a prepared record also carries functions, which differ by identity). */
const data = (x: unknown) => JSON.parse(JSON.stringify(x)) as unknown;

const right = { companyIds: fixtures.map((f) => f.company.id!), memoCompanyIds: [creditMemo.company.id!] };

describe('prepareMany reads', () => {
  it('asks the expected companies and the memos’ credited invoices beside the invoices, before they answer', async () => {
    const { reader, calls, release } = fakeReader({ hold: true });
    const done = prepareMany(reader, input({ expected: right }));
    await new Promise((r) => setTimeout(r, 0));
    expect(calls.map((c) => c.what).sort()).toEqual(['companies', 'credited', 'export', 'invoices']);
    release();
    await done;
    // Every company the invoices name was expected: read once, never again after the invoices.
    expect(calls.filter((c) => c.what === 'companies')).toHaveLength(1);
    expect(calls.filter((c) => c.what === 'credited')).toEqual([{ what: 'credited', ids: [creditMemo.company.id!], afterInvoices: false }]);
  });

  it('decides every record by what the invoices say, whatever was expected', async () => {
    const plain = await prepareMany(fakeReader().reader, input());
    expect(plain.map((p) => p.ok)).toEqual(fixtures.map(() => true));
    const withRight = await prepareMany(fakeReader().reader, input({ expected: right }));
    // Wrong expectations: a company no invoice names, a missing one, a "memo" that is not one.
    const wrong = fakeReader();
    const withWrong = await prepareMany(wrong.reader, input({ expected: { companyIds: [999, standardTimeBilling.company.id!], memoCompanyIds: [999] } }));
    expect(data(withRight)).toEqual(data(plain));
    expect(data(withWrong)).toEqual(data(plain));
    // The companies the expectation missed were read once the invoices were in.
    const later = wrong.calls.filter((c) => c.what === 'companies' && c.afterInvoices).flatMap((c) => c.ids);
    expect(later).toEqual([...new Set(fixtures.map((f) => f.company.id!))].filter((id) => id !== standardTimeBilling.company.id!).sort((a, b) => a - b));
    // The memo's company was read for its credited invoices after all (999's read is not used).
    expect(wrong.calls.filter((c) => c.what === 'credited').map((c) => c.ids[0]).sort()).toEqual([creditMemo.company.id!, 999].sort());
  });

  it('allocates a memo as ConnectWise applied it: its applications change its record, another memo’s do not', async () => {
    const plain = await prepareMany(fakeReader().reader, input({ expected: right }));
    const notApplied = await prepareMany(fakeReader({ credited: () => [] }).reader, input({ expected: right }));
    const foreign: CwPayment[] = [{ ...creditMemo.creditApplications![0]!, id: 9002, credit: { id: 4242, identifier: 'CM-4242' } }];
    const othersOnly = await prepareMany(fakeReader({ credited: () => [{ id: 1001, payments: foreign }] }).reader, input({ expected: right }));
    const memoAt = fixtures.indexOf(creditMemo);
    expect(data(notApplied[memoAt])).not.toEqual(data(plain[memoAt]));
    expect(data(othersOnly[memoAt])).toEqual(data(notApplied[memoAt]));
    // The other records do not depend on it.
    expect(data(notApplied.filter((_, i) => i !== memoAt))).toEqual(data(plain.filter((_, i) => i !== memoAt)));
  });
});
