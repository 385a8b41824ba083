// Look-ups of an organisation's settings records, with Xero's messages when
// a reference is unknown or unusable.
import type { AccountRec, ContactRec, OrgState, TaxRateRec, TrackingRef } from '../records.js';
import type { z } from 'zod';
import type { trackingInput } from './input.js';

const REVENUE_TYPES = new Set(['REVENUE', 'SALES', 'OTHERINCOME']);
const EXPENSE_TYPES = new Set(['EXPENSE', 'OVERHEADS', 'DIRECTCOSTS']);

export function accountByCode(org: OrgState, code: string): AccountRec | undefined {
  return org.accounts.find((a) => a.Code.toLowerCase() === code.toLowerCase());
}

export function accountById(org: OrgState, id: string): AccountRec | undefined {
  return org.accounts.find((a) => a.AccountID.toLowerCase() === id.toLowerCase());
}

/** An account usable on a line item of an invoice, credit note or journal. */
export function lineAccount(org: OrgState, code: string, forJournal = false): { account?: AccountRec; error?: string } {
  const account = accountByCode(org, code);
  if (!account) return { error: `Account code '${code}' is not a valid code for this document.` };
  if (account.Status !== 'ACTIVE') return { error: `Account code '${code}' has been archived, or deleted. Each line item must reference a valid account.` };
  if (!forJournal && account.SystemAccount && ['DEBTORS', 'CREDITORS', 'GST'].includes(account.SystemAccount)) {
    return { error: `Account code '${code}' is a system account and cannot be used on this document.` };
  }
  if (!forJournal && account.Type === 'BANK') return { error: `Account code '${code}' is a bank account and cannot be used on this document.` };
  return { account };
}

export function taxRateFor(org: OrgState, taxType: string, account?: AccountRec): { rate?: TaxRateRec; error?: string } {
  const rate = org.taxRates.find((t) => t.TaxType.toUpperCase() === taxType.toUpperCase());
  if (!rate || rate.Status !== 'ACTIVE') return { error: `The TaxType code '${taxType}' does not exist or cannot be used for this type of transaction.` };
  if (account && REVENUE_TYPES.has(account.Type) && !rate.revenue) return { error: `The TaxType code '${rate.TaxType}' cannot be used with account code '${account.Code}'.` };
  if (account && EXPENSE_TYPES.has(account.Type) && !rate.expenses) return { error: `The TaxType code '${rate.TaxType}' cannot be used with account code '${account.Code}'.` };
  return { rate };
}

export function resolveTracking(org: OrgState, input: z.infer<typeof trackingInput>[] | undefined, where: string): { tracking: TrackingRef[]; errors: string[] } {
  const errors: string[] = [];
  const tracking: TrackingRef[] = [];
  if (!input) return { tracking, errors };
  if (input.length > 2) errors.push(`${where}: a line can carry at most 2 tracking categories`);
  for (const t of input) {
    const cat = org.tracking.find((c) =>
      t.TrackingCategoryID ? c.TrackingCategoryID === t.TrackingCategoryID.toLowerCase() : c.Name.toLowerCase() === (t.Name ?? '').toLowerCase(),
    );
    if (!cat || cat.Status !== 'ACTIVE') {
      errors.push(`${where}: tracking category '${t.Name ?? t.TrackingCategoryID ?? ''}' does not exist`);
      continue;
    }
    const opt = cat.Options.find((o) =>
      t.TrackingOptionID ? o.TrackingOptionID === t.TrackingOptionID.toLowerCase() : o.Name.toLowerCase() === (t.Option ?? '').toLowerCase(),
    );
    if (!opt || opt.Status !== 'ACTIVE') {
      errors.push(`${where}: tracking option '${t.Option ?? t.TrackingOptionID ?? ''}' is not an active option of '${cat.Name}'`);
      continue;
    }
    if (tracking.some((x) => x.TrackingCategoryID === cat.TrackingCategoryID)) {
      errors.push(`${where}: tracking category '${cat.Name}' is given twice`);
      continue;
    }
    tracking.push({ TrackingCategoryID: cat.TrackingCategoryID, TrackingOptionID: opt.TrackingOptionID, Name: cat.Name, Option: opt.Name });
  }
  return { tracking, errors };
}

export function activeContactByName(org: OrgState, name: string, exceptId?: string): ContactRec | undefined {
  const n = name.trim().toLowerCase();
  for (const c of org.contacts.values()) {
    if (c.ContactStatus === 'ACTIVE' && c.ContactID !== exceptId && c.Name.trim().toLowerCase() === n) return c;
  }
  return undefined;
}

export function currencyOf(org: OrgState, code: string | undefined): { code: string; rate: string } | { error: string } {
  const wanted = (code ?? org.info.BaseCurrency).toUpperCase();
  const cur = org.currencies.find((c) => c.Code === wanted);
  if (!cur) return { error: `Organisation is not subscribed to currency ${wanted}` };
  return { code: cur.Code, rate: cur.rate };
}
