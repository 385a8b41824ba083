// Saving a part of the tenant's settings from one card: busy/saved state and
// the server's 400 (with the field it names) for the card to show by the field.
import { useState } from 'preact/hooks';
import type { SettingsResponse } from '../../shared/api.js';
import type { PodContext } from '../lib/boot.js';
import { PodApiError } from '../lib/http.js';

export interface SaveError {
  field?: string | undefined;
  text: string;
}

export function useSettingsSave(ctx: PodContext, onSaved: () => Promise<void>) {
  const [error, setError] = useState<SaveError | null>(null);
  const [saved, setSaved] = useState(false);
  const [busy, setBusy] = useState(false);
  const save = async (patch: Record<string, unknown>) => {
    setBusy(true);
    setSaved(false);
    try {
      await ctx.api<SettingsResponse>('/api/settings', { method: 'PUT', body: JSON.stringify(patch) });
      setError(null);
      setSaved(true);
      await onSaved();
    } catch (e) {
      setError({ field: e instanceof PodApiError ? e.field : undefined, text: e instanceof Error ? e.message : String(e) });
    } finally {
      setBusy(false);
    }
  };
  return { error, saved, busy, save };
}
