// Request bodies are bounded before they are read, and the API reads JSON only.
//
// Each route's limit is sized to its largest legitimate body (BODY_LIMITS in
// app.ts); beyond it the answer is 413 in our error shape, at once: a declared
// Content-Length is judged before a byte is read, and a chunked body is counted
// while it streams and abandoned at the limit, so a 200 MB body costs no memory.
// hono's bodyLimit does the counting. Answering before the body is read has a
// catch under @hono/node-server: it drains what is still in flight for half a
// second (64 MB at most), then destroys the socket, so a client that kept the
// connection alive (undici's fetch does) and is still sending sees "other side
// closed" instead of the 413 (measured: 5 of 5 bodies of 20 MB on a reused
// connection). Saying `Connection: close` on the 413 lets the client read the
// answer and let the connection go; tests/server/request-bodies.test.ts checks
// it over real sockets. bodyLimit's own default error would be an
// HTTPException our error handler shows as a 500, hence onError.
import type { MiddlewareHandler } from 'hono';
import { bodyLimit } from 'hono/body-limit';
import { ApiError } from './errors.js';

export const KiB = 1024;

/** A limit in words: "4 KB", "256 KB", "1.5 MB". */
export function formatBytes(n: number): string {
  if (n < KiB * KiB) return `${Math.round((n / KiB) * 10) / 10} KB`;
  return `${Math.round((n / (KiB * KiB)) * 10) / 10} MB`;
}

/** `METHOD /path` → its limit in bytes; every other request gets `fallback`. */
export type BodyLimits = Readonly<Record<string, number>>;

export function limitRequestBodies(limits: BodyLimits, fallback: number): MiddlewareHandler {
  const limiters = new Map<number, MiddlewareHandler>();
  const limiterFor = (maxSize: number) => {
    let l = limiters.get(maxSize);
    if (!l) {
      l = bodyLimit({
        maxSize,
        onError: (c) => {
          c.header('Connection', 'close');
          throw new ApiError(413, 'body_too_large', `body: at most ${formatBytes(maxSize)} is accepted by ${c.req.method} ${c.req.path}`, 'body');
        },
      });
      limiters.set(maxSize, l);
    }
    return l;
  };
  return (c, next) => {
    // GET and HEAD requests carry no body here (@hono/node-server never reads one for them): nothing to count,
    // and asking for it would build a whole fetch Request for every read (issue 12, session-only routes).
    const m = c.req.method;
    if (m === 'GET' || m === 'HEAD') return next();
    return limiterFor(limits[`${m} ${c.req.path}`] ?? fallback)(c, next);
  };
}

/** application/json, with or without parameters such as charset. */
export function isJsonContentType(header: string | undefined): boolean {
  return /^application\/json\s*(;|$)/i.test((header ?? '').trim());
}

function hasBody(headers: Headers): boolean {
  if (headers.has('transfer-encoding')) return true;
  const length = headers.get('content-length');
  return length !== null && length.trim() !== '0';
}

/**
 * The API reads JSON only: a request that carries a body of another (or no)
 * content type is refused with 415 before it is read, on every API route, so
 * a text/plain body is never parsed as if it were JSON.
 */
export function requireJsonBodies(): MiddlewareHandler {
  return async (c, next) => {
    if (hasBody(c.req.raw.headers) && !isJsonContentType(c.req.header('content-type'))) {
      throw new ApiError(415, 'unsupported_media_type', 'body: send JSON with "Content-Type: application/json"', 'body');
    }
    await next();
  };
}
