// Installs our hosted setups into a tenant's ConnectWise through its REST API:
// the "Sync to Xero" toolbar button on invoices, pods on accounting batches
// (sync + settings) and purchase orders, a tab on expense reports. Idempotent:
// a setup of ours already there (same screen, our page URL) is PATCHed in
// place, never duplicated.
import { z } from 'zod';
import { ApiError } from '../http/errors.js';
import type { CwClient } from './client.js';

export type PodPage = 'invoice' | 'batch' | 'purchaseorder' | 'expense' | 'settings';

export interface HostedSetupSpec {
  page: PodPage;
  /** ConnectWise screen name (connectwisehostedscreens). */
  screen: string;
  type: 'Pod' | 'Tab' | 'ToolbarButton';
  description: string;
  podHeight?: number;
  toolbarButtonText?: string;
  toolbarButtonToolTip?: string;
  toolbarButtonDialogHeight?: number;
  toolbarButtonDialogWidth?: number;
}

export const HOSTED_SETUPS: readonly HostedSetupSpec[] = [
  {
    page: 'invoice',
    screen: 'invoice',
    type: 'ToolbarButton',
    description: 'Sync to Xero',
    toolbarButtonText: 'Sync to Xero',
    toolbarButtonToolTip: 'Preview and push this invoice to Xero',
    toolbarButtonDialogHeight: 600,
    toolbarButtonDialogWidth: 760,
  },
  { page: 'batch', screen: 'accountingbatch', type: 'Pod', description: 'CW–Xero Sync', podHeight: 420 },
  { page: 'settings', screen: 'accountingbatch', type: 'Pod', description: 'CW–Xero Sync settings', podHeight: 520 },
  { page: 'purchaseorder', screen: 'purchaseorder', type: 'Pod', description: 'CW–Xero Sync', podHeight: 320 },
  { page: 'expense', screen: 'expensereport', type: 'Tab', description: 'Xero' },
];

/** The URL ConnectWise loads, with its [cw_id]/[cw_screen] tokens. */
export function podUrl(publicUrl: string, tenantId: string, page: PodPage): string {
  return `${podUrlPrefix(publicUrl, page)}?tenant=${encodeURIComponent(tenantId)}&id=[cw_id]&screen=[cw_screen]`;
}

function podUrlPrefix(publicUrl: string, page: PodPage): string {
  return `${publicUrl.replace(/\/+$/, '')}/pod/${page}.html`;
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
  })
  .loose();

export interface InstallResult {
  setups: { id: number; page: PodPage; screen: string; type: string; action: 'created' | 'updated' | 'unchanged' }[];
}

/** Screen name → ConnectWise screen record id. CW names them in screenId (e.g. "invoice") and name. */
async function screenIds(cw: CwClient): Promise<Map<string, number>> {
  const screens = await cw.list('system/connectwisehostedscreens', hostedScreen);
  const byName = new Map<string, number>();
  for (const s of screens) {
    for (const key of [s.screenId, s.name]) {
      if (key) {
        const k = key.toLowerCase().replace(/\s+/g, '');
        if (!byName.has(k)) byName.set(k, s.id);
      }
    }
  }
  return byName;
}

export async function installHostedSetups(cw: CwClient, opts: { publicUrl: string; tenantId: string }): Promise<InstallResult> {
  const origin = new URL(opts.publicUrl).origin;
  const screens = await screenIds(cw);
  const existing = await cw.list('system/connectwisehostedsetups', hostedSetup);
  const result: InstallResult = { setups: [] };

  for (const spec of HOSTED_SETUPS) {
    const screenId = screens.get(spec.screen);
    if (screenId === undefined) {
      throw new ApiError(502, 'cw_screen_missing', `ConnectWise has no hosted screen "${spec.screen}"; cannot install the ${spec.description} ${spec.type}.`);
    }
    const wanted = {
      screenId,
      description: spec.description,
      url: podUrl(opts.publicUrl, opts.tenantId, spec.page),
      type: spec.type,
      origin,
      ...(spec.podHeight !== undefined ? { podHeight: spec.podHeight } : {}),
      ...(spec.toolbarButtonText !== undefined ? { toolbarButtonText: spec.toolbarButtonText } : {}),
      ...(spec.toolbarButtonToolTip !== undefined ? { toolbarButtonToolTip: spec.toolbarButtonToolTip } : {}),
      ...(spec.toolbarButtonDialogHeight !== undefined ? { toolbarButtonDialogHeight: spec.toolbarButtonDialogHeight } : {}),
      ...(spec.toolbarButtonDialogWidth !== undefined ? { toolbarButtonDialogWidth: spec.toolbarButtonDialogWidth } : {}),
    };
    // Ours = same screen and our page (any host we ran on before), or the same title on that screen.
    const pagePath = `/pod/${spec.page}.html`;
    const mine = existing.find(
      (s) => s.screenId === screenId && (s.url.startsWith(podUrlPrefix(opts.publicUrl, spec.page)) || s.url.includes(pagePath) || s.description === spec.description),
    );
    if (!mine) {
      const created = await cw.post('system/connectwisehostedsetups', wanted, hostedSetup, { what: `hosted setup ${spec.description}` });
      existing.push(created);
      result.setups.push({ id: created.id, page: spec.page, screen: spec.screen, type: spec.type, action: 'created' });
      continue;
    }
    const ops = Object.entries(wanted)
      .filter(([k, v]) => (mine as Record<string, unknown>)[k] !== v)
      .map(([k, v]) => ({ op: 'replace' as const, path: k, value: v }));
    if (ops.length) await cw.patch(`system/connectwisehostedsetups/${mine.id}`, ops, hostedSetup, { what: `hosted setup ${mine.id}` });
    result.setups.push({ id: mine.id, page: spec.page, screen: spec.screen, type: spec.type, action: ops.length ? 'updated' : 'unchanged' });
  }
  return result;
}
