// Who may push to Xero and run syncs besides the admins (issue 12): ConnectWise
// security roles and/or listed members. The rule itself is server/permission.ts;
// this card only edits its two lists (admins only, like AdminsCard).
import { useEffect, useState } from 'preact/hooks';
import type { SettingsResponse } from '../../shared/api.js';
import type { PodContext } from '../lib/boot.js';
import { MessageBox } from '../lib/ui.js';
import { SETTINGS_CARD } from '../../shared/settings-sections.js';
import { splitList } from './format.js';
import { useSettingsSave } from './use-settings-save.js';

export function PushersCard({ ctx, settings, onSaved }: { ctx: PodContext; settings: SettingsResponse; onSaved: () => Promise<void> }) {
  const pushers = settings.settings.pushers ?? { securityRoles: [], memberIdentifiers: [] };
  const [roles, setRoles] = useState(pushers.securityRoles.join(', '));
  const [members, setMembers] = useState(pushers.memberIdentifiers.join(', '));
  const { error, saved, busy, save: saveSettings } = useSettingsSave(ctx, onSaved);
  useEffect(() => {
    setRoles(pushers.securityRoles.join(', '));
    setMembers(pushers.memberIdentifiers.join(', '));
  }, [settings]);
  const isAdmin = settings.isAdmin;

  const save = () => saveSettings({ pushers: { securityRoles: splitList(roles), memberIdentifiers: splitList(members) } });

  const fieldError = (name: string) => (error?.field?.startsWith(name) ? <span class="field-error">{error.text}</span> : null);

  return (
    <section class="card" aria-label="Who can push" data-testid="pushers-card">
      <div class="card-head">
        <h2 class="card-title" data-section="pushers">{SETTINGS_CARD.pushers}</h2>
      </div>
      <p class="muted">Members who may push records to Xero and run syncs (invoices, expense reports, purchase orders, payments). Everyone else sees previews, readiness and reconcile read-only. Admins always may.</p>
      <div class="field">
        <label for="pusher-roles">ConnectWise security roles (comma-separated)</label>
        <input id="pusher-roles" data-testid="pusher-roles" value={roles} disabled={!isAdmin || busy} onInput={(e) => setRoles((e.currentTarget as HTMLInputElement).value)} />
        {fieldError('pushers.securityRoles')}
      </div>
      <div class="field">
        <label for="pusher-members">ConnectWise member identifiers (comma-separated)</label>
        <input id="pusher-members" data-testid="pusher-members" value={members} disabled={!isAdmin || busy} onInput={(e) => setMembers((e.currentTarget as HTMLInputElement).value)} />
        {fieldError('pushers.memberIdentifiers')}
      </div>
      {isAdmin ? (
        <div class="actions">
          <button class="primary" data-testid="save-pushers" disabled={busy} onClick={() => void save()}>
            Save
          </button>
          {saved ? (
            <span class="muted" data-testid="pushers-saved">
              Saved; it applies at once.
            </span>
          ) : null}
        </div>
      ) : (
        <p class="muted">{settings.whoCanChange}</p>
      )}
      {error && !error.field?.startsWith('pushers.') ? <MessageBox title="Not saved">{error.text}</MessageBox> : null}
    </section>
  );
}
