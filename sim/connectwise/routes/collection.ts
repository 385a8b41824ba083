// Registers a read-only ConnectWise collection: GET list, GET /count, GET /{id}.
import type { Hono } from 'hono';
import type { SimEnv } from '../context.js';
import { notFound } from '../errors.js';
import { countResponse, idsAskedFor, listResponse, trimRecord } from '../list.js';

export function collection<T extends { id?: number | null }>(app: Hono<SimEnv>, path: string, what: string, records: () => T[]) {
  app.get(path, (c) => {
    const ids = idsAskedFor(c);
    return listResponse(c, ids ? records().filter((r) => r.id != null && ids.has(r.id)) : records());
  });
  app.get(`${path}/count`, (c) => countResponse(c, records()));
  app.get(`${path}/:id{[0-9]+}`, (c) => {
    const id = Number(c.req.param('id'));
    const rec = records().find((r) => r.id === id);
    if (!rec) throw notFound(`${what} ${id}`);
    return c.json(trimRecord(c, rec));
  });
}
