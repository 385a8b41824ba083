// The proposal reads ConnectWise's GL account mappings and tax codes in the
// shapes ConnectWise publishes (finance/glAccounts: glType, segment1,
// mappedRecord; finance/taxCodes: identifier, description, levelOneRate and
// its type). The simulator serves both, seeded as the demo books (every code
// matches Xero's); here the company's site is a small proxy in front of it
// that answers those two with the cases the demo lacks — an account matched
// only by its mapped record's name, one of a non-revenue GL type, a tax code
// with a flat amount rather than a percent — and passes everything else
// through.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { http, startStack, type TestStack } from '../support/stack.js';
import { AU_ORG, NZ_ORG, connectDemoTenantToXero, signIn } from '../support/connect-xero.js';
import { registerTenant, DEFAULT_CW_CLIENT_ID } from '../../server/tenants.js';

const GL_ACCOUNTS = [
  { id: 1, glType: 'R', segment1: '200', mappedRecord: { id: 1, name: 'Sales' } },
  { id: 2, glType: 'R', segment1: '4100', mappedRecord: { id: 2, name: 'Agreement Revenue' } },
  { id: 3, glType: 'R', segment1: '4990', mappedRecord: { id: 3, name: 'Legacy hardware' } },
  { id: 4, glType: 'AR', segment1: '1100', mappedRecord: { id: 4, name: 'Accounts receivable' } },
];
const TAX_CODES = [
  { id: 1, identifier: 'GST', description: 'Goods and Services Tax (Australia) 10%', levelOneRate: 10, levelOneRateType: 'Percent' },
  { id: 2, identifier: 'NZGST', description: 'Goods and Services Tax (New Zealand) 15%', levelOneRate: 15, levelOneRateType: 'Percent' },
  { id: 3, identifier: 'EXEMPT', description: 'Tax exempt', levelOneRate: 0, levelOneRateType: 'Percent' },
  { id: 4, identifier: 'LEVY', description: 'A flat levy', levelOneRate: 2, levelOneRateType: 'Amount' },
];

let stack: TestStack;
let proxy: Server;

beforeAll(async () => {
  stack = await startStack();
  proxy = createServer(async (req, res) => {
    const path = new URL(req.url ?? '/', 'http://x').pathname;
    const served = path.endsWith('/finance/glAccounts') ? GL_ACCOUNTS : path.endsWith('/finance/taxCodes') ? TAX_CODES : undefined;
    if (served) {
      res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(served));
      return;
    }
    const chunks: Buffer[] = [];
    for await (const c of req) chunks.push(c as Buffer);
    const headers = Object.fromEntries(Object.entries(req.headers).filter(([k]) => k !== 'host' && k !== 'content-length').map(([k, v]) => [k, String(v)]));
    const r = await fetch(`${stack.cw.url}${req.url}`, { method: req.method ?? 'GET', headers, ...(chunks.length ? { body: Buffer.concat(chunks) } : {}) });
    const out = Buffer.from(await r.arrayBuffer());
    const back: Record<string, string> = {};
    r.headers.forEach((v, k) => {
      if (k !== 'content-encoding' && k !== 'content-length' && k !== 'transfer-encoding') back[k] = k === 'link' ? v.split(stack.cw.url).join(proxyUrl()) : v;
    });
    res.writeHead(r.status, back).end(out);
  });
  await new Promise<void>((resolve) => proxy.listen(0, '127.0.0.1', resolve));
  await registerTenant(stack.server.deps, { companyId: 'democo', siteUrl: proxyUrl(), cwOrigin: stack.cw.url, clientId: DEFAULT_CW_CLIENT_ID, publicKey: 'simPublicKey', privateKey: 'simPrivateKey' });
  await connectDemoTenantToXero(stack);
});
afterAll(async () => {
  await new Promise((r) => proxy?.close(r));
  await stack?.close();
});
const proxyUrl = () => `http://127.0.0.1:${(proxy.address() as AddressInfo).port}`;

describe('proposal from ConnectWise’s published shapes', () => {
  it('proposes revenue accounts by code then name, and tax codes by percent rate then name', async () => {
    const admin = await signIn(stack, 'admin');
    const r = await http(`${stack.server.url}/api/setup/proposal`, { token: admin });
    expect(r.status).toBe(200);
    expect(r.body.unread).toEqual([]);
    expect(r.body.locations.map((l: { cwLocationId: number; xeroTenantId: string }) => [l.cwLocationId, l.xeroTenantId]).sort()).toEqual([
      [1, AU_ORG],
      [2, NZ_ORG],
    ]);
    // Revenue GL types only (the AR account is not an invoice line's).
    expect(r.body.accounts).toEqual([
      { cwAccount: '200', xeroCode: '200', reason: 'same code in Xero' },
      { cwAccount: '4100', xeroCode: '220', reason: 'same name ("Agreement Revenue")' },
      { cwAccount: '4990', xeroCode: null, reason: 'no Xero account has this code or name' },
    ]);
    // A flat amount is no rate: nothing to match it by.
    expect(r.body.taxes).toEqual([
      { cwTaxCode: 'GST', xeroTaxType: null, reason: 'resolved by its rate (10%) in the organisations that have it' },
      { cwTaxCode: 'NZGST', xeroTaxType: null, reason: 'resolved by its rate (15%) in the organisations that have it' },
      { cwTaxCode: 'EXEMPT', xeroTaxType: null, reason: 'resolved by its rate (0%) in each organisation' },
      { cwTaxCode: 'LEVY', xeroTaxType: null, reason: 'ConnectWise gives it no percent rate to match by; choose one' },
    ]);
  });
});
