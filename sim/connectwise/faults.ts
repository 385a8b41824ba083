// Fault injection for the ConnectWise API (set by POST /__sim/faults):
// added latency, a share of 500/503 answers and a share of 429 answers
// carrying Retry-After, each with ConnectWise's error JSON.
import type { MiddlewareHandler } from 'hono';
import { z } from 'zod';
import type { SimContext, SimEnv } from './context.js';

export const faultsSchema = z
  .object({
    latencyMs: z.number().int().min(0).max(60_000).optional(),
    errorRate: z.number().min(0).max(1).optional(),
    rate429: z.number().min(0).max(1).optional(),
    retryAfterSeconds: z.number().int().min(0).max(3600).optional(),
  })
  .strict();

export function faultsMiddleware(ctx: SimContext): MiddlewareHandler<SimEnv> {
  return async (c, next) => {
    const f = ctx.state.faults;
    if (f.latencyMs > 0) await new Promise((r) => setTimeout(r, f.latencyMs));
    if (f.rate429 > 0 && ctx.options.random() < f.rate429) {
      c.header('Retry-After', String(f.retryAfterSeconds));
      return c.json({ code: 'TooManyRequests', message: 'Rate limit exceeded; retry after the time in Retry-After' }, 429);
    }
    if (f.errorRate > 0 && ctx.options.random() < f.errorRate) {
      return ctx.options.random() < 0.5
        ? c.json({ code: 'UnexpectedError', message: 'An unexpected error occurred (injected fault)' }, 500)
        : c.json({ code: 'ServiceUnavailable', message: 'The service is temporarily unavailable (injected fault)' }, 503);
    }
    await next();
  };
}
