// Who is asking, as far as sign-in throttling needs to know: the socket's peer
// address, or — only when that peer is a proxy the configuration trusts
// (TRUSTED_PROXIES) — the nearest address in X-Forwarded-For that is not one of
// our own proxies. A client can put anything in X-Forwarded-For, so the header is
// read from the right (what our proxies appended) and never believed otherwise.
import { BlockList, isIP } from 'node:net';
import type { Context } from 'hono';
import type { IncomingMessage } from 'node:http';
import { parseProxyEntry } from '../config.js';

/** `::ffff:10.0.0.1` (an IPv4 peer on a dual-stack socket) is `10.0.0.1`. */
function normalize(address: string): string {
  const a = address.trim().replace(/^\[|\]$/g, '');
  const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(a);
  return mapped?.[1] ?? a.toLowerCase();
}

export type ClientAddressOf = (c: Context) => string;

export function clientAddressResolver(trustedProxies: readonly string[]): ClientAddressOf {
  const trusted = new BlockList();
  for (const entry of trustedProxies) {
    const p = parseProxyEntry(entry);
    if (!p) continue; // loadConfig refused it already
    const type = p.family === 4 ? 'ipv4' : 'ipv6';
    if (p.prefix === null) trusted.addAddress(normalize(p.address), type);
    else trusted.addSubnet(normalize(p.address), p.prefix, type);
  }
  const isTrusted = (address: string) => {
    const family = isIP(address);
    return family !== 0 && trusted.check(address, family === 4 ? 'ipv4' : 'ipv6');
  };

  return (c) => {
    // The node server passes its IncomingMessage as env.incoming; an app driven
    // by app.request() in a test has no socket.
    const incoming = (c.env as { incoming?: IncomingMessage } | undefined)?.incoming;
    const peer = incoming?.socket?.remoteAddress;
    if (!peer) return 'unknown';
    let address = normalize(peer);
    if (!isTrusted(address)) return address;
    const hops = (c.req.header('x-forwarded-for') ?? '').split(',').map(normalize).filter(Boolean);
    // Walk back through our own proxies; the first hop that is not one is the client.
    while (hops.length && isTrusted(address)) {
      const next = hops.pop()!;
      if (!isIP(next)) return address; // garbage in the header: stop at the last proxy we trust
      address = next;
    }
    return address;
  };
}
