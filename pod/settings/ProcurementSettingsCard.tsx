// "Purchase orders": how ConnectWise purchase orders become Xero bills — one
// bill per delivery (part shipments) or one per purchase order, which Xero
// inventory account holds each ConnectWise warehouse's stock, and the freight
// account. Each warehouse shows the account proposed for it (its
// locationXref, else the export's inventory account) and, where the setting
// differs, that the setting wins. Admins edit and save (PUT /api/settings
// {procurement}); everyone else sees the same values read-only.
import { useCallback, useEffect, useState } from 'preact/hooks';
import type { PodContext } from '../lib/boot.js';
import { Loading, MessageBox } from '../lib/ui.js';
import { settingsResponse, tenantSettingsView } from '../../shared/api.js';
import { PURCHASE_ORDER_SECTION, SETTINGS_CARD } from '../../shared/settings-sections.js';
import { procurementSettingsSchema, type ProcurementSettings } from '../../shared/procurement-settings.js';
import { procurementChoicesResponse, type ProcurementChoicesResponse } from '../../shared/procurement-choices.js';
import { useSettingsSave } from './use-settings-save.js';
import '../lib/settings-form.css';
import './procurement-settings.css';

const settingsWithProcurement = settingsResponse.extend({
  settings: tenantSettingsView.extend({ procurement: procurementSettingsSchema.optional() }),
});

type Loaded = { isAdmin: boolean; stored: ProcurementSettings | undefined };
type Choices = ProcurementChoicesResponse | { error: string };

interface Draft {
  partShipments: boolean;
  /** Warehouse id → account code; '' = use the proposal. */
  warehouseAccounts: Record<string, string>;
  freightAccountCode: string;
}

const draftFrom = (s: ProcurementSettings): Draft => ({ partShipments: s.partShipments, warehouseAccounts: { ...s.warehouseAccounts }, freightAccountCode: s.freightAccountCode });

const proposalWords = (w: ProcurementChoicesResponse['warehouses'][number]) =>
  w.proposed === null
    ? w.locationXref
      ? `none (locationXref “${w.locationXref}” is not a Xero account)`
      : 'none'
    : `${w.proposed}${w.proposedFrom === 'locationXref' ? ' (from its locationXref)' : ' (from ConnectWise’s export)'}`;

export function ProcurementSettingsCard({ ctx }: { ctx: PodContext }) {
  const [loaded, setLoaded] = useState<Loaded | null>(null);
  const [loadError, setLoadError] = useState<string | null>(null);
  const [choices, setChoices] = useState<Choices | null>(null);
  const [draft, setDraft] = useState<Draft | null>(null);

  const loadChoices = useCallback(
    () =>
      ctx
        .api('/api/settings/procurement-choices', { method: 'GET' }, procurementChoicesResponse)
        .then(setChoices)
        .catch((e: unknown) => setChoices({ error: e instanceof Error ? e.message : String(e) })),
    [ctx],
  );
  const loadSettings = useCallback(async () => {
    try {
      const r = await ctx.api('/api/settings', { method: 'GET' }, settingsWithProcurement);
      setLoaded({ isAdmin: r.isAdmin, stored: r.settings.procurement });
      setDraft(draftFrom(r.settings.procurement ?? procurementSettingsSchema.parse({})));
      setLoadError(null);
    } catch (e) {
      setLoadError(e instanceof Error ? e.message : String(e));
    }
  }, [ctx]);
  const afterSave = useCallback(async () => {
    await Promise.all([loadSettings(), loadChoices()]);
  }, [loadSettings, loadChoices]);
  const { error, saved, busy, save: saveSettings } = useSettingsSave(ctx, afterSave);

  useEffect(() => {
    void loadSettings();
    void loadChoices();
  }, [loadSettings, loadChoices]);

  if (loadError) {
    return (
      <section class="card">
        <h2 class="card-title" data-section="purchase-orders">{SETTINGS_CARD.purchaseOrders}</h2>
        <MessageBox title="Could not read the purchase order settings">{loadError}</MessageBox>
      </section>
    );
  }
  if (!loaded || !draft) return <Loading text="Loading the purchase order settings…" />;

  const supported = loaded.stored !== undefined;
  const editable = loaded.isAdmin && supported && !busy;
  const update = (patch: Partial<Draft>) => setDraft({ ...draft, ...patch });
  const ready = choices && !('error' in choices) ? choices : null;
  // Every organisation's inventory accounts as one list of codes (the setting names a code, not an organisation).
  const accountLabels = new Map<string, string>();
  for (const o of ready?.organisations ?? []) for (const a of o.accounts) if (!accountLabels.has(a.code)) accountLabels.set(a.code, `${a.code} · ${a.name}`);
  const options = [...accountLabels.entries()].sort(([a], [b]) => a.localeCompare(b));

  const save = async () => {
    const warehouseAccounts = Object.fromEntries(Object.entries(draft.warehouseAccounts).filter(([, code]) => code.trim() !== ''));
    await saveSettings({ procurement: { partShipments: draft.partShipments, warehouseAccounts, freightAccountCode: draft.freightAccountCode.trim() } });
  };

  return (
    <section class="card" data-testid="purchase-orders-card">
      <div class="card-head">
        <h2 class="card-title" data-section="purchase-orders">{SETTINGS_CARD.purchaseOrders}</h2>
        <span class="card-sub">How goods received on a ConnectWise purchase order become a Xero bill.</span>
      </div>
      {!supported ? (
        <MessageBox kind="info" title="Not available yet">
          This server does not store purchase order settings yet; the defaults shown are used.
        </MessageBox>
      ) : null}
      <div class="checks">
        <label class="check">
          <input type="checkbox" data-testid="po-partShipments" checked={draft.partShipments} disabled={!editable} onChange={(e) => update({ partShipments: (e.currentTarget as HTMLInputElement).checked })} />
          <span>
            Bill each delivery as it arrives (part shipments)
            <span class="hint">One bill per packing slip, so the supplier’s invoice for each delivery matches a bill. Off: one bill per purchase order, once everything on it has arrived or the rest is cancelled.</span>
          </span>
        </label>
      </div>

      <h3 class="sub-title" data-section="purchase-orders-warehouses">{PURCHASE_ORDER_SECTION.warehouses}</h3>
      <p class="muted small">The Xero inventory account that holds each ConnectWise warehouse’s stock. Left on the proposal, the warehouse uses it; a chosen account wins over the proposal.</p>
      {choices && 'error' in choices ? (
        <MessageBox kind="warning" title="Could not read the warehouses">
          {choices.error}
        </MessageBox>
      ) : null}
      {ready?.organisations
        .filter((o) => o.error !== null)
        .map((o) => (
          <MessageBox key={o.xeroTenantId} kind="warning" title={`Could not read ${o.name}’s accounts`}>
            {o.error}
          </MessageBox>
        ))}
      {!choices ? <Loading text="Loading warehouses and accounts…" /> : null}
      {ready && ready.warehouses.length === 0 ? <p class="muted small">ConnectWise has no warehouses.</p> : null}
      {ready && ready.warehouses.length > 0 ? (
        <table class="code-map warehouse-accounts" data-testid="warehouse-accounts">
          <thead>
            <tr>
              <th>ConnectWise warehouse</th>
              <th>Proposed</th>
              <th>Xero inventory account</th>
            </tr>
          </thead>
          <tbody>
            {ready.warehouses.map((w) => {
              const value = draft.warehouseAccounts[String(w.id)] ?? '';
              const differs = value !== '' && value !== w.proposed;
              const choicesHere = value && !accountLabels.has(value) ? [...options, [value, `${value} (not an inventory account of a connected organisation)`] as [string, string]] : options;
              return (
                <tr key={w.id} data-testid={`warehouse-row-${w.id}`}>
                  <td>{w.name}</td>
                  <td class="muted">{proposalWords(w)}</td>
                  <td>
                    <select
                      data-testid={`warehouse-account-${w.id}`}
                      aria-label={`Xero inventory account for ${w.name}`}
                      value={value}
                      disabled={!editable}
                      onChange={(e) => update({ warehouseAccounts: { ...draft.warehouseAccounts, [String(w.id)]: (e.currentTarget as HTMLSelectElement).value } })}
                    >
                      <option value="">{w.proposed ? `The proposal (${w.proposed})` : 'Not mapped'}</option>
                      {choicesHere.map(([code, label]) => (
                        <option key={code} value={code}>
                          {label}
                        </option>
                      ))}
                    </select>
                    {differs ? (
                      <span class="warehouse-differs" data-testid={`warehouse-differs-${w.id}`}>
                        {w.proposed ? `The setting ${value} wins over the proposal ${w.proposed}.` : `The setting ${value} is used; there is no proposal.`}
                      </span>
                    ) : null}
                  </td>
                </tr>
              );
            })}
          </tbody>
        </table>
      ) : null}
      {ready && ready.organisations.length === 0 ? <p class="muted small">Connect a Xero organisation to choose from its inventory accounts.</p> : null}

      <div class="form-grid">
        <div class="field">
          <label for="po-freight">Freight account</label>
          <input id="po-freight" data-testid="po-freightAccountCode" value={draft.freightAccountCode} disabled={!editable} onInput={(e) => update({ freightAccountCode: (e.currentTarget as HTMLInputElement).value })} />
          <span class="hint">The Xero account freight on a bill is coded to (ConnectWise gives freight no account).</span>
        </div>
      </div>

      {loaded.isAdmin && supported ? (
        <div class="actions">
          <button class="primary" data-testid="save-purchase-orders" disabled={busy} onClick={() => void save()}>
            Save purchase order settings
          </button>
          {saved && !error ? (
            <span class="muted" data-testid="purchase-orders-saved">
              Saved. The next purchase order uses these settings.
            </span>
          ) : null}
        </div>
      ) : null}
      {error ? (
        <div data-testid="purchase-orders-error">
          <MessageBox title="Not saved">{error.text}</MessageBox>
        </div>
      ) : null}
    </section>
  );
}
