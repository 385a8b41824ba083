// A keyed hash of what ConnectWise's payment record was brought to (Xero item
// ids, amount, date). Keyed with a server secret so the amount cannot be
// recovered by trying candidates: the ledger keeps no amounts, not even as a
// plain hash.
import { createHmac, hkdfSync } from 'node:crypto';
import type Decimal from 'decimal.js';

const keys = new WeakMap<Uint8Array, Buffer>();

function hashKey(secretsKey: Uint8Array): Buffer {
  let k = keys.get(secretsKey);
  if (!k) {
    k = Buffer.from(hkdfSync('sha256', secretsKey, new Uint8Array(0), 'cw-xero-sync payment ledger hash v1', 32));
    keys.set(secretsKey, k);
  }
  return k;
}

export function paymentContentHash(secretsKey: Uint8Array, tenantId: string, cwInvoiceId: string, itemIds: string[], amount: Decimal, date: string | null): string {
  return createHmac('sha256', hashKey(secretsKey))
    .update([tenantId, cwInvoiceId, [...itemIds].sort().join(','), amount.toFixed(2), date ?? ''].join('\u0000'))
    .digest('hex');
}
