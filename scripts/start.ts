// `npm start` (after scripts/start.sh built the pod). With no configuration:
// the ConnectWise simulator (CW_SIM_PORT, 8081), the Xero simulator
// (XERO_SIM_PORT, 8082) and our server (PORT, 8080) in one process on
// 127.0.0.1, the demo tenant registered and its hosted setups installed, and
// the URLs to open printed. With real ConnectWise credentials in the
// environment (CW_SITE_URL, CW_COMPANY_ID, CW_PUBLIC_KEY, CW_PRIVATE_KEY,
// CW_CLIENT_ID) it runs only the server and registers that tenant.
import { z } from 'zod';
import { startDemoStack } from './demo-stack.js';
import { startServer } from '../server/main.js';
import { registerTenant, DEFAULT_CW_CLIENT_ID } from '../server/tenants.js';
import { cwClientForTenant } from '../server/cw/tenant-client.js';
import { hostedSetupWords, installHostedSetups, type InstallResult } from '../server/cw/installer.js';
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { connectXero } from './xero-consent-driver.js';
import { HARBOUR_TENANT_ID, KIWI_TENANT_ID } from '../sim/xero/index.js';

const port = (name: string, dflt: number) => z.coerce.number().int().min(0).max(65535).default(dflt).parse(process.env[name] || undefined);

function onStop(close: () => Promise<void>) {
  let stopping = false;
  const stop = () => {
    if (stopping) return;
    stopping = true;
    console.log('\nstopping…');
    void close().then(() => process.exit(0));
  };
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
}

/** One line per installed hosted setup: what it is, where ConnectWise shows it, what the install did. */
function setupLine(s: InstallResult['setups'][number]): string {
  return `  ${hostedSetupWords(s)}: ${s.action} (#${s.id})`;
}

async function realTenant() {
  const env = process.env;
  const server = await startServer({ ...env, PORT: String(port('PORT', 8080)) });
  onStop(() => server.close());
  const tenant = await registerTenant(server.deps, {
    companyId: env.CW_COMPANY_ID ?? '',
    siteUrl: env.CW_SITE_URL ?? '',
    cwOrigin: env.CW_ORIGIN || undefined,
    clientId: env.CW_CLIENT_ID || DEFAULT_CW_CLIENT_ID,
    publicKey: env.CW_PUBLIC_KEY ?? '',
    privateKey: env.CW_PRIVATE_KEY ?? '',
  });
  console.log(`CW–Xero Sync server: ${server.url} (${server.deps.db.engine})`);
  console.log(`Registered ConnectWise company "${tenant.id}" at ${tenant.siteUrl} (pages framed only by ${tenant.cwOrigin}).`);
  if (env.CW_INSTALL_SETUPS === '1' || env.CW_INSTALL_SETUPS === 'true') {
    const r = await installHostedSetups(await cwClientForTenant(server.deps, tenant), { publicUrl: server.url, tenantId: tenant.id });
    for (const s of r.setups) console.log(setupLine(s));
  } else {
    console.log('Hosted setups not touched (set CW_INSTALL_SETUPS=1, or run scripts/register-tenant.ts).');
  }
}

async function demo() {
  // The simulators keep their records in memory and start from their seed, so
  // the demo's own database starts afresh too: a ledger or Xero tokens from an
  // earlier run would point at records and grants that no longer exist.
  const dataDir = join(process.env.DATA_DIR || 'data', 'demo');
  rmSync(dataDir, { recursive: true, force: true });
  console.log('Starting the ConnectWise simulator, the Xero simulator and the server, and installing the hosted setups…');
  const stack = await startDemoStack({
    cwSimPort: port('CW_SIM_PORT', 8081),
    xeroSimPort: port('XERO_SIM_PORT', 8082),
    serverEnv: { ...process.env, PORT: String(port('PORT', 8080)), DATA_DIR: dataDir },
    companyId: process.env.CW_SIM_COMPANY_ID || 'democo',
    publicKey: process.env.CW_SIM_PUBLIC_KEY || 'simPublicKey',
    privateKey: process.env.CW_SIM_PRIVATE_KEY || 'simPrivateKey',
  });
  onStop(() => stack.close());
  if (process.env.DEMO_CONNECT_XERO !== '0') console.log('Connecting the simulated Xero and mapping the billing locations…');
  const xeroNote = process.env.DEMO_CONNECT_XERO === '0' ? 'not connected (DEMO_CONNECT_XERO=0): connect it in the settings pod' : await connectDemoXero(stack);
  const cwUrl = stack.cw.url;
  const firstInvoice = await firstInvoiceId(stack);
  console.log('');
  console.log('CW–Xero Sync demo is running (Ctrl-C stops it):');
  console.log(`  server                 ${stack.server.url}  (${stack.server.deps.db.engine}, data in ${stack.server.deps.config.dataDir})`);
  console.log(`  ConnectWise simulator  ${cwUrl}`);
  console.log(`  Xero simulator         ${stack.xero?.url ?? '(not started)'}`);
  console.log(`  Xero                   ${xeroNote}`);
  console.log('');
  console.log('Hosted setups installed in the simulated ConnectWise:');
  for (const s of stack.install.setups) console.log(setupLine(s));
  console.log('');
  console.log('Open a surface (each is a ConnectWise screen hosting our pod):');
  console.log(`  invoice         ${cwUrl}/invoice/${firstInvoice}?member=accountant   → click "Sync to Xero"`);
  console.log(`  batch           ${cwUrl}/accountingbatch/1?member=accountant   → the month-end pod; "Xero sync" tab for the full list`);
  console.log(`  purchase order  ${cwUrl}/purchaseorder/3002?member=admin`);
  console.log(`  expense report  ${cwUrl}/expensereport/2001?member=admin   → the "Xero" tab`);
  console.log(`  settings        ${cwUrl}/accountingbatch/1?member=admin   → the settings pod (an admin may change it)`);
}

/**
 * So a newcomer can click "Sync to Xero" at once, the demo connects the
 * simulated Xero the way an admin would (our OAuth routes, the simulator's
 * consent page answered as its demo user) and maps Sydney → the Australian
 * organisation, Auckland → the New Zealand one. The settings pod shows it and
 * can disconnect and reconnect it through the popup.
 */
async function connectDemoXero(stack: Awaited<ReturnType<typeof startDemoStack>>): Promise<string> {
  if (!stack.xero) return 'not running';
  const server = stack.server.url;
  const session = await fetch(`${server}/api/session`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ companyid: stack.tenant.id, memberid: 'admin', memberHash: stack.cw.sim.issueMemberHash('admin') }),
  });
  if (!session.ok) throw new Error(`demo admin sign-in: ${session.status} ${await session.text()}`);
  const { token } = (await session.json()) as { token: string };
  const result = await connectXero(server, token);
  if (!result.ok) throw new Error(`demo Xero connection: ${JSON.stringify(result)}`);
  const cw = await cwClientForTenant(stack.server.deps, stack.tenant);
  const locations = await cw.get('system/locations', z.array(z.object({ id: z.number(), name: z.string() }).loose()));
  const orgFor: Record<string, string> = { sydney: HARBOUR_TENANT_ID, auckland: KIWI_TENANT_ID };
  const mappings = locations.flatMap((l) => (orgFor[l.name.toLowerCase()] ? [{ cwLocationId: l.id, xeroTenantId: orgFor[l.name.toLowerCase()]! }] : []));
  const map = await fetch(`${server}/api/xero/location-map`, {
    method: 'PUT',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
    body: JSON.stringify({ mappings }),
  });
  if (!map.ok) throw new Error(`demo location map: ${map.status} ${await map.text()}`);
  // Expenses: ConnectWise's company-card offset account 091 is the card clearing account 805 on a bill line, New
  // Zealand GST stays in the expense in the Australian organisation, and tech's Company Visa (payment type 2) pays
  // its company-paid expenses from the Visa account 091 (Wise-Pay).
  // Tracking: each organisation's "Region" category carries the billing location on every line pushed (Sydney, Auckland).
  const trackingByOrganisation: Record<string, { source: 'location'; categoryName: string; options: Record<string, string> }[]> = {};
  for (const m of mappings) {
    const rule = (trackingByOrganisation[m.xeroTenantId] ??= [{ source: 'location', categoryName: 'Region', options: {} }])[0]!;
    rule.options[String(m.cwLocationId)] = locations.find((l) => l.id === m.cwLocationId)!.name;
  }
  const current = (await (await fetch(`${server}/api/settings`, { headers: { authorization: `Bearer ${token}` } })).json()) as { settings: { invoiceMapping: { accountMap: Record<string, string> } } };
  const settings = await fetch(`${server}/api/settings`, {
    method: 'PUT',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
    body: JSON.stringify({
      invoiceMapping: { accountMap: { ...current.settings.invoiceMapping.accountMap, '091': '805' }, trackingByOrganisation },
      expenses: { wisePay: true, wisePayAccounts: { tech: { '2': '091' } }, inputTaxMap: { NZGST: 'BASEXCLUDED' } },
      // Purchase orders: each warehouse's stock on its own Xero inventory account (the Sydney warehouse's 630, the
      // Parramatta depot's 631 — its locationXref "PARRA" names no Xero account), freight on 425.
      procurement: { warehouseAccounts: { '1': '630', '2': '631' }, freightAccountCode: '425' },
    }),
  });
  if (!settings.ok) throw new Error(`demo expense and purchase settings: ${settings.status} ${await settings.text()}`);
  return `simulated organisations connected; ${mappings.length} billing locations mapped (Sydney → AU, Auckland → NZ), each tracked as its organisation's "Region"; expense and purchase-order settings for the demo`;
}

async function firstInvoiceId(stack: Awaited<ReturnType<typeof startDemoStack>>): Promise<number> {
  const cw = await cwClientForTenant(stack.server.deps, stack.tenant);
  const rows = await cw.get('finance/invoices', z.array(z.object({ id: z.number() }).loose()), { query: { pageSize: 1, orderBy: 'id asc' } });
  return rows[0]?.id ?? 1;
}

const real = ['CW_SITE_URL', 'CW_COMPANY_ID', 'CW_PUBLIC_KEY', 'CW_PRIVATE_KEY'].every((k) => process.env[k]);
try {
  await (real ? realTenant() : demo());
} catch (err) {
  console.error(`start failed: ${err instanceof Error ? err.message : String(err)}`);
  process.exit(1);
}
