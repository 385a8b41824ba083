// The purchase-order pod's words: a packing slip's readiness, a PO line's
// receipt status as ConnectWise's screen says it, dates, and whether a bill
// agrees with ConnectWise. Pure, so they are checked without a browser.
import type { PurchaseBillView, ReceiptReadiness } from '../../shared/purchase-api.js';
import { formatMoney } from '../lib/money.js';
import { formatDate } from '../lib/dates.js';

/** A packing slip's readiness in words, and the chip's colour (the pod's chip classes). */
const READINESS: Record<ReceiptReadiness, { words: string; chip: string }> = {
  ready: { words: 'Ready to bill', chip: 'chip-ready' },
  needs_attention: { words: 'Needs attention', chip: 'chip-attention' },
  held: { words: 'Held', chip: 'chip-none' },
  pushing: { words: 'Pushing…', chip: 'chip-ready' },
  billed: { words: 'Billed', chip: 'chip-synced' },
  posted: { words: 'Posted elsewhere', chip: 'chip-none' },
};

export function readinessWords(r: ReceiptReadiness): string {
  return READINESS[r].words;
}

export function readinessChip(r: ReceiptReadiness): string {
  return READINESS[r].chip;
}

const RECEIVED: Record<string, string> = {
  Waiting: 'Waiting',
  FullyReceived: 'Received',
  PartiallyReceiveCancelRest: 'Part received, rest cancelled',
  PartiallyReceiveCloneRest: 'Part received, rest on a new line',
  Cancelled: 'Cancelled',
};

export function receivedWords(status: string): string {
  return RECEIVED[status] ?? status;
}

/** "2026-04-09" → "9 Apr 2026" in the browser's locale (pod/lib/dates.ts; a calendar day: no time zone applies). */
export function dayWords(ymd: string | null): string {
  const m = /^\d{4}-\d{2}-\d{2}/.exec(ymd ?? '');
  if (!m) return ymd ?? '';
  return formatDate(m[0]);
}

export function lineNumbersWords(lines: readonly number[]): string {
  return lines.length === 1 ? `line ${lines[0]}` : `lines ${lines.join(', ')}`;
}

export function agreementWords(bill: Pick<PurchaseBillView, 'totalsAgree' | 'difference' | 'currency'>): string {
  if (bill.totalsAgree) return 'Matches ConnectWise to the cent.';
  const d = bill.difference.replace(/^-/, '');
  return `Xero's total would be ${formatMoney(d, bill.currency)} ${bill.difference.startsWith('-') ? 'lower' : 'higher'} than ConnectWise's.`;
}
