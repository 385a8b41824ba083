// Runs the Xero simulator from the environment:
// XERO_SIM_PORT (8082), XERO_SIM_HOST (127.0.0.1), XERO_SIM_PUBLIC_URL
// (default http://127.0.0.1:$PORT), XERO_SIM_CLIENT_ID / XERO_SIM_CLIENT_SECRET.
import { startXeroSim, DEFAULT_CLIENT_ID, DEFAULT_CLIENT_SECRET } from './index.js';

const port = Number(process.env.XERO_SIM_PORT ?? 8082);
const host = process.env.XERO_SIM_HOST ?? '127.0.0.1';
const s = await startXeroSim({
  port,
  host,
  // Without XERO_SIM_PUBLIC_URL the issuer is http://$HOST:$PORT (the bound port when PORT is 0).
  ...(process.env.XERO_SIM_PUBLIC_URL ? { publicUrl: process.env.XERO_SIM_PUBLIC_URL } : {}),
  clients: [{ clientId: process.env.XERO_SIM_CLIENT_ID ?? DEFAULT_CLIENT_ID, clientSecret: process.env.XERO_SIM_CLIENT_SECRET ?? DEFAULT_CLIENT_SECRET }],
});
console.log(`[xero-sim] listening on ${s.url}`);
const stop = () => void s.close().then(() => process.exit(0));
process.on('SIGINT', stop);
process.on('SIGTERM', stop);
