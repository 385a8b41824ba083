// Shared by the sync tests: a stack connected to both Xero organisations, the
// dialog's two calls over HTTP, ConnectWise read as an API member, and Xero
// read back with the real xero-node SDK (through the server's own connection).
import Decimal from 'decimal.js';
import type { AccountingApi } from 'xero-node';
import { z } from 'zod';
import { apiMemberAuthorization } from '../../server/cw/client.js';
import { accountingApiFor } from '../../server/xero/accounting.js';
import { invoiceSyncView, pushResponse } from '../../shared/api.js';
import { connectDemoTenantToXero, signIn, AU_ORG, NZ_ORG } from '../support/connect-xero.js';
import { http, startStack, type TestStack } from '../support/stack.js';

export { AU_ORG, NZ_ORG, signIn };
export const CW_CLIENT_ID = '3f4c5e6a-0d1b-4b7e-9c2a-5e8f7a6b1c2d';

export interface SyncStack extends TestStack {
  token: string;
  view(id: number, token?: string): Promise<{ status: number; body: any }>;
  push(id: number, token?: string): Promise<{ status: number; body: any }>;
  cwGet(path: string): Promise<any>;
  cwPost(path: string, body: unknown): Promise<any>;
  xeroApi(org: string): Promise<AccountingApi>;
}

export async function startSyncStack(opts: Parameters<typeof startStack>[0] = {}): Promise<SyncStack> {
  const stack = await startStack(opts);
  try {
    await connectDemoTenantToXero(stack);
    // Many pushes and read-backs in one test file: lift Xero's 60 calls a minute
    // (the 429 test injects its own refusals).
    await setXeroLimits(stack, { perMinute: 100_000 });
    const token = await signIn(stack, 'accountant');
    const cwHeaders = { authorization: apiMemberAuthorization('democo', 'simPublicKey', 'simPrivateKey'), clientid: CW_CLIENT_ID };
    const cwUrl = (p: string) => `${stack.cw.url}/v4_6_release/apis/3.0/${p}`;
    return {
      ...stack,
      token,
      async view(id, t = token) {
        const r = await http(`${stack.server.url}/api/invoices/${id}/sync`, { token: t });
        if (r.status === 200) invoiceSyncView.parse(r.body);
        return r;
      },
      async push(id, t = token) {
        const r = await http(`${stack.server.url}/api/invoices/${id}/push`, { method: 'POST', token: t });
        if (r.status === 200) pushResponse.parse(r.body);
        return r;
      },
      async cwGet(path) {
        const r = await http(cwUrl(path), { headers: cwHeaders });
        if (r.status !== 200) throw new Error(`CW GET ${path}: ${r.status} ${JSON.stringify(r.body)}`);
        return r.body;
      },
      async cwPost(path, body) {
        const r = await http(cwUrl(path), { headers: cwHeaders, json: body });
        if (r.status >= 300) throw new Error(`CW POST ${path}: ${r.status} ${JSON.stringify(r.body)}`);
        return r.body;
      },
      async xeroApi(org) {
        return (await accountingApiFor(stack.server.deps, 'democo', org)).api;
      },
    };
  } catch (err) {
    await stack.close();
    throw err;
  }
}

export async function setXeroLimits(stack: TestStack, limits: Record<string, number>): Promise<void> {
  const r = await http(`${stack.xero!.url}/__sim/faults`, { json: { limits } });
  if (r.status !== 200) throw new Error(`xero sim limits: ${r.status} ${JSON.stringify(r.body)}`);
}

export async function setXeroFaults(stack: TestStack, faults: Record<string, unknown>): Promise<void> {
  const r = await http(`${stack.xero!.url}/__sim/faults`, { json: faults });
  if (r.status !== 200) throw new Error(`xero sim faults: ${r.status} ${JSON.stringify(r.body)}`);
}

/** Xero invoices (not deleted) carrying this number. */
export async function xeroInvoicesByNumber(api: AccountingApi, org: string, number: string) {
  const r = await api.getInvoices(org, undefined, undefined, undefined, undefined, [number]);
  return (r.body.invoices ?? []).filter((i) => i.invoiceNumber === number && String(i.status) !== 'DELETED');
}

export async function xeroCreditNotesByNumber(api: AccountingApi, org: string, number: string) {
  const r = await api.getCreditNotes(org, undefined, `CreditNoteNumber=="${number}"`);
  return (r.body.creditNotes ?? []).filter((c) => c.creditNoteNumber === number && String(c.status) !== 'DELETED');
}

const batchSchema = z.object({ id: z.number(), batchIdentifier: z.string() }).loose();

/** ConnectWise's closed batches that hold this GL entry. */
export async function cwBatchesHolding(stack: SyncStack, glEntryId: number): Promise<{ id: number; batchIdentifier: string; recordIds: number[] }[]> {
  const state = await http(`${stack.cw.url}/__sim/state`);
  const batches = state.body.batches as { id: number; batchIdentifier: string; recordIds: number[] }[];
  for (const b of batches) batchSchema.parse(b);
  return batches.filter((b) => b.recordIds.includes(glEntryId));
}

export async function ledgerRows(stack: TestStack, cwInvoiceId: number) {
  return stack.server.deps.db.k.selectFrom('sync_ledger').selectAll().where('tenant_id', '=', 'democo').where('cw_record_id', '=', String(cwInvoiceId)).execute();
}

export const money = (v: unknown) => new Decimal(String(v ?? 0)).toFixed(2);
