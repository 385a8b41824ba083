// Who administers CW–Xero Sync: ConnectWise security roles and/or listed members.
import { useEffect, useState } from 'preact/hooks';
import type { SettingsResponse } from '../../shared/api.js';
import type { PodContext } from '../lib/boot.js';
import { MessageBox } from '../lib/ui.js';
import { SETTINGS_CARD } from '../../shared/settings-sections.js';
import { splitList } from './format.js';
import { useSettingsSave } from './use-settings-save.js';

export function AdminsCard({ ctx, settings, onSaved }: { ctx: PodContext; settings: SettingsResponse; onSaved: () => Promise<void> }) {
  const [roles, setRoles] = useState(settings.settings.adminSecurityRoles.join(', '));
  const [members, setMembers] = useState(settings.settings.adminMemberIdentifiers.join(', '));
  const { error, saved, busy, save: saveSettings } = useSettingsSave(ctx, onSaved);
  useEffect(() => {
    setRoles(settings.settings.adminSecurityRoles.join(', '));
    setMembers(settings.settings.adminMemberIdentifiers.join(', '));
  }, [settings]);
  const isAdmin = settings.isAdmin;

  const save = () => saveSettings({ adminSecurityRoles: splitList(roles), adminMemberIdentifiers: splitList(members) });

  const fieldError = (name: string) => (error?.field?.startsWith(name) ? <span class="field-error">{error.text}</span> : null);

  return (
    <section class="card">
      <div class="card-head">
        <h2 class="card-title" data-section="admins">{SETTINGS_CARD.admins}</h2>
      </div>
      <div class="field">
        <label for="admin-roles">ConnectWise security roles (comma-separated)</label>
        <input id="admin-roles" data-testid="admin-roles" value={roles} disabled={!isAdmin || busy} onInput={(e) => setRoles((e.currentTarget as HTMLInputElement).value)} />
        {fieldError('adminSecurityRoles')}
      </div>
      <div class="field">
        <label for="admin-members">ConnectWise member identifiers (comma-separated)</label>
        <input id="admin-members" data-testid="admin-members" value={members} disabled={!isAdmin || busy} onInput={(e) => setMembers((e.currentTarget as HTMLInputElement).value)} />
        {fieldError('adminMemberIdentifiers')}
      </div>
      <p class="muted">{settings.whoCanChange} A change applies when a member next opens a ConnectWise screen.</p>
      {isAdmin ? (
        <div class="actions">
          <button class="primary" data-testid="save-admins" disabled={busy} onClick={() => void save()}>
            Save
          </button>
          {saved ? <span class="muted">Saved.</span> : null}
        </div>
      ) : null}
      {error && !error.field?.startsWith('admin') ? <MessageBox title="Not saved">{error.text}</MessageBox> : null}
    </section>
  );
}
