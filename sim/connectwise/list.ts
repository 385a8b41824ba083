// ConnectWise list semantics shared by every collection endpoint:
//   conditions  filter (see conditions.ts); a malformed one is a 400 saying where
//   orderBy     "field [asc|desc], field2 ..." (nested a/b ok); default id asc
//   page        1-based
//   pageSize    default 25; above 1000 it is clamped to 1000 (as ConnectWise
//               does); below 1 or not an integer is a 400
//   fields      comma list trimming each record (nested a/b ok)
//   childConditions / customFieldConditions: accepted and ignored (the sim's
//               records have no child collections those would filter)
// A Link header carries first/prev/next/last (rel="next" only while more
// pages remain), absolute, keeping the other query parameters.
import type { Context } from 'hono';
import { ConditionError, evaluate, parseConditions } from './conditions.js';
import { CwError } from './errors.js';

export const MAX_PAGE_SIZE = 1000;
export const DEFAULT_PAGE_SIZE = 25;

function badQuery(param: string, message: string): CwError {
  return new CwError(400, 'InvalidObject', `${param}: ${message}`, [
    { code: 'InvalidQuery', message: `${param}: ${message}`, resource: 'query', field: param },
  ]);
}

function getQuery(c: Context, name: string): string | undefined {
  // ConnectWise query parameter names are case-insensitive.
  const all = c.req.queries();
  for (const [k, v] of Object.entries(all)) if (k.toLowerCase() === name.toLowerCase()) return v[0];
  return undefined;
}

export function filterByConditions<T>(c: Context, records: T[]): T[] {
  const src = getQuery(c, 'conditions');
  if (src === undefined || src.trim() === '') return records;
  try {
    const cond = parseConditions(src);
    return records.filter((r) => evaluate(cond, r));
  } catch (e) {
    if (e instanceof ConditionError) throw badQuery('conditions', e.message);
    throw e;
  }
}

function valueAt(rec: unknown, path: string[]): unknown {
  let cur = rec;
  for (const p of path) cur = cur && typeof cur === 'object' ? (cur as Record<string, unknown>)[p] : undefined;
  return cur;
}

function compareValues(a: unknown, b: unknown): number {
  // Nulls sort first, as SQL Server does ascending.
  if (a === undefined || a === null) return b === undefined || b === null ? 0 : -1;
  if (b === undefined || b === null) return 1;
  if (typeof a === 'number' && typeof b === 'number') return a - b;
  if (typeof a === 'boolean' && typeof b === 'boolean') return Number(a) - Number(b);
  const sa = String(a).toLowerCase();
  const sb = String(b).toLowerCase();
  return sa < sb ? -1 : sa > sb ? 1 : 0;
}

export function sortByOrderBy<T>(c: Context, records: T[]): T[] {
  const src = getQuery(c, 'orderBy');
  const keys: { path: string[]; dir: 1 | -1 }[] = [];
  if (src && src.trim()) {
    for (const part of src.split(',')) {
      const m = /^\s*([A-Za-z_][\w./]*)\s*(asc|desc)?\s*$/i.exec(part);
      if (!m) throw badQuery('orderBy', `cannot read "${part.trim()}" (expected "field asc" or "field desc")`);
      keys.push({ path: m[1]!.split('/'), dir: m[2]?.toLowerCase() === 'desc' ? -1 : 1 });
    }
  }
  keys.push({ path: ['id'], dir: 1 });
  return [...records].sort((a, b) => {
    for (const k of keys) {
      const d = compareValues(valueAt(a, k.path), valueAt(b, k.path));
      if (d !== 0) return d * k.dir;
    }
    return 0;
  });
}

/** Keeps only the listed fields (nested `a/b` keeps `a.b`); unknown fields are left out. */
export function pickFields(record: unknown, fields: string[][]): unknown {
  const out: Record<string, unknown> = {};
  for (const path of fields) {
    let src: unknown = record;
    let dst = out;
    for (let i = 0; i < path.length; i++) {
      const key = path[i]!;
      if (!src || typeof src !== 'object' || !(key in (src as object))) break;
      const v = (src as Record<string, unknown>)[key];
      if (i === path.length - 1) {
        dst[key] = v;
      } else {
        if (!dst[key] || typeof dst[key] !== 'object') dst[key] = {};
        dst = dst[key] as Record<string, unknown>;
        src = v;
      }
    }
  }
  return out;
}

export function parseFields(c: Context): string[][] | null {
  const src = getQuery(c, 'fields');
  if (src === undefined || src.trim() === '') return null;
  return src
    .split(',')
    .map((f) => f.trim())
    .filter(Boolean)
    .map((f) => f.split('/'));
}

export function trimRecord(c: Context, record: unknown): unknown {
  const fields = parseFields(c);
  return fields ? pickFields(record, fields) : record;
}

function parsePositiveInt(c: Context, name: string, fallback: number): number {
  const raw = getQuery(c, name);
  if (raw === undefined || raw === '') return fallback;
  if (!/^\d+$/.test(raw.trim()) || Number(raw) < 1) throw badQuery(name, `must be a whole number of at least 1, got "${raw}"`);
  return Number(raw);
}

function linkHeader(c: Context, page: number, pageSize: number, lastPage: number): string | null {
  const url = new URL(c.req.url);
  const make = (p: number, rel: string) => {
    const u = new URL(url);
    u.searchParams.set('page', String(p));
    u.searchParams.set('pageSize', String(pageSize));
    return `<${u.toString()}>; rel="${rel}"`;
  };
  const links: string[] = [];
  if (page > 1) {
    links.push(make(1, 'first'));
    links.push(make(Math.min(page - 1, lastPage), 'prev'));
  }
  if (page < lastPage) {
    links.push(make(page + 1, 'next'));
    links.push(make(lastPage, 'last'));
  }
  return links.length ? links.join(', ') : null;
}

/** Filters, sorts, pages and trims `records`, answering as ConnectWise's list endpoints do. */
/**
 * The values a `conditions` of just `field in (…)` or `field = x` asks for (how clients read records
 * by id or by identifier), strings in lower case; else undefined. A route may then build only the
 * records that can match: listResponse applies the conditions as always, so the answer is the same
 * without building every record to drop most of them.
 */
export function valuesAskedFor(c: Context, field: string): Set<string | number> | undefined {
  const src = getQuery(c, 'conditions');
  if (!src?.trim()) return undefined;
  let cond;
  try {
    cond = parseConditions(src);
  } catch {
    return undefined; // listResponse answers the 400
  }
  if (cond.type !== 'in' && cond.type !== 'compare') return undefined;
  if (cond.path.length !== 1 || cond.path[0]!.toLowerCase() !== field.toLowerCase()) return undefined;
  const literals = cond.type === 'in' ? (cond.negated ? undefined : cond.values) : cond.op === '=' ? [cond.value] : undefined;
  if (!literals) return undefined;
  const out = new Set<string | number>();
  for (const l of literals) {
    if (l.kind === 'number') out.add(l.value);
    else if (l.kind === 'string') out.add(l.value.toLowerCase());
    else return undefined;
  }
  return out;
}

/** valuesAskedFor(c, 'id'), when they are numbers. */
export function idsAskedFor(c: Context): Set<number> | undefined {
  const v = valuesAskedFor(c, 'id');
  return v && [...v].every((x) => typeof x === 'number') ? (v as Set<number>) : undefined;
}

export function listResponse<T>(c: Context, records: T[]) {
  const filtered = sortByOrderBy(c, filterByConditions(c, records));
  const page = parsePositiveInt(c, 'page', 1);
  const pageSize = Math.min(parsePositiveInt(c, 'pageSize', DEFAULT_PAGE_SIZE), MAX_PAGE_SIZE);
  const lastPage = Math.max(1, Math.ceil(filtered.length / pageSize));
  const slice = filtered.slice((page - 1) * pageSize, page * pageSize);
  const link = linkHeader(c, page, pageSize, lastPage);
  if (link) c.header('Link', link);
  const fields = parseFields(c);
  return c.json(fields ? slice.map((r) => pickFields(r, fields)) : slice);
}

export function countResponse<T>(c: Context, records: T[]) {
  return c.json({ count: filterByConditions(c, records).length });
}
