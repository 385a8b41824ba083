// The read side shared by every list endpoint: If-Modified-Since, IDs,
// where, order, page (100 per page, or pageSize up to 1000 where allowed).
import type { Context } from 'hono';
import { parseTimestamp, wireDateToMs } from '../wire-dates.js';
import { compileWhere } from './where.js';
import { queryParseError, validationMessage } from './errors.js';

export type Wire = Record<string, unknown>;

export interface ListOptions {
  idField: string;
  /** Endpoints that page (Invoices, Contacts, CreditNotes, Payments, …). */
  pageable: boolean;
  pageSizeAllowed?: boolean;
  defaultOrder?: string;
}

export interface ListResult {
  items: Wire[];
  pagination?: { page: number; pageSize: number; pageCount: number; itemCount: number };
  paged: boolean;
}

function valueAt(rec: Wire, path: string): unknown {
  let v: unknown = rec;
  for (const key of path.split('.')) {
    if (v === null || typeof v !== 'object') return undefined;
    const obj = v as Record<string, unknown>;
    const hit = Object.keys(obj).find((k) => k.toLowerCase() === key.toLowerCase());
    v = hit === undefined ? undefined : obj[hit];
  }
  const ms = wireDateToMs(v);
  return ms ?? v;
}

export function parseOrder(order: string): { path: string; desc: boolean }[] {
  return order.split(',').map((part) => {
    const bits = part.trim().split(/\s+/);
    const path = bits[0] ?? '';
    const dir = (bits[1] ?? 'ASC').toUpperCase();
    if (!/^[A-Za-z][A-Za-z0-9.]*$/.test(path) || (dir !== 'ASC' && dir !== 'DESC') || bits.length > 2) {
      throw queryParseError(`order: cannot parse "${part.trim()}" (expected "Field [ASC|DESC]")`);
    }
    return { path, desc: dir === 'DESC' };
  });
}

function compareValues(a: unknown, b: unknown): number {
  if (a === b) return 0;
  if (a === undefined || a === null) return -1;
  if (b === undefined || b === null) return 1;
  if (typeof a === 'number' && typeof b === 'number') return a - b;
  return String(a).localeCompare(String(b));
}

export function listQuery(c: Context, all: Wire[], opts: ListOptions): ListResult {
  let items = all;
  const ims = c.req.header('if-modified-since');
  if (ims) {
    const t = parseTimestamp(ims);
    if (t === null) throw validationMessage('If-Modified-Since: not a date-time (use ISO 8601, e.g. 2026-01-31T00:00:00Z)');
    items = items.filter((r) => {
      const u = wireDateToMs(r.UpdatedDateUTC);
      return u !== null && u > t;
    });
  }
  const ids = c.req.query('IDs');
  if (ids) {
    const wanted = new Set(ids.split(',').map((s) => s.trim().toLowerCase()).filter(Boolean));
    items = items.filter((r) => wanted.has(String(r[opts.idField]).toLowerCase()));
  }
  const where = c.req.query('where');
  if (where && where.trim()) {
    const pred = compileWhere(where);
    items = items.filter(pred);
  }
  const order = c.req.query('order') ?? opts.defaultOrder;
  if (order) {
    const keys = parseOrder(order);
    items = [...items].sort((a, b) => {
      for (const k of keys) {
        const d = compareValues(valueAt(a, k.path), valueAt(b, k.path));
        if (d !== 0) return k.desc ? -d : d;
      }
      return 0;
    });
  }
  const pageRaw = c.req.query('page');
  if (!opts.pageable || pageRaw === undefined) return { items, paged: false };
  const page = Number(pageRaw);
  if (!Number.isInteger(page) || page < 1) throw validationMessage('page: must be a whole number of 1 or more');
  let pageSize = 100;
  const sizeRaw = c.req.query('pageSize');
  if (sizeRaw !== undefined && opts.pageSizeAllowed) {
    pageSize = Number(sizeRaw);
    if (!Number.isInteger(pageSize) || pageSize < 1 || pageSize > 1000) throw validationMessage('pageSize: must be a whole number from 1 to 1000');
  }
  const itemCount = items.length;
  return {
    items: items.slice((page - 1) * pageSize, page * pageSize),
    paged: true,
    pagination: { page, pageSize, pageCount: Math.ceil(itemCount / pageSize), itemCount },
  };
}
