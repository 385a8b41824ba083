// The API answers only the pod's own origin (the pod is served from here).
//
// Preflights (OPTIONS) are hono's cors middleware as it is. For every other
// request the same two headers hono's would add — Access-Control-Allow-Origin
// for the pod's origin, `Vary: Origin` always — are set on the answer once it
// is made. hono's adds the Vary with c.header() after the handler, which turns
// @hono/node-server's light answer into a fetch Response with a body stream to
// be read back: most of a small answer's cost under 200 requests at once
// (issue 12, session-only routes).
import type { MiddlewareHandler } from 'hono';
import { cors } from 'hono/cors';

export function podOriginCors(podOrigin: string, o: { allowHeaders: string[]; allowMethods: string[] }): MiddlewareHandler {
  const preflight = cors({ origin: (origin) => (origin === podOrigin ? origin : null), allowHeaders: o.allowHeaders, allowMethods: o.allowMethods });
  return async (c, next) => {
    if (c.req.method === 'OPTIONS') return preflight(c, next);
    await next();
    const headers = c.res.headers;
    if (c.req.header('origin') === podOrigin) headers.set('Access-Control-Allow-Origin', podOrigin);
    headers.append('Vary', 'Origin');
  };
}
