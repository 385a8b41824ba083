// POST /api/session with `first` (issue 12, first paint): the surface's first
// GETs answered with the sign-in, exactly as those GETs with the new token
// answer them — and nothing at all for a member ConnectWise did not verify.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startStack, http, type TestStack } from '../support/stack.js';

let stack: TestStack;
beforeAll(async () => {
  stack = await startStack();
});
afterAll(async () => {
  await stack?.close();
});

const api = (path: string) => `${stack.server.url}${path}`;
const signIn = (member: string, first: unknown, memberHash = stack.cwSim.issueMemberHash(member)) =>
  http(api('/api/session'), { json: { companyid: 'democo', memberid: member, memberHash, first } });

describe('POST /api/session with first reads', () => {
  it('answers each path as the GET with the new token answers it, in the order asked', async () => {
    const paths = ['/api/invoices/1001', '/api/settings', '/api/xero/status', '/api/invoices/1001/sync'];
    const r = await signIn('accountant', paths);
    expect(r.status).toBe(200);
    expect(r.body.first.map((a: { path: string }) => a.path)).toEqual(paths);
    for (const a of r.body.first as { path: string; status: number; body: unknown }[]) {
      const direct = await http(api(a.path), { token: r.body.token });
      expect(a.status, a.path).toBe(direct.status);
      if (a.path.endsWith('/sync')) expect(a.body).toMatchObject({ chip: (direct.body as { chip: string }).chip });
      else expect(a.body, a.path).toEqual(direct.body);
    }
  });

  it('gives nothing to a forged memberHash or another member’s hash: 401, no token, no first answers', async () => {
    for (const r of [
      await signIn('accountant', ['/api/invoices/1001', '/api/settings'], 'forged-hash'),
      await signIn('admin', ['/api/invoices/1001', '/api/settings'], stack.cwSim.issueMemberHash('accountant')),
    ]) {
      expect(r.status).toBe(401);
      expect(r.body.error).toMatchObject({ code: 'member_not_verified' });
      expect(r.body.first).toBeUndefined();
      expect(r.body.token).toBeUndefined();
      expect(JSON.stringify(r.body)).not.toMatch(/invoiceNumber|adminSecurityRoles/);
    }
  });

  it('refuses a member a read they may not make by themselves, in the same words', async () => {
    const r = await signIn('accountant', ['/api/settings/alerts']);
    expect(r.status).toBe(200);
    const direct = await http(api('/api/settings/alerts'), { token: r.body.token });
    expect(direct.status).toBe(403);
    expect(r.body.first[0]).toEqual({ path: '/api/settings/alerts', status: 403, body: direct.body });
    const admin = await signIn('admin', ['/api/settings/alerts']);
    expect(admin.body.first[0].status).toBe(200);
  });

  it('answers an unknown route or record as that GET would (404), and still signs in', async () => {
    const r = await signIn('accountant', ['/api/no-such-route', '/api/invoices/999999']);
    expect(r.status).toBe(200);
    expect(r.body.token).toEqual(expect.any(String));
    expect(r.body.first.map((a: { status: number }) => a.status)).toEqual([404, 404]);
  });

  it('refuses with 400 naming the field what is not a GET path of our API, or more than four', async () => {
    for (const first of [['/pod/invoice.html'], ['/api/session'], ['/api/../pod/invoice.html'], ['/api/%2e%2e/pod/invoice.html'], ['https://example.com/api/settings'], 'x', Array(5).fill('/api/settings')]) {
      const r = await signIn('accountant', first);
      expect(r.status, JSON.stringify(first)).toBe(400);
      expect(r.body.error.field, JSON.stringify(first)).toMatch(/^first/);
    }
  });

  it('without first answers as before (no first in the answer)', async () => {
    const r = await signIn('accountant', undefined);
    expect(r.status).toBe(200);
    expect(r.body.first).toBeUndefined();
  });
});
