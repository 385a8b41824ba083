// ConnectWise's own values of the tracking sources other than the billing
// location, by name, for the settings pod's Tracking card — read live on each
// request and never stored (the card keeps only the keys in the mapping):
//
// - department / business unit: `system/departments` (id, identifier, name);
//   records carry the id (an invoice's `departmentId`, an expense entry's
//   `businessUnitId`);
// - product sub-category: `procurement/subcategories` (id, name, category);
//   export lines carry `subCategory {id, name}`;
// - GL class: ConnectWise has no table of classes. A GL class is the value of
//   the GL account mappings' segments whose type is "Class" in the accounting
//   package setup: `finance/glCaptions` says which of segment1…segment10 are
//   "Class" (and their captions), `finance/glAccounts` holds each mapping's
//   segment values, and the accounting export hands the value on as `glClass`
//   (text, no id) — the value is its own name.
//
// Each list is read on its own: one ConnectWise refuses (a permission the API
// member lacks) leaves the others, and says so for its source.
import { z } from 'zod';
import type { AppDeps } from '../deps.js';
import type { TrackingSourceValues } from '../../shared/tracking-choices.js';
import { CwError, type CwClient } from './client.js';
import { cwClientForTenant } from './tenant-client.js';

const ROLE = 'System › Security Roles › (the API member’s role)';

/**
 * Each list: what it is called, the ConnectWise reads behind it, and where to
 * grant them in the API member's role. Onboarding's permission check
 * (server/onboarding/cw-permissions.ts) tries the same reads.
 */
export const TRACKING_LISTS = {
  department: { what: 'departments', reads: ['system/departments'], grant: 'System › Table Setup: Inquire Level All' },
  glClass: { what: 'GL account mappings (GL classes)', reads: ['finance/glCaptions', 'finance/glAccounts'], grant: 'System › Table Setup: Inquire Level All (GL Accounts)' },
  productCategory: { what: 'product sub-categories', reads: ['procurement/subcategories'], grant: 'Procurement › Product Catalog: Inquire Level All' },
} as const satisfies Record<string, { what: string; reads: readonly string[]; grant: string }>;
const [CAPTIONS, GL_ACCOUNTS] = TRACKING_LISTS.glClass.reads;

const departmentRow = z.object({ id: z.number().int(), identifier: z.string().nullish(), name: z.string() });
const subCategoryRow = z.object({ id: z.number().int(), name: z.string(), inactiveFlag: z.boolean().nullish(), category: z.object({ name: z.string().nullish() }).nullish() });
const SEGMENTS = [1, 2, 3, 4, 5, 6, 7, 8, 9, 10] as const;
const captionRow = z.record(z.string(), z.unknown());
const glAccountRow = z.record(z.string(), z.unknown());

const byName = (a: { name: string }, b: { name: string }) => a.name.localeCompare(b.name);

export async function cwDepartments(cw: CwClient): Promise<TrackingSourceValues['values']> {
  const rows = await cw.list(TRACKING_LISTS.department.reads[0], departmentRow, { query: { fields: 'id,identifier,name' } });
  return rows.map((d) => ({ value: String(d.id), name: d.identifier?.trim() && d.identifier.trim() !== d.name.trim() ? `${d.name} (${d.identifier.trim()})` : d.name })).sort(byName);
}

export async function cwProductSubCategories(cw: CwClient): Promise<TrackingSourceValues['values']> {
  const rows = await cw.list(TRACKING_LISTS.productCategory.reads[0], subCategoryRow, { query: { fields: 'id,name,inactiveFlag,category' } });
  return rows
    .map((s) => {
      const category = s.category?.name?.trim();
      return { value: String(s.id), name: `${category ? `${category} › ` : ''}${s.name}${s.inactiveFlag ? ' (inactive)' : ''}` };
    })
    .sort(byName);
}

/** The distinct values of the GL account mappings' "Class" segments (none when the accounting package setup has no Class segment). */
export async function cwGlClasses(cw: CwClient): Promise<TrackingSourceValues['values']> {
  const captions = await cw.list(CAPTIONS, captionRow);
  const classSegments = new Map<number, string>();
  for (const c of captions) for (const n of SEGMENTS) if (c[`segment${n}type`] === 'Class') classSegments.set(n, String(c[`segment${n}`] ?? '').trim() || 'Class');
  if (classSegments.size === 0) return [];
  const accounts = await cw.list(GL_ACCOUNTS, glAccountRow, { query: { fields: ['id', ...[...classSegments.keys()].map((n) => `segment${n}`)].join(',') } });
  const named = new Map<string, string>();
  for (const a of accounts) {
    for (const [n, caption] of classSegments) {
      const v = a[`segment${n}`];
      const value = typeof v === 'string' ? v.trim() : '';
      // With more than one Class segment, which one a value comes from is said.
      if (value && !named.has(value)) named.set(value, classSegments.size > 1 ? `${value} (${caption})` : value);
    }
  }
  return [...named].map(([value, name]) => ({ value, name })).sort(byName);
}

/** Why a list could not be read, in words naming where to grant it. */
function refusedWords(what: string, grant: string, e: unknown): string {
  if (e instanceof CwError && (e.cwStatus === 403 || e.cwStatus === 401)) return `ConnectWise refused to list its ${what} (${e.cwStatus}): give the API member ${ROLE} › ${grant}. Until then, type the values.`;
  if (e instanceof CwError) return `ConnectWise did not list its ${what} (${e.cwStatus || 'no answer'}): ${e.message} Until then, type the values.`.slice(0, 400);
  return `ConnectWise's ${what} could not be read. Until then, type the values.`;
}

async function settle(read: () => Promise<TrackingSourceValues['values']>, what: string, grant: string): Promise<TrackingSourceValues> {
  try {
    return { values: await read(), error: null };
  } catch (e) {
    return { values: [], error: refusedWords(what, grant, e) };
  }
}

export type TrackingSourceLists = { department: TrackingSourceValues; glClass: TrackingSourceValues; productCategory: TrackingSourceValues };

/** The three lists, read in parallel from the tenant's ConnectWise; each says on its own why it could not be read. */
export async function cwTrackingSourceValues(deps: AppDeps, tenantId: string): Promise<TrackingSourceLists> {
  let cw: CwClient;
  try {
    cw = await cwClientForTenant(deps, tenantId);
  } catch (e) {
    const none = { values: [], error: refusedWords('values', TRACKING_LISTS.department.grant, e) };
    return { department: none, glClass: none, productCategory: none };
  }
  const [department, glClass, productCategory] = await Promise.all([
    settle(() => cwDepartments(cw), TRACKING_LISTS.department.what, TRACKING_LISTS.department.grant),
    settle(() => cwGlClasses(cw), TRACKING_LISTS.glClass.what, TRACKING_LISTS.glClass.grant),
    settle(() => cwProductSubCategories(cw), TRACKING_LISTS.productCategory.what, TRACKING_LISTS.productCategory.grant),
  ]);
  return { department, glClass, productCategory };
}
