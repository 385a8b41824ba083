// Starts a ConnectWise simulator on a free port and speaks to it as a client would.
import { startCwSim, type CwSimOptions } from '../../sim/connectwise/index.js';

export const CLIENT_ID = '3f4c5e6a-0d1b-4b7e-9c2a-5e8f7a6b1c2d';
export const API = '/v4_6_release/apis/3.0';

export function basic(user: string, secret: string): string {
  return `Basic ${Buffer.from(`${user}:${secret}`).toString('base64')}`;
}
export const API_AUTH = basic('democo+simPublicKey', 'simPrivateKey');

export async function startSim(opts: Partial<CwSimOptions> = {}) {
  const s = await startCwSim({ port: 0, ...opts });
  const call = async (method: string, path: string, body?: unknown, headers: Record<string, string> = {}) => {
    const res = await fetch(`${s.url}${API}${path}`, {
      method,
      headers: { authorization: API_AUTH, clientId: CLIENT_ID, ...(body !== undefined ? { 'content-type': 'application/json' } : {}), ...headers },
      ...(body !== undefined ? { body: JSON.stringify(body) } : {}),
    });
    const text = await res.text();
    // eslint-disable-next-line @typescript-eslint/no-explicit-any
    const json: any = text ? JSON.parse(text) : null;
    return { status: res.status, headers: res.headers, json };
  };
  return { ...s, call, get: (p: string, h?: Record<string, string>) => call('GET', p, undefined, h), post: (p: string, b: unknown) => call('POST', p, b) };
}
export type Sim = Awaited<ReturnType<typeof startSim>>;
