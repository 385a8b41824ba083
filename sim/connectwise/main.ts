// Runs the ConnectWise simulator from the environment (defaults in docs/contracts.md).
import { startCwSim } from './index.js';

const env = process.env;
const port = Number(env.CW_SIM_PORT ?? 8081);
const s = await startCwSim({
  port,
  host: '127.0.0.1',
  companyId: env.CW_SIM_COMPANY_ID ?? 'democo',
  publicKey: env.CW_SIM_PUBLIC_KEY ?? 'simPublicKey',
  privateKey: env.CW_SIM_PRIVATE_KEY ?? 'simPrivateKey',
});
console.log(`[cw-sim] ConnectWise simulator on ${s.url} (company ${s.sim.options.companyId}); demo invoice: ${s.url}/invoice/1001?member=accountant`);
for (const sig of ['SIGINT', 'SIGTERM'] as const) process.on(sig, () => void s.close().then(() => process.exit(0)));
