// Starts the whole demo in one process: the ConnectWise simulator, the Xero
// simulator, and our server pointed at them; registers the demo tenant and
// installs its hosted setups in the simulated ConnectWise through its REST API. `npm start` uses it on fixed ports, the
// tests on port 0.
import { startServer } from '../server/main.js';
import { registerTenant, DEFAULT_CW_CLIENT_ID } from '../server/tenants.js';
import { cwClientForTenant } from '../server/cw/tenant-client.js';
import { installHostedSetups, type InstallResult } from '../server/cw/installer.js';
import { startCwSim, type CwSimOptions } from '../sim/connectwise/index.js';
import { startXeroSim } from '../sim/xero/index.js';

export interface RunningSim {
  url: string;
  sim: unknown;
  close(): Promise<void>;
}

export interface DemoStackOptions {
  host?: string;
  cwSimPort: number;
  xeroSimPort: number;
  /** Environment for our server (PORT, DATA_DIR, DATABASE_URL, SECRETS_KEY, …). */
  serverEnv: Record<string, string | undefined>;
  /** Options passed to the ConnectWise simulator (memberHashTtlSeconds, now, random…). */
  cwSimOptions?: Partial<CwSimOptions>;
  /** ConnectWise company id of the demo tenant (the simulator's). */
  companyId?: string;
  publicKey?: string;
  privateKey?: string;
  clientId?: string;
  withXero?: boolean;
  distDir?: string;
}

export type DemoStack = Awaited<ReturnType<typeof startDemoStack>>;

export async function startDemoStack(o: DemoStackOptions) {
  const host = o.host ?? '127.0.0.1';
  const companyId = o.companyId ?? 'democo';
  const publicKey = o.publicKey ?? 'simPublicKey';
  const privateKey = o.privateKey ?? 'simPrivateKey';
  const cw = await startCwSim({ port: o.cwSimPort, host, companyId, publicKey, privateKey, ...o.cwSimOptions });
  const closers: (() => Promise<void>)[] = [() => cw.close()];
  try {
    let xero: RunningSim | undefined;
    const serverEnv: Record<string, string | undefined> = { HOST: host, ...o.serverEnv };
    if (o.withXero !== false) {
      // The simulator's app credentials: its defaults, or XERO_SIM_CLIENT_ID / _SECRET.
      const clientId = process.env.XERO_SIM_CLIENT_ID || 'SIMCLIENT0000000000000000000001';
      const clientSecret = process.env.XERO_SIM_CLIENT_SECRET || 'simXeroClientSecret';
      xero = await startXeroSim({ port: o.xeroSimPort, host, clients: [{ clientId, clientSecret }] });
      closers.unshift(() => xero!.close());
      if (!serverEnv.XERO_CLIENT_ID) {
        Object.assign(serverEnv, {
          XERO_CLIENT_ID: clientId,
          XERO_CLIENT_SECRET: clientSecret,
          XERO_ISSUER: xero.url,
          XERO_API_BASE: `${xero.url}/api.xro/2.0`,
          XERO_CONNECTIONS_URL: `${xero.url}/connections`,
          XERO_APP_URL: xero.url,
        });
      }
    }
    const server = await startServer(serverEnv, o.distDir ? { distDir: o.distDir } : {});
    closers.unshift(() => server.close());
    const deps = server.deps;
    const tenant = await registerTenant(deps, { companyId, siteUrl: cw.url, clientId: o.clientId ?? DEFAULT_CW_CLIENT_ID, publicKey, privateKey });
    const install: InstallResult = await installHostedSetups(await cwClientForTenant(deps, tenant), { publicUrl: deps.config.publicUrl, tenantId: tenant.id });
    return {
      cw,
      xero,
      server,
      tenant,
      install,
      async close() {
        for (const c of closers) await c().catch(() => undefined);
      },
    };
  } catch (err) {
    for (const c of closers) await c().catch(() => undefined);
    throw err;
  }
}
