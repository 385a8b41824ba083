// company/companies and company/contacts (read-only, as the sync needs).
import { Hono } from 'hono';
import type { SimContext, SimEnv } from '../context.js';
import { collection } from './collection.js';

export function companyRoutes(ctx: SimContext): Hono<SimEnv> {
  const app = new Hono<SimEnv>();
  collection(app, '/company/companies', 'Company', () => ctx.state.companies);
  collection(app, '/company/contacts', 'Contact', () => ctx.state.contacts);
  return app;
}
