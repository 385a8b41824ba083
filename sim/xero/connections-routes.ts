// GET /connections and DELETE /connections/{id} for the bearer's grant.
import { Hono } from 'hono';
import type { SimContext } from './context.js';
import { verifyAccessToken } from './identity/tokens.js';
import { unauthorized } from './api/errors.js';

export function connectionsRoutes(ctx: SimContext): Hono {
  const app = new Hono();
  const grantOf = async (auth: string | undefined) => {
    const token = /^Bearer\s+(.+)$/i.exec(auth ?? '')?.[1];
    const claims = token ? await verifyAccessToken(ctx, token.trim()) : null;
    return claims ? ctx.identity.grants.get(claims.grantId) : undefined;
  };
  app.get('/connections', async (c) => {
    const grant = await grantOf(c.req.header('authorization'));
    if (!grant) return unauthorized(c);
    const authEventId = c.req.query('authEventId');
    return c.json(
      grant.connections.filter(() => !authEventId || authEventId.toLowerCase() === grant.authEventId).map((conn) => ({
        id: conn.id,
        authEventId: grant.authEventId,
        tenantId: conn.tenantId,
        tenantType: 'ORGANISATION',
        tenantName: ctx.org(conn.tenantId)?.info.Name ?? null,
        createdDateUtc: new Date(conn.createdAt).toISOString(),
        updatedDateUtc: new Date(conn.updatedAt).toISOString(),
      })),
    );
  });
  app.delete('/connections/:id', async (c) => {
    const grant = await grantOf(c.req.header('authorization'));
    if (!grant) return unauthorized(c);
    const i = grant.connections.findIndex((conn) => conn.id === c.req.param('id').toLowerCase());
    if (i < 0) return c.json({ Title: 'Not Found', Status: 404, Detail: 'connection id: no such connection for this token' }, 404);
    grant.connections.splice(i, 1);
    return c.body(null, 204);
  });
  return app;
}
