// The pod-config the server injects into every pod page:
// <script id="pod-config" type="application/json">{"tenant","cwOrigin","apiBase"}</script>
import { podConfig, type PodConfig } from '../../shared/api.js';

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
  const parsed = podConfig.safeParse(raw);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new PodConfigError(`This page’s configuration is incomplete (${issue?.path.join('.') || 'config'}); reload it from ConnectWise.`);
  }
  return parsed.data;
}

/** The record id ConnectWise put in our URL ([cw_id]), if it did. */
export function recordIdFromUrl(loc: Location = location): number | undefined {
  const raw = new URLSearchParams(loc.search).get('id');
  const n = raw && /^\d+$/.test(raw) ? Number(raw) : NaN;
  return Number.isSafeInteger(n) && n > 0 ? n : undefined;
}
