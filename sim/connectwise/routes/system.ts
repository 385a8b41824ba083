// system/info, system/members, system/locations, system/departments (the
// company structure's departments / business units: the ids invoices carry as
// `departmentId` and expense entries as `businessUnitId`), system/connectwisehostedscreens.
import { Hono } from 'hono';
import type { CwSchemas, CwSystemInfo } from '../../../shared/cw-types.js';
import { info } from '../seed-records.js';
import type { SimContext, SimEnv } from '../context.js';
import { collection } from './collection.js';

export function systemRoutes(ctx: SimContext): Hono<SimEnv> {
  const app = new Hono<SimEnv>();
  app.get('/system/info', (c) =>
    c.json({ version: ctx.state.info.version, isCloud: true, serverTimeZone: ctx.state.info.serverTimeZone, cloudRegion: 'AU' } satisfies CwSystemInfo),
  );
  collection(app, '/system/members', 'Member', () => ctx.state.members);
  collection(app, '/system/locations', 'Location', () => ctx.state.locations);
  collection(app, '/system/departments', 'Department', () => ctx.state.departments.map((d): CwSchemas['Department'] => ({ ...d, _info: info('system/departments', d.id) })));
  collection(app, '/system/connectwisehostedscreens', 'ConnectWiseHostedScreen', () => ctx.state.hostedScreens);
  return app;
}
