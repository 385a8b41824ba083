// How often payments made in Xero are brought back to ConnectWise on the
// schedule (each tenant's own interval; "Sync payments" also runs on demand).
import { useEffect, useState } from 'preact/hooks';
import type { SettingsResponse } from '../../shared/api.js';
import type { PodContext } from '../lib/boot.js';
import { MessageBox } from '../lib/ui.js';
import { SETTINGS_CARD } from '../../shared/settings-sections.js';
import { useSettingsSave } from './use-settings-save.js';

export function PaymentScheduleCard({ ctx, settings, onSaved }: { ctx: PodContext; settings: SettingsResponse; onSaved: () => Promise<void> }) {
  const [minutes, setMinutes] = useState(String(settings.settings.paymentSyncIntervalMinutes));
  const { error, saved, busy, save: saveSettings } = useSettingsSave(ctx, onSaved);
  useEffect(() => setMinutes(String(settings.settings.paymentSyncIntervalMinutes)), [settings]);

  // Sent as typed: a value that is not a whole number comes back as a 400 naming the field.
  const save = () => saveSettings({ paymentSyncIntervalMinutes: minutes.trim() === '' ? minutes : Number(minutes) });

  return (
    <section class="card">
      <div class="card-head">
        <h2 class="card-title" data-section="payments">{SETTINGS_CARD.payments}</h2>
      </div>
      <div class="field">
        <label for="payment-interval">Bring Xero payments into ConnectWise every (minutes, 5–1440)</label>
        <input
          id="payment-interval"
          data-testid="payment-interval"
          inputMode="numeric"
          value={minutes}
          disabled={!settings.isAdmin || busy}
          onInput={(e) => setMinutes((e.currentTarget as HTMLInputElement).value)}
        />
        {error?.field === 'paymentSyncIntervalMinutes' ? <span class="field-error">{error.text}</span> : null}
      </div>
      <p class="muted">"Sync payments" on an invoice or on this screen also runs it at once.</p>
      {settings.isAdmin ? (
        <div class="actions">
          <button class="primary" data-testid="save-payment-interval" disabled={busy} onClick={() => void save()}>
            Save
          </button>
          {saved ? <span class="muted">Saved.</span> : null}
        </div>
      ) : null}
      {error && error.field !== 'paymentSyncIntervalMinutes' ? <MessageBox title="Not saved">{error.text}</MessageBox> : null}
    </section>
  );
}
