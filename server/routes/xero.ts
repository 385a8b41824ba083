// Connect to Xero: the OAuth popup's two pages (/oauth/xero/start and
// /oauth/xero/callback, reached without our bearer token, so bound by a
// single-use state plus a cookie of the browser that started), and the
// pod's API for connections, status and the location → organisation map.
// The start is a POST from the settings pod into its popup, from our own
// origin, carrying the state's start proof that only the admin's pod was
// given: the link alone, opened in another browser (or sent to someone by a
// person who wants their Xero in his company), starts nothing.
import { Hono } from 'hono';
import { getCookie, setCookie, deleteCookie } from 'hono/cookie';
import { z } from 'zod';
import type { AppDeps } from '../deps.js';
import { ApiError } from '../http/errors.js';
import { parseJson, parseWith } from '../http/validate.js';
import { requireAdmin, requireSession, type SessionEnv } from '../session.js';
import { locationMapRequest, type XeroConnectResponse, type CwLocationsResponse } from '../../shared/api.js';
import { browserBinding, createOauthState, isStartProof, OauthStateError, peekOauthState, startProof, STATE_TTL_MS } from '../xero/oauth-state.js';
import { authorizeUrl, completeCallback } from '../xero/oauth-flow.js';
import { renderPopupPage } from './oauth-popup-page.js';
import { xeroStatus } from '../xero/status.js';
import { disconnectXero } from '../xero/disconnect.js';
import { replaceLocationMap, readLocationMap, rememberLocationNames } from '../xero/location-map.js';
import { XeroIdentityUnavailable } from '../xero/discovery.js';
import { wordsPage } from './pod-pages.js';
import { xeroLog } from '../xero/log.js';
import { cwClientForTenant } from '../cw/tenant-client.js';

const BINDING_COOKIE = 'cwxs_xero_oauth';
const COOKIE_PATH = '/oauth/xero';

const stateQuery = z.object({ state: z.string().min(10, 'is missing or too short').max(200) });
const startForm = z.object({ startProof: z.string().max(200) });
const callbackQuery = z.object({
  code: z.string().max(2000).optional(),
  state: z.string().max(200).optional(),
  error: z.string().max(200).optional(),
  error_description: z.string().max(1000).optional(),
});
const connectionIdParam = z.object({ id: z.string().uuid('expected a connection id') });
const cwLocation = z.object({ id: z.number().int(), name: z.string() });

// The popup's pages: not framed, never cached, never leak the code in a Referer.
const popupHeaders = { 'Content-Security-Policy': "default-src 'self'; style-src 'self' 'unsafe-inline'; frame-ancestors 'none'", 'Cache-Control': 'no-store', 'Referrer-Policy': 'no-referrer', 'X-Content-Type-Options': 'nosniff' };

export function xeroRoutes(deps: AppDeps & { distDir?: string }): Hono<SessionEnv> {
  const app = new Hono<SessionEnv>();
  const secure = deps.config.publicUrl.startsWith('https:');

  // ---- the popup ----

  const cannotStart = (text: string) => wordsPage('Cannot start Xero sign-in', text);

  // The link opened by itself (another browser, a pasted URL): says why the state is dead, or that only the settings screen can use it.
  app.get('/oauth/xero/start', async (c) => {
    const q = stateQuery.safeParse(c.req.query());
    if (!q.success) return c.html(cannotStart('The link lacks its sign-in state. Close this window and click "Connect to Xero" again.'), 400, popupHeaders);
    try {
      await peekOauthState(deps, q.data.state);
    } catch (e) {
      if (e instanceof OauthStateError) return c.html(cannotStart(e.message), 400, popupHeaders);
      throw e;
    }
    return c.html(
      cannotStart('This Xero sign-in link works only in the window the CW–Xero Sync settings screen opens, in the browser of the admin who clicked "Connect to Xero". Nothing was connected; click "Connect to Xero" there.'),
      400,
      popupHeaders,
    );
  });

  app.post('/oauth/xero/start', async (c) => {
    const q = stateQuery.safeParse(c.req.query());
    if (!q.success) return c.html(cannotStart('The link lacks its sign-in state. Close this window and click "Connect to Xero" again.'), 400, popupHeaders);
    // A form on another site could post a state of its own into this browser (login CSRF): only our own pages may start.
    // Sec-Fetch-Site says so in today's browsers; the pod's no-referrer policy makes their Origin "null", older ones send Origin.
    const site = c.req.header('sec-fetch-site');
    const fromOurPage = site ? site === 'same-origin' : c.req.header('origin') === new URL(deps.config.publicUrl).origin;
    if (!fromOurPage) {
      return c.html(cannotStart('This Xero sign-in was not started from the CW–Xero Sync settings screen, so it was refused. Nothing was connected.'), 403, popupHeaders);
    }
    const form = startForm.safeParse(await c.req.parseBody().catch(() => ({})));
    if (!form.success || !isStartProof(deps.keys.secretsKey, q.data.state, form.data.startProof)) {
      return c.html(cannotStart('This Xero sign-in was not started by the settings screen that asked for it, so it was refused. Nothing was connected; click "Connect to Xero" again.'), 400, popupHeaders);
    }
    try {
      const url = await authorizeUrl(deps, q.data.state);
      setCookie(c, BINDING_COOKIE, browserBinding(deps.keys.secretsKey, q.data.state), {
        path: COOKIE_PATH,
        httpOnly: true,
        secure,
        sameSite: 'Lax',
        maxAge: STATE_TTL_MS / 1000,
      });
      return c.redirect(url, 303);
    } catch (e) {
      if (e instanceof OauthStateError) return c.html(cannotStart(e.message), 400, popupHeaders);
      if (e instanceof XeroIdentityUnavailable) return c.html(wordsPage('Xero is unavailable', `${e.message}. Try again in a minute.`), 502, popupHeaders);
      throw e;
    }
  });

  app.get('/oauth/xero/callback', async (c) => {
    const q = parseWith(callbackQuery, c.req.query(), 'query');
    const cookie = getCookie(c, BINDING_COOKIE);
    const sameBrowser = !!q.state && cookie === browserBinding(deps.keys.secretsKey, q.state);
    const result = await completeCallback(deps, { code: q.code, state: q.state, error: q.error, errorDescription: q.error_description, sameBrowser });
    if (sameBrowser) deleteCookie(c, BINDING_COOKIE, { path: COOKIE_PATH, secure });
    xeroLog(deps.config, 'info', `oauth callback tenant=${result.tenant ?? '-'} outcome=${result.code}${result.connectionId ? ` connection=${result.connectionId}` : ''}`);
    return c.html(await renderPopupPage(result, deps.distDir), result.ok ? 200 : 400, popupHeaders);
  });

  // ---- the pod's API ----

  const session = requireSession(deps.keys.sessionKey);
  app.use('/api/xero/*', session);
  app.use('/api/cw/*', session);

  app.post('/api/xero/connect', async (c) => {
    const s = c.get('session');
    requireAdmin(s);
    if (!deps.config.xero.clientId || !deps.config.xero.clientSecret) {
      throw new ApiError(503, 'xero_not_configured', 'This CW–Xero Sync server has no Xero app configured (XERO_CLIENT_ID / XERO_CLIENT_SECRET); ask whoever runs it.');
    }
    const { state, expiresAt } = await createOauthState(deps, s);
    const body: XeroConnectResponse = { url: `${deps.config.publicUrl}/oauth/xero/start?state=${encodeURIComponent(state)}`, expiresAt, startProof: startProof(deps.keys.secretsKey, state) };
    return c.json(body);
  });

  app.get('/api/xero/status', async (c) => c.json(await xeroStatus(deps, c.get('session').tenantId)));

  app.delete('/api/xero/connections/:id', async (c) => {
    const s = c.get('session');
    requireAdmin(s);
    const { id } = parseWith(connectionIdParam, c.req.param(), 'id');
    const out = await disconnectXero(deps, s.tenantId, id);
    xeroLog(deps.config, 'info', `disconnected tenant=${s.tenantId} connection=${id} by=${s.memberIdentifier} warnings=${out.warnings.length}`);
    return c.json(out);
  });

  app.get('/api/xero/location-map', async (c) => c.json({ mappings: await readLocationMap(deps, c.get('session').tenantId) }));

  app.put('/api/xero/location-map', async (c) => {
    const s = c.get('session');
    requireAdmin(s);
    const req = await parseJson(c, locationMapRequest);
    return c.json({ mappings: await replaceLocationMap(deps, s.tenantId, s.memberIdentifier, req) });
  });

  app.get('/api/cw/locations', async (c) => {
    const cw = await cwClientForTenant(deps, c.get('session').tenantId);
    const locations = await cw.list('/system/locations', cwLocation, { query: { fields: 'id,name', orderBy: 'name asc' } });
    const body: CwLocationsResponse = { locations: locations.map((l) => ({ id: l.id, name: l.name })) };
    rememberLocationNames(deps, c.get('session').tenantId, body.locations);
    return c.json(body);
  });

  // Routes under /api/xero that do not exist are 404 with words, not the catch-all.
  app.all('/api/xero/*', (c) => {
    throw new ApiError(404, 'not_found', `No such route: ${c.req.method} ${c.req.path}`);
  });

  return app;
}
