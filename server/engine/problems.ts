// A problem as the engine, the views and the runs speak of it, and what of it
// may be stored. Xero's validation words and the mapping's messages can state
// amounts, names or line text ("The contact name … is already assigned",
// "Xero's total would be 0.01 lower"), so they reach the person in the answer
// but the ledger and run rows keep a code plus a fixed sentence; the record's
// own screen computes the full words live (or asks Xero again).
import type { MappingProblem } from '../domain/problems.js';
import { whereFor } from './where.js';

export interface Problem {
  code: string;
  message: string;
  /** Where a person fixes it, in words. */
  where?: string;
  field?: string;
}

/** The mapping's blocking problems as a push and a view state them. */
export function blockingProblems(...lists: (readonly MappingProblem[])[]): Problem[] {
  return lists
    .flat()
    .filter((p) => p.severity === 'blocking')
    .map((p) => ({ code: p.code, message: p.line ? `Line ${p.line}: ${p.message}` : p.message, where: p.where, field: p.field }));
}

/** Codes whose message quotes what Xero answered: stored as a fixed sentence. */
const XERO_WORDS: Record<string, string> = {
  xero_validation: 'Xero refused this record (validation). Open it in ConnectWise and press "Sync to Xero" to see Xero\'s words.',
  xero_contact_rejected: 'Xero refused the contact (validation). Open the record in ConnectWise and press "Sync to Xero" to see Xero\'s words.',
  xero_payment_refused: 'The bill is in Xero, but Xero refused its card payment. Open the expense report in ConnectWise to see Xero\'s words.',
  xero_number_taken: 'Xero already has a document with this number that CW–Xero Sync did not create. Open the record in ConnectWise and press "Sync to Xero" to compare and choose.',
};

/**
 * The mapping's problems in words that may be stored: what is wrong and the
 * fix, without the amounts and names the live message carries (a run's list
 * shows the live words while the server holds them; these after that).
 */
const MAPPING_WORDS: Record<string, string> = {
  'account-missing': 'A line has no Xero account: ConnectWise\'s GL mapping or the account map in the settings leaves it empty.',
  'account-unknown': 'A line books to a GL account the Xero organisation does not have: map it in the settings\' account map, or add the account in Xero.',
  'account-archived': 'A line books to an account that is archived in Xero: restore it in Xero, or map the GL account to another.',
  'tax-code-unmapped': 'A ConnectWise tax code has no Xero tax rate: map it in the settings\' tax map.',
  'tax-code-missing': 'A line has no tax code in ConnectWise: set one on the line or its product.',
  'tax-type-unknown': 'A mapped Xero tax rate does not exist in the organisation: correct the settings\' tax map.',
  'tax-type-inactive': 'A mapped Xero tax rate is archived in Xero: restore it, or map the code to an active rate.',
  'tax-type-missing': 'A line has no Xero tax rate: map its tax code in the settings.',
  'tax-rate-differs': 'Xero\'s tax rate differs from ConnectWise\'s on a line: check the tax map in the settings.',
  'tax-differs': 'Xero would work out a different tax than ConnectWise: check the tax map and the amounts-are setting.',
  'rounding-difference': 'Xero\'s total would differ from ConnectWise\'s by more than rounding: check the lines\' tax and the amounts-are setting.',
  'rounding-account-invalid': 'The rounding account in the settings is not one Xero can use: choose another in the settings.',
  'total-mismatch': 'The lines do not add up to ConnectWise\'s total: check the record in ConnectWise.',
  'currency-not-enabled': 'The record\'s currency is not enabled in the Xero organisation: add it in Xero\'s currency settings.',
  'contact-name-missing': 'The contact has no name in ConnectWise: give the company or member a name.',
  'contact-name-taken': 'The Xero contact matching this party belongs to another ConnectWise company: rename one of them.',
  'contact-ambiguous': 'Several Xero contacts match this party: merge or rename them in Xero.',
  'item-missing': 'A product has no Xero item and the settings do not create items: create it in Xero or allow item creation.',
  'tracking-unmapped': 'A line\'s ConnectWise value has no Xero tracking option: map it in the settings.',
  'tracking-option-unknown': 'A mapped Xero tracking option does not exist: correct the settings\' tracking map or add the option in Xero.',
  'expense-not-approved': 'Held until the expense report is approved in ConnectWise.',
  'wise-pay-unmapped': 'A company-card expense has no Wise-Pay account for its member and payment type: link one in the settings.',
  'wise-pay-account-invalid': 'A Wise-Pay account is not an active bank or credit-card account in Xero: correct the settings.',
  'wise-pay-exceeds-bill': 'The company-card payments would exceed the bill\'s total: settle the personal expenses first, or turn Wise-Pay off.',
  'expense-line-bank-account': 'An expense line would post to a bank account: map ConnectWise\'s card offset account to a clearing account in the settings.',
  'warehouse-account-missing': 'A warehouse has no Xero inventory account: map it in the settings.',
  'warehouse-account-unknown': 'A warehouse\'s inventory account does not exist in Xero: correct the settings or add the account in Xero.',
  'journal-unbalanced': 'The journal\'s debits and credits would not balance: check the transaction in ConnectWise.',
  'date-missing': 'The record has no date in ConnectWise: set one.',
  'due-date-missing': 'The record has no due date in ConnectWise: set its terms.',
};

/** A problem's words as they may be stored: engine words (ids only) as they are, Xero's and the mapping's replaced. */
export function storableMessage(code: string, message: string, fromMapping = false): string {
  if (fromMapping) return `${MAPPING_WORDS[code] ?? 'This record needs attention.'} Open it in ConnectWise and press "Sync to Xero" to see the details.`;
  return (XERO_WORDS[code] ?? message).slice(0, 500);
}

/** A stored problem, with its place to fix it from the one table. */
export function storedProblem(code: string, message: string | null, where?: string | null): Problem {
  const w = where ?? whereFor(code);
  return { code, message: message ?? code, ...(w ? { where: w } : {}) };
}

/** Xero's ValidationException words, element by element, deduplicated: the one parser of Xero's refusals. */
export function xeroValidationWords(body: unknown): string[] {
  const b = body as { Message?: string; Detail?: string; Elements?: { ValidationErrors?: { Message?: string }[] }[] } | null | undefined;
  const msgs = (b?.Elements ?? []).flatMap((e) => (e.ValidationErrors ?? []).map((v) => v.Message ?? '')).filter(Boolean);
  if (msgs.length === 0 && b?.Message) msgs.push(b.Message);
  if (msgs.length === 0 && b?.Detail) msgs.push(b.Detail);
  return [...new Set(msgs)];
}

/** A per-element refusal of a batch call (summarizeErrors=false): its ValidationErrors' words. */
export function elementWords(e: { validationErrors?: { message?: string }[] } | undefined): string[] {
  const msgs = (e?.validationErrors ?? []).map((v) => v.message ?? '').filter(Boolean);
  return msgs.length ? [...new Set(msgs)] : ['Xero refused this record without saying why'];
}
