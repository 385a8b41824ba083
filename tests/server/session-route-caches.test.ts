// What the session-only routes keep between requests (issue 12's speed budget)
// stays correct: a settings change is seen at once by the instance that made
// it; a verified token is its own tenant's only; a company found registered is
// taken as registered for reads only briefly, and never for a request that may
// write. No timing is measured here (bench/concurrency.ts measures).
import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startStack, http, type TestStack } from '../support/stack.js';
import { signIn } from '../support/connect-xero.js';
import { issueSession, verifySession, TENANT_REGISTERED_MAX_AGE_MS } from '../../server/session.js';

let stack: TestStack;

beforeAll(async () => {
  stack = await startStack();
});
afterAll(async () => {
  await stack?.close();
});

const url = (path: string) => `${stack.server.url}${path}`;

describe('verified tokens', () => {
  it('a token of another tenant, for the same member, is read as its own tenant', async () => {
    const key = randomBytes(32);
    const who = { memberRecId: 7, memberIdentifier: 'ann', memberName: 'Ann', isAdmin: true, securityRoleName: 'Admin' };
    const a = (await issueSession(key, { ...who, tenantId: 'acme' }, 60)).token;
    const b = (await issueSession(key, { ...who, tenantId: 'globex' }, 60)).token;
    expect((await verifySession(key, a)).tenantId).toBe('acme');
    expect((await verifySession(key, b)).tenantId).toBe('globex');
    expect((await verifySession(key, a)).tenantId).toBe('acme');
  });
});

describe('session-only routes over HTTP', () => {
  it("a settings change is in the next read at once, and another company's session never sees it", async () => {
    const admin = await signIn(stack, 'admin');
    const before = await http(url('/api/settings'), { token: admin });
    expect(before.status).toBe(200);
    const minutes = before.body.settings.paymentSyncIntervalMinutes === 45 ? 50 : 45;
    const put = await http(url('/api/settings'), { method: 'PUT', token: admin, json: { paymentSyncIntervalMinutes: minutes } });
    expect(put.status).toBe(200);
    const after = await http(url('/api/settings'), { token: admin });
    expect(after.body.settings.paymentSyncIntervalMinutes).toBe(minutes);
    // A well-signed session of a company not registered, right after democo's reads: refused, not democo's answer.
    const ghost = (await issueSession(stack.server.deps.keys.sessionKey, { tenantId: 'ghostco', memberRecId: 1, memberIdentifier: 'admin', memberName: 'Admin', isAdmin: true }, 600)).token;
    for (const path of ['/api/settings', '/api/xero/status', '/api/xero/location-map', '/api/batch/runs/latest']) {
      const r = await http(url(path), { token: ghost });
      expect(r.status, path).toBe(404);
      expect(r.body.error.code, path).toBe('tenant_not_registered');
    }
  });

  it('a company removed under a live session: a write is refused at once, reads within a bound', async () => {
    const admin = await signIn(stack, 'admin');
    expect((await http(url('/api/xero/status'), { token: admin })).status).toBe(200);
    // As a restored database would: the tenant's row is gone (its dependants with it).
    const k = stack.server.deps.db.k;
    await k.deleteFrom('tenants').where('id', '=', 'democo').execute();
    const put = await http(url('/api/settings'), { method: 'PUT', token: admin, json: { paymentSyncIntervalMinutes: 60 } });
    expect(put.status).toBe(404);
    expect(put.body.error.code).toBe('tenant_not_registered');
    const settingsRows = await k.selectFrom('tenant_settings').select('tenant_id').where('tenant_id', '=', 'democo').execute();
    expect(settingsRows).toEqual([]);
    // Reads: refused once the instance's knowledge is older than its bound (generous here: a busy machine).
    const deadline = Date.now() + TENANT_REGISTERED_MAX_AGE_MS + 10_000;
    let status = 200;
    while (Date.now() < deadline) {
      status = (await http(url('/api/settings'), { token: admin })).status;
      if (status === 404) break;
      await new Promise((r) => setTimeout(r, 100));
    }
    expect(status).toBe(404);
  });
});
