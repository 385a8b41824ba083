// Settings versions (issue 13): each save or import of a tenant's settings
// records who changed which fields and when. Field paths only — the fields of
// the settings' own schema ("invoiceMapping.accountMap", "pushers.securityRoles"),
// never a map's keys or any value — so nothing a setting holds is copied here.
import type { Kysely, Transaction } from 'kysely';
import type { z } from 'zod';
import type { Database } from '../db/schema.js';

export interface SettingsChange {
  memberId: string;
  source: 'save' | 'import';
}

export interface SettingsVersion {
  id: number;
  at: string;
  memberId: string | null;
  source: string;
  changedPaths: string[];
}

type Def = { type: string; innerType?: z.ZodType; in?: z.ZodType; shape?: Record<string, z.ZodType> };
const defOf = (s: z.ZodType): Def => (s as unknown as { _zod: { def: Def } })._zod.def;

/** The object schema under defaults, prefaults and optionals, if it is one. */
function objectShape(schema: z.ZodType): Record<string, z.ZodType> | undefined {
  let d = defOf(schema);
  for (let i = 0; i < 10 && d.innerType; i++) d = defOf(d.innerType);
  return d.type === 'object' ? d.shape : undefined;
}

/** JSON with object keys sorted: two maps with the same entries in another order are the same. */
function canonical(v: unknown): string {
  if (Array.isArray(v)) return `[${v.map(canonical).join(',')}]`;
  if (v && typeof v === 'object') {
    return `{${Object.keys(v)
      .sort()
      .map((k) => `${JSON.stringify(k)}:${canonical((v as Record<string, unknown>)[k])}`)
      .join(',')}}`;
  }
  return JSON.stringify(v) ?? 'undefined';
}

/**
 * The paths of the schema's fields whose values differ between two settings
 * documents: objects of the schema are walked field by field; a map, list or
 * value is one field (its keys are data, not field names).
 */
export function settingsChangedPaths(schema: z.ZodType, before: unknown, after: unknown, prefix = ''): string[] {
  const shape = objectShape(schema);
  if (!shape) return canonical(before) === canonical(after) ? [] : [prefix || '(all)'];
  const b = (before ?? {}) as Record<string, unknown>;
  const a = (after ?? {}) as Record<string, unknown>;
  return Object.entries(shape).flatMap(([k, s]) => settingsChangedPaths(s, b[k], a[k], prefix ? `${prefix}.${k}` : k));
}

/** One version row (and its activity row), in the caller's transaction; nothing when nothing changed. */
export async function recordSettingsVersion(tx: Transaction<Database> | Kysely<Database>, tenantId: string, change: SettingsChange, paths: string[], at: string): Promise<void> {
  if (paths.length === 0) return;
  await tx.insertInto('settings_versions').values({ tenant_id: tenantId, member_id: change.memberId, source: change.source, changed_paths: JSON.stringify(paths), at }).execute();
  await tx
    .insertInto('audit_log')
    .values({ tenant_id: tenantId, action: change.source === 'import' ? 'settings.imported' : 'settings.saved', member_id: change.memberId, subject: 'settings', outcome: 'changed', message: null, at })
    .execute();
}

/** The tenant's settings versions, newest first, a page at a time (`before`: the last id of the previous page). */
export async function listSettingsVersions(db: Kysely<Database>, tenantId: string, opts: { limit: number; before?: number | undefined }): Promise<{ items: SettingsVersion[]; nextBefore: number | null }> {
  let q = db.selectFrom('settings_versions').selectAll().where('tenant_id', '=', tenantId);
  if (opts.before !== undefined) q = q.where('id', '<', opts.before);
  const rows = await q.orderBy('id', 'desc').limit(opts.limit + 1).execute();
  const page = rows.slice(0, opts.limit);
  return {
    items: page.map((r) => ({ id: Number(r.id), at: r.at, memberId: r.member_id, source: r.source, changedPaths: parsePaths(r.changed_paths) })),
    nextBefore: rows.length > opts.limit ? Number(page.at(-1)!.id) : null,
  };
}

function parsePaths(json: string): string[] {
  try {
    const v: unknown = JSON.parse(json);
    return Array.isArray(v) ? v.filter((x): x is string => typeof x === 'string') : [];
  } catch {
    return [];
  }
}
