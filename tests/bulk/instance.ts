// A server instance as its own process, for the bulk tests and the benchmark
// (so one can be killed mid-run). Reads everything from the environment, as
// `npm start` does; registers the simulator's demo tenant when BULK_REGISTER_CW
// names the ConnectWise simulator's URL. Prints {"url"} on its first line.
import { startServer } from '../../server/main.js';
import { DEFAULT_CW_CLIENT_ID, registerTenant } from '../../server/tenants.js';

const s = await startServer(process.env);
const cwUrl = process.env.BULK_REGISTER_CW;
if (cwUrl) {
  await registerTenant(s.deps, { companyId: 'democo', siteUrl: cwUrl, clientId: DEFAULT_CW_CLIENT_ID, publicKey: 'simPublicKey', privateKey: 'simPrivateKey' });
}
// Peak memory for the benchmark, on request: {"rss"} of this process.
process.on('message', (m) => {
  if (m === 'memory') process.send?.({ rss: process.memoryUsage().rss, heapUsed: process.memoryUsage().heapUsed });
});
process.stdout.write(`${JSON.stringify({ url: s.url, pid: process.pid })}\n`);
