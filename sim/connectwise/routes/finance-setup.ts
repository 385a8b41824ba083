// Finance setup tables, read-only, as ConnectWise answers them:
//   finance/glAccounts (+ /count, /{id}): the GL account mappings (GLAccount:
//     glType, mappedType, mappedRecord, segment1 = the account number,
//     segment2 = the class, on each location's AR and product revenue rows)
//   finance/glCaptions (+ /count, /{id}): the accounting package setup's
//     segments — segment1 "Account" of type Account, segment2 "Class" of type
//     Class (GLCaption); the export's glClass is a Class segment's value
//   finance/taxCodes (+ /count, /{id}): tax codes (TaxCode: identifier,
//     description, invoiceCaption, country, levelOneRate/levelOneRateType ...)
// Both are derived from the simulator's state when asked, so they always name
// the accounts its invoices, expenses and accounting export book into (the
// accounting setup's mapping, products' own accounts, expense types') and the
// tax codes its invoices carry, with their rates. Every list takes
// conditions, orderBy, fields and paging (list.ts).
import { Hono } from 'hono';
import type { CwSchemas } from '../../../shared/cw-types.js';
import type { SimContext, SimEnv } from '../context.js';
import type { SimState } from '../model.js';
import { COUNTRY_IDS, info } from '../seed-records.js';
import { collection } from './collection.js';

type GLAccount = CwSchemas['GLAccount'];
type TaxCode = CwSchemas['TaxCode'];
type GLCaption = CwSchemas['GLCaption'];
type GlType = NonNullable<GLAccount['glType']>;

/** ConnectWise's mapped types (finance/glAccounts/mappedTypes), the few the demo maps by. */
const MAPPED = {
  location: { id: 1, name: 'Location' },
  workType: { id: 2, name: 'Work Type' },
  agreementType: { id: 3, name: 'Agreement Type' },
  product: { id: 4, name: 'Product' },
  expenseType: { id: 5, name: 'Expense Type' },
  taxCode: { id: 6, name: 'Tax Code' },
} as const;

const distinct = <T,>(xs: T[]) => [...new Set(xs)];

/** The GL account mappings behind every account number the demo books into, in a stable order (ids 1…). */
export function glAccounts(state: SimState): GLAccount[] {
  const m = state.glMapping;
  const rows: Omit<GLAccount, 'id' | '_info'>[] = [];
  const add = (glType: GlType, mappedType: { id: number; name: string }, mappedRecord: { id: number; name: string }, account: string, glClass?: string) =>
    rows.push({ glType, mappedType: { ...mappedType }, mappedRecord: { ...mappedRecord }, segment1: account, ...(glClass ? { segment2: glClass } : {}) });
  const classOf = (locationId: number | null | undefined) => (locationId == null ? undefined : m.classByLocation[locationId]);
  for (const l of state.locations) add('AR', MAPPED.location, { id: l.id!, name: l.name }, m.accountsReceivable, classOf(l.id));
  const workTypes = distinct(state.invoices.flatMap((i) => i.lines.flatMap((l) => (l.kind === 'time' ? [l.workType] : []))));
  workTypes.forEach((w, i) => add('R', MAPPED.workType, { id: i + 1, name: w }, m.serviceRevenue));
  const agreementTypes = distinct(state.invoices.flatMap((i) => (i.agreement ? [i.agreement.type] : [])));
  agreementTypes.forEach((t, i) => add('RA', MAPPED.agreementType, { id: i + 1, name: t }, m.agreementRevenue));
  for (const l of state.locations) add('RP', MAPPED.location, { id: l.id!, name: l.name }, m.productRevenue, classOf(l.id));
  // A product whose GL mapping names no account ("") has no row here.
  for (const p of state.products) if (p.glAccount) add('RP', MAPPED.product, { id: p.id, name: p.identifier }, p.glAccount);
  for (const t of state.expenses.types) if (t.billExpenses === 'Billable') add('RE', MAPPED.expenseType, { id: t.id, name: t.name }, m.expenseRevenue);
  for (const t of state.taxCodes) add('ST', MAPPED.taxCode, { id: t.id, name: t.name }, m.salesTax);
  for (const t of state.expenses.types) add('EE', MAPPED.expenseType, { id: t.id, name: t.name }, t.glAccount);
  for (const l of state.locations) add('AP', MAPPED.location, { id: l.id!, name: l.name }, m.accountsPayable);
  return rows.map((r, i) => ({ id: i + 1, ...r, _info: info('finance/glAccounts', i + 1) }));
}

/** The accounting package setup's segments: the account, then the class (one caption row, as ConnectWise has). */
export function glCaptions(state: SimState): GLCaption[] {
  return [{ id: 1, segment1: 'Account', segment1type: 'Account', segment2: state.glMapping.classSegment.caption, segment2type: 'Class', _info: info('finance/glCaptions', 1) }];
}

/** Which country a tax code is for (none: it applies anywhere). */
const TAX_COUNTRY: Record<string, string> = { GST: 'Australia', NZGST: 'New Zealand' };

/** The demo's tax codes in ConnectWise's shape: one level, a percent rate on services, products and expenses. */
export function taxCodes(state: SimState): TaxCode[] {
  return state.taxCodes.map((t) => {
    const country = TAX_COUNTRY[t.name];
    return {
      id: t.id,
      identifier: t.name,
      description: t.description,
      invoiceCaption: t.name === 'EXEMPT' ? 'Tax exempt' : t.name,
      ...(country ? { country: { id: COUNTRY_IDS[country]!, name: country } } : {}),
      effectiveDate: '2020-07-01T00:00:00Z',
      defaultFlag: t.id === 1,
      displayOnInvoiceFlag: true,
      canadaCalculateGSTFlag: false,
      levelOneRate: Number(t.ratePercent),
      levelOneRateType: 'Percent',
      levelOneCaption: t.name,
      levelOneServicesFlag: true,
      levelOneExpensesFlag: true,
      levelOneProductsFlag: true,
      levelOneApplySingleUnitFlag: false,
      _info: info('finance/taxCodes', t.id),
    };
  });
}

export function financeSetupRoutes(ctx: SimContext): Hono<SimEnv> {
  const app = new Hono<SimEnv>();
  collection(app, '/finance/glAccounts', 'GLAccount', () => glAccounts(ctx.state));
  collection(app, '/finance/taxCodes', 'TaxCode', () => taxCodes(ctx.state));
  collection(app, '/finance/glCaptions', 'GLCaption', () => glCaptions(ctx.state));
  return app;
}
