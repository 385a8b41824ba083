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

/** A problem's words as they may be stored: engine words (ids only) as they are, Xero's and the mapping's replaced. */
export function storableMessage(code: string, message: string, fromMapping = false): string {
  if (fromMapping) return `This record needs attention (${code}). Open it in ConnectWise and press "Sync to Xero" to see why and where to fix it.`;
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
