// Fault injection for the ConnectWise API (set by POST /__sim/faults):
// added latency, a share of 429 answers carrying Retry-After, a share of
// 500/503 answers with ConnectWise's error JSON, and a share of dropped
// connections and held answers (sim/net-faults.ts). A 500/503, drop or hold
// strikes before the work (nothing done) or after it (done, and the answer
// lost), as errorPhase says; at most one of them per call.
import type { MiddlewareHandler } from 'hono';
import { z } from 'zod';
import type { SimContext, SimEnv } from './context.js';
import { countFault, dropConnection, faultPhaseSchema, holdFor, pickConnectionFault, pickPhase, type FaultPhase } from '../net-faults.js';

export const faultsSchema = z
  .object({
    latencyMs: z.number().int().min(0).max(60_000).optional(),
    errorRate: z.number().min(0).max(1).optional(),
    rate429: z.number().min(0).max(1).optional(),
    retryAfterSeconds: z.number().int().min(0).max(3600).optional(),
    errorPhase: faultPhaseSchema.optional(),
    dropRate: z.number().min(0).max(1).optional(),
    timeoutRate: z.number().min(0).max(1).optional(),
    timeoutMs: z.number().int().min(1).max(600_000).optional(),
  })
  .strict();

export function faultsMiddleware(ctx: SimContext): MiddlewareHandler<SimEnv> {
  return async (c, next) => {
    const f = ctx.state.faults;
    const random = ctx.options.random;
    if (f.latencyMs > 0) await new Promise((r) => setTimeout(r, f.latencyMs));
    if (f.rate429 > 0 && random() < f.rate429) {
      ctx.injected.status429++;
      c.header('Retry-After', String(f.retryAfterSeconds));
      return c.json({ code: 'TooManyRequests', message: 'Rate limit exceeded; retry after the time in Retry-After' }, 429);
    }
    const fault: { kind: '5xx' | 'drop' | 'timeout'; phase: FaultPhase } | null =
      f.errorRate > 0 && random() < f.errorRate ? { kind: '5xx', phase: pickPhase(f.errorPhase, random) } : pickConnectionFault(f, random);
    if (fault) countFault(ctx.injected, fault);
    const serverError = () =>
      random() < 0.5
        ? c.json({ code: 'UnexpectedError', message: 'An unexpected error occurred (injected fault)' }, 500)
        : c.json({ code: 'ServiceUnavailable', message: 'The service is temporarily unavailable (injected fault)' }, 503);
    if (fault?.phase === 'before') {
      if (fault.kind === '5xx') return serverError();
      if (fault.kind === 'drop') return dropConnection(c);
      await holdFor(f.timeoutMs);
    }
    await next();
    if (fault?.phase === 'after') {
      // The work is done; the client never hears of it.
      if (fault.kind === '5xx') c.res = serverError();
      else if (fault.kind === 'drop') c.res = dropConnection(c);
      else await holdFor(f.timeoutMs);
    }
  };
}
