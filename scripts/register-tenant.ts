// Registers (or updates) a real ConnectWise company with CW–Xero Sync and, by
// default, installs our hosted setups in it through its REST API.
//
//   npx tsx scripts/register-tenant.ts --company acme --site https://api-na.myconnectwise.net \
//     --client-id <uuid> --public-key <pub> --private-key <priv> [--origin https://na.myconnectwise.net] [--no-install]
//
// Every flag may come from the environment instead (CW_COMPANY_ID, CW_SITE_URL,
// CW_CLIENT_ID, CW_PUBLIC_KEY, CW_PRIVATE_KEY, CW_ORIGIN). Uses the server's
// database settings (DATABASE_URL / DATA_DIR, SECRETS_KEY) and PUBLIC_URL.
import { parseArgs } from 'node:util';
import { join } from 'node:path';
import { loadConfig } from '../server/config.js';
import { openDb } from '../server/db/index.js';
import { deriveKeys, loadOrCreateRootKey } from '../server/crypto/keys.js';
import { registerTenant, DEFAULT_CW_CLIENT_ID } from '../server/tenants.js';
import { cwClientForTenant } from '../server/cw/tenant-client.js';
import { installHostedSetups } from '../server/cw/installer.js';
import { ApiError } from '../server/http/errors.js';

const { values } = parseArgs({
  options: {
    company: { type: 'string' },
    site: { type: 'string' },
    origin: { type: 'string' },
    'client-id': { type: 'string' },
    'public-key': { type: 'string' },
    'private-key': { type: 'string' },
    'no-install': { type: 'boolean', default: false },
    help: { type: 'boolean', default: false },
  },
});

if (values.help) {
  console.log('usage: register-tenant --company ID --site URL --client-id UUID --public-key KEY --private-key KEY [--origin URL] [--no-install]');
  process.exit(0);
}

const env = process.env;
const config = loadConfig(env);
const db = await openDb({ databaseUrl: config.databaseUrl, sqlitePath: join(config.dataDir, 'cw-xero-sync.sqlite') });
const keys = deriveKeys(loadOrCreateRootKey(config.secretsKey, config.dataDir));
try {
  const tenant = await registerTenant(
    { db, keys },
    {
      companyId: values.company ?? env.CW_COMPANY_ID ?? '',
      siteUrl: values.site ?? env.CW_SITE_URL ?? '',
      cwOrigin: values.origin ?? (env.CW_ORIGIN || undefined),
      clientId: values['client-id'] ?? env.CW_CLIENT_ID ?? DEFAULT_CW_CLIENT_ID,
      publicKey: values['public-key'] ?? env.CW_PUBLIC_KEY ?? '',
      privateKey: values['private-key'] ?? env.CW_PRIVATE_KEY ?? '',
    },
  );
  console.log(`registered "${tenant.id}" at ${tenant.siteUrl}; pages may be framed by ${tenant.cwOrigin}`);
  if (!values['no-install']) {
    const r = await installHostedSetups(await cwClientForTenant({ db, keys }, tenant), { publicUrl: config.publicUrl, tenantId: tenant.id });
    for (const s of r.setups) console.log(`  ${s.type} on ${s.screen} (${s.page}): ${s.action} #${s.id}`);
  }
} catch (err) {
  console.error(err instanceof ApiError || err instanceof Error ? err.message : String(err));
  process.exitCode = 1;
} finally {
  await db.close();
}
