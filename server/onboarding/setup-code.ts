// Who may register a ConnectWise company on this server (issue 13):
//   - no tenant yet: whoever holds the one-time setup code this server printed
//     at start (or at the first visit of /setup); it is spent by the first
//     registration, so a stranger cannot claim a fresh server;
//   - once a tenant exists: an admin of a registered company, signed in through
//     ConnectWise (the session the pods use), adding a new company id.
// The code lives in this process only (printed to its log): with several
// instances, use the one printed by the instance that answers, or register the
// first company with scripts/register-tenant.ts.
import { randomBytes, timingSafeEqual } from 'node:crypto';
import type { AppDeps } from '../deps.js';
import { ApiError } from '../http/errors.js';
import type { Session } from '../session.js';
import { listTenants } from '../tenants.js';

const codes = new WeakMap<object, { code: string; spent: boolean }>();
const ALPHABET = 'ABCDEFGHJKLMNPQRSTUVWXYZ23456789';

function newCode(): string {
  const bytes = randomBytes(15);
  const chars = [...bytes].map((b) => ALPHABET[b % ALPHABET.length]).join('');
  return chars.match(/.{5}/g)!.join('-');
}

async function hasTenant(deps: Pick<AppDeps, 'db'>): Promise<boolean> {
  return (await listTenants(deps.db)).length > 0;
}

/**
 * The setup code while no tenant exists (made and printed once per process),
 * or null once one does.
 */
export async function setupCodeIfNoTenant(deps: Pick<AppDeps, 'db' | 'config'>, print: (line: string) => void = console.log): Promise<string | null> {
  if (await hasTenant(deps)) return null;
  let entry = codes.get(deps);
  if (!entry || entry.spent) {
    entry = { code: newCode(), spent: false };
    codes.set(deps, entry);
    print(`[setup] no ConnectWise company is registered yet: open ${deps.config.publicUrl}/setup and enter the setup code ${entry.code}`);
  }
  return entry.code;
}

function sameCode(a: string, b: string): boolean {
  const x = Buffer.from(a.toUpperCase().replace(/[^A-Z0-9]/g, ''));
  const y = Buffer.from(b.toUpperCase().replace(/[^A-Z0-9]/g, ''));
  return x.length === y.length && timingSafeEqual(x, y);
}

/** 403 unless this request may register a company (the rule at the top). */
export async function requireSetupRight(deps: Pick<AppDeps, 'db' | 'config'>, session: Session | undefined, setupCode: string | undefined): Promise<'code' | 'admin'> {
  if (await hasTenant(deps)) {
    if (session?.isAdmin) return 'admin';
    throw new ApiError(403, 'not_admin', 'A company is already registered on this server: only an admin of a registered ConnectWise company, signed in through ConnectWise, may add another.');
  }
  const entry = codes.get(deps);
  if (!setupCode) throw new ApiError(403, 'setup_code_required', 'setupCode: enter the setup code this server printed in its log at start.', 'setupCode');
  if (!entry || entry.spent || !sameCode(entry.code, setupCode)) {
    throw new ApiError(403, 'setup_code_wrong', 'setupCode: that is not the setup code this server printed; look in its log.', 'setupCode');
  }
  return 'code';
}

/** The first registration spends the code. */
export function spendSetupCode(deps: object): void {
  const entry = codes.get(deps);
  if (entry) entry.spent = true;
}
