import { Hono } from 'hono';
import type { AppDeps } from '../deps.js';

export function podPageRoutes(_deps: AppDeps): Hono {
  const app = new Hono();
  return app;
}
