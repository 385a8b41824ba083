// The server's configuration, read once from the environment. Defaults run
// everything on loopback against the simulators' defaults.
import { isIP } from 'node:net';
import { z } from 'zod';

/** Sessions last at most this long (issue 14): a change of ConnectWise security role applies at the next one. */
export const MAX_SESSION_TTL_SECONDS = 15 * 60;

/** One TRUSTED_PROXIES entry: an IP address, or an address with a /prefix. */
export function parseProxyEntry(entry: string): { address: string; prefix: number | null; family: 4 | 6 } | null {
  const [address = '', prefixText, extra] = entry.split('/');
  const family = isIP(address);
  if (!family || extra !== undefined) return null;
  if (prefixText === undefined) return { address, prefix: null, family: family as 4 | 6 };
  const prefix = Number(prefixText);
  if (!/^\d+$/.test(prefixText) || prefix > (family === 4 ? 32 : 128)) return null;
  return { address, prefix, family: family as 4 | 6 };
}

const envSchema = z.object({
  HOST: z.string().default('127.0.0.1'),
  PORT: z.coerce.number().int().min(0).max(65535).default(8080),
  /** Where browsers reach this server (the pod's origin and the OAuth redirect). */
  PUBLIC_URL: z.string().url().optional(),
  /** postgres://… for the multi-instance mode; unset for the embedded SQLite file. */
  DATABASE_URL: z.string().optional(),
  /** Folder of the embedded database and the generated key (embedded mode only). */
  DATA_DIR: z.string().default('data'),
  /** 32 bytes, base64url: encrypts secrets at rest and signs sessions. Required with DATABASE_URL. */
  SECRETS_KEY: z.string().optional(),
  /** How long a session token lives; at most 15 minutes (the pod renews it silently), so a changed security role applies soon. */
  SESSION_TTL_SECONDS: z.coerce.number().int().positive().max(MAX_SESSION_TTL_SECONDS, `at most ${MAX_SESSION_TTL_SECONDS} seconds`).default(MAX_SESSION_TTL_SECONDS),
  /**
   * Comma-separated IP addresses or CIDR ranges of the reverse proxies in front of
   * this server. Only a request arriving from one of them has its X-Forwarded-For
   * believed for the client address (sign-in throttling); unset = none is.
   */
  TRUSTED_PROXIES: z.string().default(''),
  XERO_CLIENT_ID: z.string().default(''),
  XERO_CLIENT_SECRET: z.string().default(''),
  XERO_ISSUER: z.string().url().default('https://identity.xero.com'),
  XERO_API_BASE: z.string().url().default('https://api.xero.com/api.xro/2.0'),
  XERO_CONNECTIONS_URL: z.string().url().default('https://api.xero.com/connections'),
  /** Where people open a Xero document (links in the invoice dialog); the demo points it at the Xero simulator. */
  XERO_APP_URL: z.string().url().default('https://go.xero.com'),
  XERO_SCOPES: z
    .string()
    .default('openid profile email offline_access accounting.transactions accounting.contacts accounting.settings'),
  LOG_LEVEL: z.enum(['debug', 'info', 'warn', 'error', 'silent']).default('info'),
  /**
   * On SIGTERM, how long a bulk step in flight and requests in flight get to finish before the
   * step is handed back to the queue and the connections are closed (below an orchestrator's
   * kill timeout: Kubernetes waits 30 s by default).
   */
  SHUTDOWN_GRACE_SECONDS: z.coerce.number().int().min(0).max(600).default(20),
});

export type ServerConfig = {
  host: string;
  port: number;
  publicUrl: string;
  databaseUrl: string | undefined;
  dataDir: string;
  secretsKey: string | undefined;
  sessionTtlSeconds: number;
  /** TRUSTED_PROXIES as a list of addresses and CIDR ranges (validated). */
  trustedProxies: string[];
  xero: {
    clientId: string;
    clientSecret: string;
    issuer: string;
    apiBase: string;
    connectionsUrl: string;
    scopes: string;
    appUrl: string;
  };
  logLevel: 'debug' | 'info' | 'warn' | 'error' | 'silent';
  /** SHUTDOWN_GRACE_SECONDS (server/main.ts drain). */
  shutdownGraceSeconds: number;
};

export function loadConfig(env: Record<string, string | undefined> = process.env): ServerConfig {
  const parsed = envSchema.safeParse(env);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new Error(`configuration: ${issue?.path.join('.')}: ${issue?.message}`);
  }
  const e = parsed.data;
  if (e.DATABASE_URL && !e.SECRETS_KEY) {
    throw new Error('configuration: SECRETS_KEY is required with DATABASE_URL (every instance must share it)');
  }
  const trustedProxies = e.TRUSTED_PROXIES.split(',').map((p) => p.trim()).filter(Boolean);
  const badProxy = trustedProxies.find((p) => !parseProxyEntry(p));
  if (badProxy !== undefined) throw new Error(`configuration: TRUSTED_PROXIES: "${badProxy}" is not an IP address or CIDR range`);
  return {
    host: e.HOST,
    port: e.PORT,
    publicUrl: (e.PUBLIC_URL ?? `http://${e.HOST}:${e.PORT}`).replace(/\/$/, ''),
    databaseUrl: e.DATABASE_URL,
    dataDir: e.DATA_DIR,
    secretsKey: e.SECRETS_KEY,
    sessionTtlSeconds: e.SESSION_TTL_SECONDS,
    trustedProxies,
    xero: {
      clientId: e.XERO_CLIENT_ID,
      clientSecret: e.XERO_CLIENT_SECRET,
      issuer: e.XERO_ISSUER.replace(/\/$/, ''),
      apiBase: e.XERO_API_BASE.replace(/\/$/, ''),
      connectionsUrl: e.XERO_CONNECTIONS_URL,
      scopes: e.XERO_SCOPES,
      appUrl: e.XERO_APP_URL.replace(/\/$/, ''),
    },
    logLevel: e.LOG_LEVEL,
    shutdownGraceSeconds: e.SHUTDOWN_GRACE_SECONDS,
  };
}
