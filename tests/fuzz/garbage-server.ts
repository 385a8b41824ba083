// A tiny HTTP server on 127.0.0.1 that stands in front of a simulator: it
// passes requests through, or answers them with what a broken network or a
// broken upstream sends — malformed, truncated, mislabelled, slow, cut or not
// HTTP at all — written byte by byte on the socket, so the client under test
// sees exactly that.
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import fc from 'fast-check';

/** One scripted answer. */
export type BadAnswer =
  | { kind: 'raw'; label: string; bytes: string; then: 'end' | 'destroy' | 'hold'; delayMs?: number }
  | { kind: 'hold'; label: string }
  | { kind: 'reset'; label: string };

/** What the server does with a request: pass it to the upstream, or answer it badly. */
export type Plan = (req: IncomingMessage) => BadAnswer | 'pass';

const CRLF = '\r\n';
const head = (status: string, headers: Record<string, string | number>) => `HTTP/1.1 ${status}${CRLF}${Object.entries(headers).map(([k, v]) => `${k}: ${v}${CRLF}`).join('')}${CRLF}`;

export class GarbageServer {
  private server!: Server;
  private readonly sockets = new Set<Socket>();
  url = '';
  plan: Plan = () => 'pass';
  /** Requests answered badly (by label), for the test to show what it tried. */
  readonly injected = new Map<string, number>();

  constructor(private readonly upstream: string) {}

  async start(): Promise<this> {
    this.server = createServer((req, res) => {
      const answer = this.plan(req);
      if (answer === 'pass') {
        void this.pass(req, res);
        return;
      }
      this.injected.set(answer.label, (this.injected.get(answer.label) ?? 0) + 1);
      const socket = req.socket;
      // The request body is not wanted; drain it so the socket is not paused.
      req.resume();
      if (answer.kind === 'reset') {
        socket.resetAndDestroy();
        return;
      }
      if (answer.kind === 'hold') return; // never a byte: the client's timeout must end it
      const write = () => {
        if (socket.destroyed) return;
        socket.write(answer.bytes);
        if (answer.then === 'end') socket.end();
        else if (answer.then === 'destroy') socket.destroy();
        // 'hold': the promised rest never comes
      };
      if (answer.delayMs) setTimeout(write, answer.delayMs).unref();
      else write();
    });
    this.server.keepAliveTimeout = 1_000;
    this.server.on('connection', (s: Socket) => {
      this.sockets.add(s);
      s.on('close', () => this.sockets.delete(s));
      s.on('error', () => undefined);
    });
    await new Promise<void>((resolve) => this.server.listen(0, '127.0.0.1', resolve));
    this.url = `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
    return this;
  }

  private async pass(req: IncomingMessage, res: import('node:http').ServerResponse): Promise<void> {
    try {
      const chunks: Buffer[] = [];
      for await (const c of req) chunks.push(c as Buffer);
      const headers = new Headers();
      for (const [k, v] of Object.entries(req.headers)) if (v !== undefined && !['host', 'connection', 'content-length', 'transfer-encoding'].includes(k)) headers.set(k, Array.isArray(v) ? v.join(', ') : v);
      const body = Buffer.concat(chunks);
      const hasBody = body.length > 0 && req.method !== 'GET' && req.method !== 'HEAD';
      const up = await fetch(this.upstream + req.url, { method: req.method!, headers, ...(hasBody ? { body } : {}), redirect: 'manual' });
      const answer = Buffer.from(await up.arrayBuffer());
      const out: Record<string, string> = {};
      up.headers.forEach((v, k) => {
        if (!['content-length', 'transfer-encoding', 'connection', 'content-encoding', 'keep-alive'].includes(k)) out[k] = v;
      });
      res.writeHead(up.status, { ...out, 'content-length': answer.length });
      res.end(answer);
    } catch {
      res.destroy();
    }
  }

  /** Cuts every open connection (a held answer included). */
  dropAll(): void {
    for (const s of this.sockets) s.destroy();
  }

  async close(): Promise<void> {
    this.dropAll();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }
}

const json = 'application/json; charset=utf-8';
const STATUSES = ['200 OK', '201 Created', '204 No Content', '299 Odd', '301 Moved Permanently', '400 Bad Request', '401 Unauthorized', '403 Forbidden', '404 Not Found', '409 Conflict', '418 I am a teapot', '500 Internal Server Error', '502 Bad Gateway', '503 Service Unavailable', '520 Unknown', '599 Network Timeout'];

/** Bodies that are not the JSON an API answers: cut, garbled, the wrong shape, another format. */
const badBody = fc.oneof(
  fc.constantFrom('', '{', '{"Invoices":[{"InvoiceID":', '[{"id":1,', 'null', 'true', '"text"', '[]', '{}', '{"Id":"x"}', '[1,2,3]', '{"Organisations":"x"}', '{"Invoices":{"a":1}}', '{"Contacts":[null]}', '{"id":"1001"}', 'NaN', '\u0000\u0001\u0002', '\ufeff{"a":1}', '{"a":1}{"b":2}', '<?xml version="1.0"?><Response><Status>OK</Status></Response>', '<!doctype html><title>Sign in to the proxy</title>'),
  fc.string({ unit: 'binary', maxLength: 200 }),
  fc.jsonValue({ maxDepth: 3 }).map((v) => JSON.stringify(v)),
  fc.integer({ min: 1_000, max: 200_000 }).map((n) => `{"pad":"${'x'.repeat(n)}`), // long and cut
);

/** Shown in a counterexample as its label and size, not its (possibly 200 KB) bytes. */
function named(a: BadAnswer): BadAnswer {
  const size = a.kind === 'raw' ? `, ${a.bytes.length} chars: ${JSON.stringify(a.bytes.slice(0, 160))}` : '';
  return Object.assign(a, { [fc.toStringMethod]: () => `${a.label}${size}` });
}

/** Everything a client may be answered that is not a good answer. */
export const badAnswer: fc.Arbitrary<BadAnswer> = fc.oneof(
  // A garbled or wrong body under a JSON content type, any status, whole or cut.
  fc.tuple(fc.constantFrom(...STATUSES), badBody, fc.constantFrom(json, 'text/html', 'text/plain', 'application/xml', 'application/octet-stream'), fc.constantFrom('end' as const, 'destroy' as const)).map(([status, body, type, then]): BadAnswer => {
    const bytes = Buffer.byteLength(body);
    return { kind: 'raw', label: `${status.slice(0, 3)} ${type.split(';')[0]} body`, bytes: head(status, { 'content-type': type, 'content-length': bytes, connection: 'close' }) + body, then };
  }),
  // Promises more than it sends, then closes (truncated) or goes quiet (slow).
  fc.tuple(fc.constantFrom('200 OK', '500 Internal Server Error'), badBody, fc.constantFrom('destroy' as const, 'hold' as const)).map(([status, body, then]): BadAnswer => ({
    kind: 'raw',
    label: `truncated then ${then}`,
    bytes: head(status, { 'content-type': json, 'content-length': Buffer.byteLength(body) + 1000 }) + body,
    then,
  })),
  // Headers, then nothing (a proxy that stalls), or an answer that arrives too late.
  fc.constantFrom<BadAnswer>(
    { kind: 'raw', label: 'headers then silence', bytes: head('200 OK', { 'content-type': json, 'transfer-encoding': 'chunked' }), then: 'hold' },
    { kind: 'raw', label: 'late answer', bytes: head('200 OK', { 'content-type': json, 'content-length': 2, connection: 'close' }) + '{}', then: 'end', delayMs: 5_000 },
    { kind: 'hold', label: 'no answer at all' },
    { kind: 'reset', label: 'connection reset' },
    { kind: 'raw', label: 'closed without a byte', bytes: '', then: 'destroy' },
    { kind: 'raw', label: 'not HTTP', bytes: 'SSH-2.0-OpenSSH_9.6\r\n', then: 'destroy' },
    { kind: 'raw', label: 'bad status line', bytes: 'HTTP/1.1 abc\r\n\r\n{}', then: 'destroy' },
    { kind: 'raw', label: 'bad chunk size', bytes: `${head('200 OK', { 'content-type': json, 'transfer-encoding': 'chunked' })}zz\r\n{}\r\n0\r\n\r\n`, then: 'destroy' },
    { kind: 'raw', label: 'gzip that is not', bytes: `${head('200 OK', { 'content-type': json, 'content-encoding': 'gzip', 'content-length': 9, connection: 'close' })}{"a":1}xx`, then: 'end' },
    { kind: 'raw', label: 'redirect elsewhere', bytes: `${head('302 Found', { location: 'http://127.0.0.1:9/elsewhere', 'content-length': 0, connection: 'close' })}`, then: 'end' },
    { kind: 'raw', label: 'two content lengths', bytes: `HTTP/1.1 200 OK\r\ncontent-type: ${json}\r\ncontent-length: 2\r\ncontent-length: 7\r\nconnection: close\r\n\r\n{}`, then: 'end' },
  ),
).map((a) => named({ ...a }));
