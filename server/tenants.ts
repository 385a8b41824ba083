// The tenant registry: one row per ConnectWise company that installed us.
// The API member's keys are sealed (JWE bound to the tenant id) and only ever
// opened on the server to call ConnectWise; nothing here returns them to a browser.
import { z } from 'zod';
import type { Db } from './db/index.js';
import { preparedRead } from './db/prepared-read.js';
import type { ServerKeys } from './crypto/keys.js';
import { openSecret, sealSecret } from './crypto/secrets.js';
import { cwCompanyId } from '../shared/api.js';
import { ApiError, fromZod } from './http/errors.js';

const httpUrl = z
  .string()
  .url()
  // zod runs this even when .url() failed: a text that is no URL at all must not throw here (a 500).
  .refine((u) => URL.canParse(u) && /^https?:$/.test(new URL(u).protocol), 'must be an http(s) URL');

export const tenantRegistration = z.object({
  companyId: cwCompanyId,
  /** Where the ConnectWise REST API lives, e.g. https://api-na.myconnectwise.net (the server calls it). */
  siteUrl: httpUrl,
  /** The origin ConnectWise pages come from (frame-ancestors, postMessage); defaults to the site's origin. */
  cwOrigin: httpUrl.optional(),
  clientId: z.string().trim().min(1, 'is required').max(64),
  publicKey: z.string().trim().min(1, 'is required').max(200),
  privateKey: z.string().trim().min(1, 'is required').max(200),
});
export type TenantRegistration = z.input<typeof tenantRegistration>;

/** What may be shown or passed around: no keys. */
export interface Tenant {
  id: string;
  siteUrl: string;
  cwOrigin: string;
  clientId: string;
  createdAt: string;
  updatedAt: string;
}

export interface ApiMemberKeys {
  publicKey: string;
  privateKey: string;
}

/** The clientId our server sends ConnectWise unless CW_CLIENT_ID says otherwise. */
export const DEFAULT_CW_CLIENT_ID = '3f4c5e6a-0d1b-4b7e-9c2a-5e8f7a6b1c2d';

type TenantDeps = { db: Db; keys: Pick<ServerKeys, 'secretsKey'> };

export function tenantIdOf(companyId: string): string {
  return companyId.trim().toLowerCase();
}

function toTenant(row: { id: string; site_url: string; cw_origin: string; client_id: string; created_at: string; updated_at: string }): Tenant {
  return { id: row.id, siteUrl: row.site_url, cwOrigin: row.cw_origin, clientId: row.client_id, createdAt: row.created_at, updatedAt: row.updated_at };
}

/**
 * Registers a ConnectWise company, or updates its site, origin, clientId and keys;
 * with onlyNew (onboarding), an existing company is a 409 and is left as it was.
 */
export async function registerTenant(deps: TenantDeps, input: TenantRegistration, opts: { onlyNew?: boolean } = {}): Promise<Tenant> {
  const parsed = tenantRegistration.safeParse(input);
  if (!parsed.success) throw fromZod(parsed.error);
  const r = parsed.data;
  const id = tenantIdOf(r.companyId);
  const siteUrl = r.siteUrl.replace(/\/+$/, '');
  const cwOrigin = new URL(r.cwOrigin ?? siteUrl).origin;
  const keys: ApiMemberKeys = { publicKey: r.publicKey, privateKey: r.privateKey };
  const apiKeysJwe = await sealSecret(deps.keys.secretsKey, `tenant:${id}`, keys);
  const at = new Date().toISOString();
  const inserted = await deps.db.k
    .insertInto('tenants')
    .values({ id, site_url: siteUrl, cw_origin: cwOrigin, client_id: r.clientId, api_keys_jwe: apiKeysJwe, created_at: at, updated_at: at })
    .onConflict((oc) =>
      opts.onlyNew ? oc.column('id').doNothing() : oc.column('id').doUpdateSet({ site_url: siteUrl, cw_origin: cwOrigin, client_id: r.clientId, api_keys_jwe: apiKeysJwe, updated_at: at }),
    )
    .executeTakeFirst();
  if (opts.onlyNew && Number(inserted.numInsertedOrUpdatedRows ?? 0) === 0) {
    throw new ApiError(409, 'tenant_exists', `companyId: the ConnectWise company "${id}" is already registered; only its own admin changes its site or keys.`, 'companyId');
  }
  const t = await getTenant(deps.db, id);
  if (!t) throw new Error('tenant vanished right after registration');
  return t;
}

const tenantRow = preparedRead((k, a: { id: string }) => k.selectFrom('tenants').select(['id', 'site_url', 'cw_origin', 'client_id', 'created_at', 'updated_at']).where('id', '=', a.id));

export async function getTenant(db: Db, companyId: string): Promise<Tenant | undefined> {
  const [row] = await tenantRow(db, { id: tenantIdOf(companyId) });
  return row ? toTenant(row) : undefined;
}

/** Like getTenant, but an unknown company is the pod's "not registered" 404. */
export async function requireTenant(db: Db, companyId: string): Promise<Tenant> {
  const t = await getTenant(db, companyId);
  if (!t) {
    throw new ApiError(
      404,
      'tenant_not_registered',
      `The ConnectWise company "${tenantIdOf(companyId)}" is not registered with CW–Xero Sync. Ask your administrator to install it.`,
    );
  }
  return t;
}

export async function listTenants(db: Db): Promise<Tenant[]> {
  const rows = await db.k.selectFrom('tenants').select(['id', 'site_url', 'cw_origin', 'client_id', 'created_at', 'updated_at']).orderBy('id').execute();
  return rows.map(toTenant);
}

/** Opens the tenant's API member keys: server-side only, to call ConnectWise. */
export async function openTenantKeys(deps: TenantDeps, tenantId: string): Promise<ApiMemberKeys> {
  const row = await deps.db.k.selectFrom('tenants').select(['api_keys_jwe']).where('id', '=', tenantIdOf(tenantId)).executeTakeFirst();
  if (!row) throw new ApiError(404, 'tenant_not_registered', `The ConnectWise company "${tenantId}" is not registered with CW–Xero Sync.`);
  return openSecret<ApiMemberKeys>(deps.keys.secretsKey, `tenant:${tenantIdOf(tenantId)}`, row.api_keys_jwe);
}
