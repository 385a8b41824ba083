// The API member lacking a permission, as ConnectWise answers it: its security
// role does not grant an area, so every request under that area's path is a 403.
//   POST /__sim/permissions  {deny: ["finance/invoices", "system/connectwisehostedsetups", …]}
//                            (paths under the API root, prefixes; [] grants all again;
//                            optional methods: ["POST", "DELETE"] to deny only writes)
// Reset grants everything again (the denials live with the state).
import { Hono, type MiddlewareHandler } from 'hono';
import { z } from 'zod';
import type { SimContext, SimEnv } from './context.js';
import type { SimState } from './model.js';
import { CwError, fromZod, readJson } from './errors.js';

interface Denial {
  path: string;
  methods: string[] | null;
}
const denials = new WeakMap<SimState, Denial[]>();

const permissionsSchema = z
  .object({
    deny: z.array(z.string().regex(/^[a-z][a-zA-Z/]*$/, 'a path under the API root such as "finance/invoices"')).max(50),
    methods: z.array(z.enum(['GET', 'POST', 'PUT', 'PATCH', 'DELETE'])).min(1).optional(),
  })
  .strict();

export function permissionControlRoutes(ctx: SimContext): Hono {
  const app = new Hono();
  app.post('/permissions', async (c) => {
    const r = permissionsSchema.safeParse(await readJson(c, 'permissions'));
    if (!r.success) throw fromZod('permissions', r.error);
    denials.set(
      ctx.state,
      r.data.deny.map((path) => ({ path: path.replace(/\/+$/, '').toLowerCase(), methods: r.data.methods ?? null })),
    );
    return c.json({ deny: denials.get(ctx.state) });
  });
  return app;
}

/** After authentication: a denied area answers 403 as ConnectWise does for a security role without it. */
export function permissionMiddleware(ctx: SimContext, apiBase: string): MiddlewareHandler<SimEnv> {
  return async (c, next) => {
    const list = denials.get(ctx.state);
    if (list?.length && c.get('identity')?.kind === 'api') {
      const path = c.req.path.slice(c.req.path.indexOf(apiBase) + apiBase.length).replace(/^\/+/, '').toLowerCase();
      const hit = list.find((d) => (path === d.path || path.startsWith(`${d.path}/`)) && (!d.methods || d.methods.includes(c.req.method)));
      if (hit) throw new CwError(403, 'Forbidden', `You do not have permission to access ${hit.path} (the security role of this member does not grant it).`);
    }
    await next();
  };
}
