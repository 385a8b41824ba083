// verifySession keeps tokens it verified until they expire (issue 12's speed
// budget: no signature check per request), and never past their expiry.
import { randomBytes } from 'node:crypto';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { issueSession, verifySession } from '../../server/session.js';

const who = { tenantId: 'democo', memberRecId: 7, memberIdentifier: 'ann', memberName: 'Ann', isAdmin: false, securityRoleName: 'Finance' };

afterEach(() => vi.useRealTimers());

describe('verified tokens kept until they expire', () => {
  it('answers a verified token again without re-reading it, as a copy the caller may change', async () => {
    const key = randomBytes(32);
    const { token } = await issueSession(key, who, 60);
    const a = await verifySession(key, token);
    a.isAdmin = true; // resolveSessions sets isAdmin on the session it got
    const b = await verifySession(key, token);
    expect(b).toMatchObject({ tenantId: 'democo', memberIdentifier: 'ann', isAdmin: false, securityRoleName: 'Finance' });
  });

  it('refuses a kept token once it has expired, and a token verified with another key', async () => {
    const key = randomBytes(32);
    const { token } = await issueSession(key, who, 60);
    await verifySession(key, token);
    await expect(verifySession(randomBytes(32), token)).rejects.toThrow();
    vi.useFakeTimers({ now: Date.now() + 61_000 });
    await expect(verifySession(key, token)).rejects.toThrow();
  });

  it('refuses a token changed by one character though its original was kept', async () => {
    const key = randomBytes(32);
    const { token } = await issueSession(key, who, 60);
    await verifySession(key, token);
    const last = token.at(-2) === 'A' ? 'B' : 'A';
    await expect(verifySession(key, `${token.slice(0, -2)}${last}${token.at(-1)}`)).rejects.toThrow();
  });
});
