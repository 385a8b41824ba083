// Installs our hosted setups into a tenant's ConnectWise through its REST API:
// the "Sync to Xero" toolbar button on invoices, pods on accounting batches
// (sync + settings) with the batch list as a full-width tab, a pod on purchase
// orders, a tab on expense reports. Idempotent: a setup of ours already there
// (ourSpecOf) is PATCHed in place, never duplicated; uninstall removes ours
// only; the status says what of ours is installed and where.
import { z } from 'zod';
import { ApiError } from '../http/errors.js';
import type { CwClient } from './client.js';
import type { HostedSetupKey, HostedSetupStatusRow, HostedSetupsStatus } from '../../shared/hosted-setups-api.js';

export type PodPage = 'invoice' | 'batch' | 'purchaseorder' | 'expense' | 'settings';

export interface HostedSetupSpec {
  /** Which of ours this is (one setup per key in a ConnectWise). */
  key: HostedSetupKey;
  page: PodPage;
  /** The page's view parameter, when one page serves two setups (the batch pod and its full list). */
  view?: string;
  /** ConnectWise screen name (connectwisehostedscreens). */
  screen: string;
  type: 'Pod' | 'Tab' | 'ToolbarButton';
  description: string;
  /** Words for the settings card. */
  what: string;
  podHeight?: number;
  toolbarButtonText?: string;
  toolbarButtonToolTip?: string;
  toolbarButtonDialogHeight?: number;
  toolbarButtonDialogWidth?: number;
}

const SCREEN_WORDS: Record<string, string> = { invoice: 'invoice', accountingbatch: 'accounting batch', purchaseorder: 'purchase order', expensereport: 'expense report' };

/** A hosted setup in an admin's words: what it is and where ConnectWise shows it (`npm start`, the first-run page). */
export function hostedSetupWords(s: { key: string | null; type: string; screen: string }): string {
  const spec = HOSTED_SETUPS.find((h) => h.key === s.key);
  const what = spec ? `${spec.what} — ${s.type} "${spec.description}"` : s.type;
  return `${what} on the ${SCREEN_WORDS[s.screen] ?? s.screen} screen`;
}

export const HOSTED_SETUPS: readonly HostedSetupSpec[] = [
  {
    key: 'invoice-button',
    page: 'invoice',
    screen: 'invoice',
    type: 'ToolbarButton',
    description: 'Sync to Xero',
    what: '“Sync to Xero” button',
    toolbarButtonText: 'Sync to Xero',
    toolbarButtonToolTip: 'Preview and push this invoice to Xero',
    toolbarButtonDialogHeight: 600,
    toolbarButtonDialogWidth: 760,
  },
  { key: 'batch-pod', page: 'batch', screen: 'accountingbatch', type: 'Pod', description: 'CW–Xero Sync', what: 'Month-end pod', podHeight: 420 },
  { key: 'batch-list-tab', page: 'batch', view: 'list', screen: 'accountingbatch', type: 'Tab', description: 'Xero sync', what: 'Full list (full width)' },
  { key: 'settings-pod', page: 'settings', screen: 'accountingbatch', type: 'Pod', description: 'CW–Xero Sync settings', what: 'Settings pod', podHeight: 520 },
  { key: 'purchaseorder-pod', page: 'purchaseorder', screen: 'purchaseorder', type: 'Pod', description: 'CW–Xero Sync', what: 'Purchase order pod', podHeight: 320 },
  { key: 'expense-tab', page: 'expense', screen: 'expensereport', type: 'Tab', description: 'Xero', what: 'Xero tab' },
];

/** The URL ConnectWise loads, with its [cw_id]/[cw_screen] tokens. */
export function podUrl(publicUrl: string, tenantId: string, page: PodPage, view?: string): string {
  const viewParam = view ? `&view=${encodeURIComponent(view)}` : '';
  return `${publicUrl.replace(/\/+$/, '')}/pod/${page}.html?tenant=${encodeURIComponent(tenantId)}${viewParam}&id=[cw_id]&screen=[cw_screen]`;
}

const hostedScreen = z.object({ id: z.number().int(), screenId: z.string().nullish(), name: z.string().nullish() }).loose();
const hostedSetup = z
  .object({
    id: z.number().int(),
    screenId: z.number().int().nullable(),
    description: z.string(),
    url: z.string(),
    type: z.string().nullable(),
    origin: z.string().nullish(),
    disabledFlag: z.boolean().nullish(),
  })
  .loose();
type CwSetup = z.infer<typeof hostedSetup>;
type Screen = { id: number; screenId: string | null; name: string | null };

export interface InstallResult {
  setups: { id: number; key: HostedSetupKey; page: PodPage; screen: string; type: string; action: 'created' | 'updated' | 'unchanged' }[];
  /** Extra copies of ours found on the way (a setup installed twice): removed. */
  removed: number[];
}

const screenKey = (text: string) => text.toLowerCase().replace(/\s+/g, '');

/** Screen name → ConnectWise screen record. CW names them in screenId (e.g. "invoice") and name ("Invoice"). */
async function readScreens(cw: CwClient): Promise<Map<string, Screen>> {
  const screens = await cw.list('system/connectwisehostedscreens', hostedScreen);
  const byName = new Map<string, Screen>();
  for (const s of screens) {
    for (const key of [s.screenId, s.name]) {
      if (key && !byName.has(screenKey(key))) byName.set(screenKey(key), { id: s.id, screenId: s.screenId ?? null, name: s.name ?? null });
    }
  }
  return byName;
}

/**
 * THE rule of what is ours: a setup on the spec's screen whose URL is one of
 * our pod pages (any host we ran on) for this tenant, with the spec's view.
 * Anything else in the customer's ConnectWise is theirs and never touched.
 */
export function ourSpecOf(setup: Pick<CwSetup, 'screenId' | 'url'>, tenantId: string, screens: Map<string, Screen>): HostedSetupSpec | undefined {
  let u: URL;
  try {
    u = new URL(setup.url);
  } catch {
    return undefined;
  }
  if ((u.searchParams.get('tenant') ?? '').toLowerCase() !== tenantId.toLowerCase()) return undefined;
  const view = u.searchParams.get('view') ?? undefined;
  return HOSTED_SETUPS.find((spec) => u.pathname.endsWith(`/pod/${spec.page}.html`) && spec.view === view && screens.get(spec.screen)?.id === setup.screenId);
}

function wantedFor(spec: HostedSetupSpec, screenId: number, opts: { publicUrl: string; tenantId: string }) {
  return {
    screenId,
    description: spec.description,
    url: podUrl(opts.publicUrl, opts.tenantId, spec.page, spec.view),
    type: spec.type,
    origin: new URL(opts.publicUrl).origin,
    ...(spec.podHeight !== undefined ? { podHeight: spec.podHeight } : {}),
    ...(spec.toolbarButtonText !== undefined ? { toolbarButtonText: spec.toolbarButtonText } : {}),
    ...(spec.toolbarButtonToolTip !== undefined ? { toolbarButtonToolTip: spec.toolbarButtonToolTip } : {}),
    ...(spec.toolbarButtonDialogHeight !== undefined ? { toolbarButtonDialogHeight: spec.toolbarButtonDialogHeight } : {}),
    ...(spec.toolbarButtonDialogWidth !== undefined ? { toolbarButtonDialogWidth: spec.toolbarButtonDialogWidth } : {}),
  };
}

function differences(current: CwSetup, wanted: Record<string, unknown>) {
  return Object.entries(wanted)
    .filter(([k, v]) => (current as Record<string, unknown>)[k] !== v)
    .map(([k, v]) => ({ op: 'replace' as const, path: k, value: v }));
}

function screenFor(screens: Map<string, Screen>, spec: HostedSetupSpec): Screen {
  const screen = screens.get(spec.screen);
  if (!screen) throw new ApiError(502, 'cw_screen_missing', `ConnectWise has no hosted screen "${spec.screen}"; cannot install the ${spec.description} ${spec.type}.`);
  return screen;
}

/** Creates our setups, or updates ours in place (re-install); a second copy of one of ours is removed. */
export async function installHostedSetups(cw: CwClient, opts: { publicUrl: string; tenantId: string }): Promise<InstallResult> {
  const screens = await readScreens(cw);
  const existing = await cw.list('system/connectwisehostedsetups', hostedSetup);
  const result: InstallResult = { setups: [], removed: [] };

  for (const spec of HOSTED_SETUPS) {
    const screen = screenFor(screens, spec);
    const wanted = wantedFor(spec, screen.id, opts);
    const [mine, ...extra] = existing.filter((s) => ourSpecOf(s, opts.tenantId, screens) === spec);
    for (const dup of extra) {
      await cw.delete(`system/connectwisehostedsetups/${dup.id}`, { what: `hosted setup ${dup.id}` });
      result.removed.push(dup.id);
    }
    const base = { key: spec.key, page: spec.page, screen: spec.screen, type: spec.type };
    if (!mine) {
      const created = await cw.post('system/connectwisehostedsetups', wanted, hostedSetup, { what: `hosted setup ${spec.description}` });
      result.setups.push({ id: created.id, ...base, action: 'created' });
      continue;
    }
    const ops = differences(mine, wanted);
    if (ops.length) await cw.patch(`system/connectwisehostedsetups/${mine.id}`, ops, hostedSetup, { what: `hosted setup ${mine.id}` });
    result.setups.push({ id: mine.id, ...base, action: ops.length ? 'updated' : 'unchanged' });
  }
  return result;
}

/** Removes ours (every copy) and nothing else. */
export async function uninstallHostedSetups(cw: CwClient, opts: { tenantId: string }): Promise<{ removed: { id: number; key: HostedSetupKey }[] }> {
  const screens = await readScreens(cw);
  const existing = await cw.list('system/connectwisehostedsetups', hostedSetup);
  const removed: { id: number; key: HostedSetupKey }[] = [];
  for (const s of existing) {
    const spec = ourSpecOf(s, opts.tenantId, screens);
    if (!spec) continue;
    await cw.delete(`system/connectwisehostedsetups/${s.id}`, { what: `hosted setup ${s.id}` });
    removed.push({ id: s.id, key: spec.key });
  }
  return { removed };
}

/** What of ours is installed, where, and whether it is as we would install it now. */
export async function hostedSetupsStatus(cw: CwClient, opts: { publicUrl: string; tenantId: string }): Promise<HostedSetupsStatus> {
  const screens = await readScreens(cw);
  const existing = await cw.list('system/connectwisehostedsetups', hostedSetup);
  const ours = new Set<number>();
  const setups: HostedSetupStatusRow[] = HOSTED_SETUPS.map((spec) => {
    const screen = screens.get(spec.screen);
    const mine = existing.filter((s) => ourSpecOf(s, opts.tenantId, screens) === spec);
    for (const m of mine) ours.add(m.id);
    const first = mine[0];
    return {
      key: spec.key,
      what: spec.what,
      type: spec.type,
      screen: spec.screen,
      screenName: screen?.name ?? null,
      installed: !!first,
      id: first?.id ?? null,
      url: first?.url ?? null,
      disabled: !!first?.disabledFlag,
      outdated: !!first && (mine.length > 1 || !screen || differences(first, wantedFor(spec, screen.id, opts)).length > 0),
    };
  });
  return { setups, others: existing.filter((s) => !ours.has(s.id)).length };
}
