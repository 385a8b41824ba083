// What both simulators do to a connection when an injected fault says so, as
// a real API behind its load balancers does on a bad day:
//   - drop: the connection is closed without an answer (the client sees a
//     reset or "socket hang up");
//   - timeout: the answer is held longer than a client waits (the client
//     gives up; the request still runs, as a slow server's does).
// Each happens before or after the request's work: "after" is the lost
// answer — the write is done and the client never hears of it; a "before"
// drop does nothing, a "before" timeout does the work late, after the hold.
import type { Context } from 'hono';
import type { IncomingMessage } from 'node:http';
import { z } from 'zod';

export type FaultPhase = 'before' | 'after';

/** 'either': each injected fault picks before or after at random. */
export const faultPhaseSchema = z.enum(['before', 'after', 'either']);
export type FaultPhaseSetting = z.infer<typeof faultPhaseSchema>;

export function pickPhase(setting: FaultPhaseSetting, random: () => number): FaultPhase {
  return setting === 'either' ? (random() < 0.5 ? 'before' : 'after') : setting;
}

/** How many faults of each kind a simulator injected (GET /__sim/state; the fault matrix sums them). */
export interface InjectedCounts {
  status5xx: number;
  status429: number;
  drop: number;
  timeout: number;
  /** Of the 5xx, drops and timeouts: those that struck after the work was done (a lost answer). */
  afterWork: number;
}

export const noInjected = (): InjectedCounts => ({ status5xx: 0, status429: 0, drop: 0, timeout: 0, afterWork: 0 });

/** Counts an injected 5xx, drop or timeout. */
export function countFault(injected: InjectedCounts, f: { kind: '5xx' | 'drop' | 'timeout'; phase: FaultPhase }): void {
  injected[f.kind === '5xx' ? 'status5xx' : f.kind]++;
  if (f.phase === 'after') injected.afterWork++;
}

/** A connection fault to inject on this call, if the rates say so (one draw per kind). */
export function pickConnectionFault(
  f: { dropRate: number; timeoutRate: number; errorPhase: FaultPhaseSetting },
  random: () => number,
): { kind: 'drop' | 'timeout'; phase: FaultPhase } | null {
  if (f.dropRate > 0 && random() < f.dropRate) return { kind: 'drop', phase: pickPhase(f.errorPhase, random) };
  if (f.timeoutRate > 0 && random() < f.timeoutRate) return { kind: 'timeout', phase: pickPhase(f.errorPhase, random) };
  return null;
}

/**
 * Closes the request's connection without an answer. Served by
 * @hono/node-server, the socket is in the bindings (`c.env.incoming`); an
 * in-process `app.request` has none, and gets what a proxy in front says
 * when its upstream drops: 502.
 */
export function dropConnection(c: Context): Response {
  const incoming = (c.env as { incoming?: IncomingMessage } | undefined)?.incoming;
  if (incoming?.socket) {
    incoming.socket.destroy();
    // Nobody reads this: the socket is gone.
    return new Response(null, { status: 502 });
  }
  return new Response(JSON.stringify({ message: 'Bad Gateway: the upstream closed the connection' }), { status: 502, headers: { 'content-type': 'application/json' } });
}

export const holdFor = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));
