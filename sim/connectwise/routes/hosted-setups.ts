// system/connectwisehostedsetups: GET (list, count, /{id}), POST, PUT, PATCH
// (JSON Patch array, as ConnectWise uses), DELETE. Validation as ConnectWise's
// model states it (description ≤ 50, url ≤ 1024, origin ≤ 100, type
// Pod|Tab|ToolbarButton, screenId one of connectwisehostedscreens) plus what
// the host pages rely on: url is absolute http(s) on `origin` (origin defaults
// to the url's), and a ToolbarButton has toolbarButtonText.
import { Hono } from 'hono';
import { z } from 'zod';
import type { CwHostedSetup } from '../../../shared/cw-types.js';
import type { SimContext, SimEnv } from '../context.js';
import { fromZod, invalidField, notFound, readJson } from '../errors.js';
import { applyPatch } from '../json-patch.js';
import { trimRecord } from '../list.js';
import { collection } from './collection.js';

const R = 'connectWiseHostedSetup';

const setupSchema = z
  .object({
    id: z.number().optional(),
    screenId: z.number({ message: 'screenId is required (an id from system/connectwisehostedscreens)' }).int(),
    description: z.string({ message: 'description is required' }).min(1, 'description is required').max(50, 'description must be at most 50 characters'),
    url: z.string({ message: 'url is required' }).min(1, 'url is required').max(1024, 'url must be at most 1024 characters'),
    type: z.enum(['Pod', 'Tab', 'ToolbarButton'], { message: 'type must be Pod, Tab or ToolbarButton' }),
    clientId: z.string().max(36).optional(),
    origin: z.string().max(100, 'origin must be at most 100 characters').optional(),
    podHeight: z.number().int().min(20).max(4000).nullable().optional(),
    toolbarButtonDialogHeight: z.number().int().min(50).max(4000).nullable().optional(),
    toolbarButtonDialogWidth: z.number().int().min(50).max(4000).nullable().optional(),
    toolbarButtonText: z.string().max(50, 'toolbarButtonText must be at most 50 characters').optional(),
    toolbarButtonToolTip: z.string().max(50, 'toolbarButtonToolTip must be at most 50 characters').optional(),
    toolbarButtonIconDocumentId: z.number().int().nullable().optional(),
    disabledFlag: z.boolean().nullable().optional(),
    locationIds: z.array(z.number().int()).optional(),
    locationsEnabledFlag: z.boolean().nullable().optional(),
    createdBy: z.string().optional(),
    dateCreated: z.string().optional(),
    _info: z.record(z.string(), z.string()).optional(),
  })
  .strict();

function originOf(text: string): string | null {
  try {
    const u = new URL(text);
    return u.protocol === 'http:' || u.protocol === 'https:' ? u.origin : null;
  } catch {
    return null;
  }
}

function validate(ctx: SimContext, body: unknown): CwHostedSetup {
  const r = setupSchema.safeParse(body);
  if (!r.success) throw fromZod(R, r.error);
  const s = r.data;
  if (!ctx.state.hostedScreens.some((h) => h.id === s.screenId)) throw invalidField(R, 'screenId', `screen ${s.screenId} is not a hosted screen (see system/connectwisehostedscreens)`);
  const urlOrigin = originOf(s.url);
  if (!urlOrigin) throw invalidField(R, 'url', 'must be an absolute http(s) URL');
  const origin = s.origin ?? urlOrigin;
  if (originOf(origin) !== origin) throw invalidField(R, 'origin', 'must be an origin such as https://app.example.com (scheme, host and port only)');
  if (origin !== urlOrigin) throw invalidField(R, 'url', `must be on the setup's origin ${origin}`);
  if (s.type === 'ToolbarButton' && !s.toolbarButtonText) throw invalidField(R, 'toolbarButtonText', 'is required for a ToolbarButton');
  if (s.locationsEnabledFlag && (!s.locationIds || s.locationIds.length === 0)) throw invalidField(R, 'locationIds', 'list at least one location when locationsEnabledFlag is set');
  const { _info: _ignored, ...rest } = s;
  return { ...rest, origin, disabledFlag: s.disabledFlag ?? false };
}

export function hostedSetupRoutes(ctx: SimContext): Hono<SimEnv> {
  const app = new Hono<SimEnv>();
  const path = '/system/connectwisehostedsetups';
  collection(app, path, 'ConnectWiseHostedSetup', () => ctx.state.hostedSetups);

  const find = (id: string) => {
    const s = ctx.state.hostedSetups.find((x) => x.id === Number(id));
    if (!s) throw notFound(`ConnectWiseHostedSetup ${id}`);
    return s;
  };
  const store = (id: number, createdBy: string, dateCreated: string, valid: CwHostedSetup): CwHostedSetup => ({
    ...valid,
    id,
    createdBy,
    dateCreated,
    _info: { lastUpdated: new Date(ctx.now()).toISOString() },
  });
  const replace = (old: CwHostedSetup, next: CwHostedSetup) => {
    ctx.state.hostedSetups = ctx.state.hostedSetups.map((x) => (x === old ? next : x));
    return next;
  };

  app.post(path, async (c) => {
    const valid = validate(ctx, await readJson(c, R));
    const identity = c.get('identity');
    const rec = store(ctx.state.nextId.hostedSetup++, identity.kind === 'api' ? 'APIMember' : identity.memberIdentifier, ctx.now().toISOString(), valid);
    ctx.state.hostedSetups.push(rec);
    return c.json(rec, 201);
  });
  app.put(`${path}/:id{[0-9]+}`, async (c) => {
    const old = find(c.req.param('id'));
    const valid = validate(ctx, await readJson(c, R));
    return c.json(trimRecord(c, replace(old, store(old.id!, old.createdBy ?? '', old.dateCreated ?? '', valid))));
  });
  app.patch(`${path}/:id{[0-9]+}`, async (c) => {
    const old = find(c.req.param('id'));
    const { id: _id, createdBy: _c, dateCreated: _d, _info: _i, ...editable } = old;
    const patched = applyPatch(R, editable, await readJson(c, R), Object.keys(setupSchema.shape).filter((k) => !['id', 'createdBy', 'dateCreated', '_info'].includes(k)));
    const valid = validate(ctx, patched);
    return c.json(replace(old, store(old.id!, old.createdBy ?? '', old.dateCreated ?? '', valid)));
  });
  app.delete(`${path}/:id{[0-9]+}`, (c) => {
    const old = find(c.req.param('id'));
    ctx.state.hostedSetups = ctx.state.hostedSetups.filter((x) => x !== old);
    return c.body(null, 204);
  });
  return app;
}
