// PUT /api/setup/company (issue 13): a registered company's site URL or keys
// change only by its own admin — checked live first (wrong keys: a 400 naming
// the field, nothing changed); another company's admin, a member who is not an
// admin, or no session are refused; bad input names its field.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { http, startStack, type TestStack } from '../support/stack.js';
import { signIn } from '../support/connect-xero.js';
import { startCwSim } from '../../sim/connectwise/index.js';
import { getTenant, openTenantKeys, registerTenant } from '../../server/tenants.js';

let stack: TestStack;
let other: Awaited<ReturnType<typeof startCwSim>>;
beforeAll(async () => {
  stack = await startStack({ withXero: false });
  other = await startCwSim({ port: 0, companyId: 'otherco', publicKey: 'otherPub', privateKey: 'otherPriv' });
  await registerTenant(stack.server.deps, { companyId: 'otherco', siteUrl: other.url, clientId: '3f4c5e6a-0d1b-4b7e-9c2a-5e8f7a6b1c2d', publicKey: 'otherPub', privateKey: 'otherPriv' });
});
afterAll(async () => {
  await other?.close();
  await stack?.close();
});

const body = (o: object = {}) => ({ siteUrl: stack.cw.url, companyId: 'democo', clientId: '3f4c5e6a-0d1b-4b7e-9c2a-5e8f7a6b1c2d', publicKey: 'simPublicKey', privateKey: 'simPrivateKey', ...o });
const put = (json: object, token?: string) => http(`${stack.server.url}/api/setup/company`, { method: 'PUT', json, ...(token ? { token } : {}) });

describe("a company's own site and keys", () => {
  it('are refused to no session, a member who is not an admin, and another company’s admin', async () => {
    expect((await put(body())).status).toBe(401);
    const tech = await signIn(stack, 'tech');
    expect((await put(body(), tech)).status).toBe(403);
    const otherAdmin = await signIn(stack, 'admin', 'otherco', other.sim);
    const r = await put(body(), otherAdmin);
    expect(r.status).toBe(403);
    expect(r.body.error).toMatchObject({ code: 'not_own_company', field: 'companyId' });
    expect(r.body.error.message).toMatch(/^companyId: only an admin of the ConnectWise company "democo"/);
  });

  it('are checked live before they are saved: wrong keys name their field and change nothing; bad input names its field', async () => {
    const admin = await signIn(stack, 'admin');
    const wrong = await put(body({ privateKey: 'not-the-key' }), admin);
    expect(wrong.status).toBe(400);
    expect(wrong.body.error.field).toBe('privateKey');
    expect(await openTenantKeys(stack.server.deps, 'democo')).toEqual({ publicKey: 'simPublicKey', privateKey: 'simPrivateKey' });
    const bad = await put(body({ siteUrl: 'not a url' }), admin);
    expect(bad.status).toBe(400);
    expect(bad.body.error.field).toBe('siteUrl');
    // The same at registration (a text that is no URL at all was a 500 there too).
    const reg = await http(`${stack.server.url}/api/setup/register`, { json: body({ companyId: 'thirdco', siteUrl: 'not a url' }), token: admin });
    expect(reg.status).toBe(400);
    expect(reg.body.error.field).toBe('siteUrl');
    const stray = await put({ ...body(), setupCode: 'X' }, admin);
    expect(stray.status).toBe(400);
  });

  it('are changed by its own admin (here: a new key pair the simulator accepts)', async () => {
    const admin = await signIn(stack, 'admin');
    const before = await getTenant(stack.server.deps.db, 'democo');
    const r = await put(body({ siteUrl: `${stack.cw.url}/` }), admin);
    expect(r.status).toBe(200);
    expect(r.body.tenant).toEqual({ id: 'democo', siteUrl: stack.cw.url });
    const after = await getTenant(stack.server.deps.db, 'democo');
    expect(after!.updatedAt >= before!.updatedAt).toBe(true);
    expect(await openTenantKeys(stack.server.deps, 'democo')).toEqual({ publicKey: 'simPublicKey', privateKey: 'simPrivateKey' });
    // The other company is untouched.
    expect((await getTenant(stack.server.deps.db, 'otherco'))!.siteUrl).toBe(other.url);
  });
});
