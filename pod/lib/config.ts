// The pod-config the server injects into every pod page:
// <script id="pod-config" type="application/json">{"tenant","cwOrigin","apiBase"}</script>
import type { PodConfig } from '../../shared/api.js';

export class PodConfigError extends Error {}

export function readPodConfig(doc: Document = document): PodConfig {
  const el = doc.getElementById('pod-config');
  if (!el?.textContent) {
    throw new PodConfigError('This page must be opened from ConnectWise (its configuration is missing).');
  }
  let raw: unknown;
  try {
    raw = JSON.parse(el.textContent);
  } catch {
    throw new PodConfigError('This page’s configuration is damaged; reload it from ConnectWise.');
  }
  const wrong = podConfigProblem(raw);
  if (wrong) throw new PodConfigError(`This page’s configuration is incomplete (${wrong}); reload it from ConnectWise.`);
  const { tenant, cwOrigin, apiBase } = raw as PodConfig;
  return { tenant, cwOrigin, apiBase };
}

/** The first field of the pod-config (shared/api.ts podConfig) that is missing or wrong, without a validator library. */
function podConfigProblem(raw: unknown): string | undefined {
  if (typeof raw !== 'object' || raw === null) return 'config';
  const c = raw as Record<string, unknown>;
  if (typeof c.tenant !== 'string' || c.tenant.length === 0) return 'tenant';
  for (const key of ['cwOrigin', 'apiBase'] as const) {
    const v = c[key];
    if (typeof v !== 'string' || !URL.canParse(v)) return key;
  }
  return undefined;
}

/** The record id ConnectWise put in our URL ([cw_id]), if it did. */
export function recordIdFromUrl(loc: Location = location): number | undefined {
  const raw = new URLSearchParams(loc.search).get('id');
  const n = raw && /^\d+$/.test(raw) ? Number(raw) : NaN;
  return Number.isSafeInteger(n) && n > 0 ? n : undefined;
}
