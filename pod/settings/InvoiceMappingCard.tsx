// "Invoices": how ConnectWise invoices become Xero documents — the status they
// land in, how amounts are read, the number prefix, items, unit of measure,
// rounding, account and tax code mapping, the contact's account number.
// Admins edit and save (PUT /api/settings {invoiceMapping}); everyone else sees
// the same values read-only. A refused field is named next to the field.
import { useEffect, useState } from 'preact/hooks';
import type { PodContext } from '../lib/boot.js';
import { PodApiError } from '../lib/http.js';
import { Loading, MessageBox } from '../lib/ui.js';
import { INVOICE_SECTION, SETTINGS_CARD } from '../../shared/settings-sections.js';
import {
  draftFromSettings,
  invoiceMappingSettingsSchema,
  settingsFromDraft,
  settingsWithInvoiceMapping,
  type CodeRow,
  type DraftError,
  type InvoiceMappingDraft,
  type InvoiceMappingSettings,
} from '../lib/invoice-mapping-settings.js';
import '../lib/settings-form.css';

type Loaded = { isAdmin: boolean; stored: InvoiceMappingSettings | undefined };

/** The server's message without its "field.path: " prefix (the field is shown by position). */
export function withoutFieldPrefix(message: string, field: string): string {
  return message.startsWith(`${field}: `) ? message.slice(field.length + 2) : message;
}

/** A small editable code → code table (also the Expenses card's tax types). */
export function CodeTable({
  id,
  rows,
  fromLabel,
  toLabel,
  disabled,
  onChange,
  emptyText = 'None: the same code is used on both sides.',
}: {
  id: string;
  rows: CodeRow[];
  fromLabel: string;
  toLabel: string;
  disabled: boolean;
  onChange: (rows: CodeRow[]) => void;
  emptyText?: string;
}) {
  const set = (i: number, patch: Partial<CodeRow>) => onChange(rows.map((r, j) => (j === i ? { ...r, ...patch } : r)));
  return (
    <table class="code-map" data-testid={id}>
      <thead>
        <tr>
          <th>{fromLabel}</th>
          <th aria-hidden="true" />
          <th>{toLabel}</th>
          <th aria-hidden="true" />
        </tr>
      </thead>
      <tbody>
        {rows.length === 0 ? (
          <tr>
            <td colSpan={4} class="muted">
              {emptyText}
            </td>
          </tr>
        ) : null}
        {rows.map((r, i) => (
          <tr key={i}>
            <td>
              <input aria-label={`${fromLabel}, row ${i + 1}`} value={r.from} disabled={disabled} onInput={(e) => set(i, { from: (e.currentTarget as HTMLInputElement).value })} />
            </td>
            <td class="arrow" aria-hidden="true">
              →
            </td>
            <td>
              <input aria-label={`${toLabel}, row ${i + 1}`} value={r.to} disabled={disabled} onInput={(e) => set(i, { to: (e.currentTarget as HTMLInputElement).value })} />
            </td>
            <td>
              {disabled ? null : (
                <button type="button" class="icon-button" title="Remove this row" aria-label={`Remove row ${i + 1}`} onClick={() => onChange(rows.filter((_, j) => j !== i))}>
                  ×
                </button>
              )}
            </td>
          </tr>
        ))}
      </tbody>
      {disabled ? null : (
        <tfoot>
          <tr>
            <td colSpan={4}>
              <button type="button" class="link-button" onClick={() => onChange([...rows, { from: '', to: '' }])}>
                + Add a row
              </button>
            </td>
          </tr>
        </tfoot>
      )}
    </table>
  );
}

export function InvoiceMappingCard({ ctx }: { ctx: PodContext }) {
  const [loaded, setLoaded] = useState<Loaded | null>(null);
  const [loadError, setLoadError] = useState<string | null>(null);
  const [draft, setDraft] = useState<InvoiceMappingDraft | null>(null);
  const [error, setError] = useState<DraftError | null>(null);
  const [saved, setSaved] = useState(false);
  const [busy, setBusy] = useState(false);

  const apply = (r: { isAdmin: boolean; settings: { invoiceMapping?: InvoiceMappingSettings | undefined } }) => {
    setLoaded({ isAdmin: r.isAdmin, stored: r.settings.invoiceMapping });
    setDraft(draftFromSettings(r.settings.invoiceMapping ?? invoiceMappingSettingsSchema.parse({})));
  };

  useEffect(() => {
    ctx
      .api('/api/settings', { method: 'GET' }, settingsWithInvoiceMapping)
      .then(apply)
      .catch((e: unknown) => setLoadError(e instanceof Error ? e.message : String(e)));
  }, [ctx]);

  if (loadError) {
    return (
      <section class="card">
        <h2 class="card-title" data-section="invoices">{SETTINGS_CARD.invoices}</h2>
        <MessageBox title="Could not read the invoice settings">{loadError}</MessageBox>
      </section>
    );
  }
  if (!loaded || !draft) return <Loading text="Loading the invoice settings…" />;

  const supported = loaded.stored !== undefined;
  const editable = loaded.isAdmin && supported && !busy;
  const update = (patch: Partial<InvoiceMappingDraft>) => {
    setDraft({ ...draft, ...patch });
    setSaved(false);
  };
  const fieldError = (field: string) =>
    error && (error.field === field || error.field.startsWith(`${field}.`)) ? (
      <span class="field-error" data-testid={`error-${field.replace('invoiceMapping.', '')}`}>
        {withoutFieldPrefix(error.text, error.field)}
      </span>
    ) : null;
  const known = ['status', 'lineAmountTypes', 'invoiceNumberPrefix', 'createMissingItems', 'includeUnitOfMeasure', 'allowRoundingLine', 'roundingAccountCode', 'roundingAllowance', 'contactAccountNumber', 'accountMap', 'taxMap'];
  const shownByField = error ? known.some((k) => error.field === `invoiceMapping.${k}` || error.field.startsWith(`invoiceMapping.${k}.`)) : false;

  const save = async () => {
    const out = settingsFromDraft(loaded.stored ?? invoiceMappingSettingsSchema.parse({}), draft);
    if (!out.ok) {
      setError(out.error);
      return;
    }
    setBusy(true);
    setSaved(false);
    try {
      const r = await ctx.api('/api/settings', { method: 'PUT', body: JSON.stringify({ invoiceMapping: out.settings }) }, settingsWithInvoiceMapping);
      apply(r);
      setError(null);
      setSaved(true);
    } catch (e) {
      setError({ field: e instanceof PodApiError && e.field ? e.field : 'invoiceMapping', text: e instanceof Error ? e.message : String(e) });
    } finally {
      setBusy(false);
    }
  };

  const check = (key: 'createMissingItems' | 'includeUnitOfMeasure' | 'allowRoundingLine' | 'contactAccountNumber', label: string, hint: string) => (
    <label class="check">
      <input type="checkbox" data-testid={`im-${key}`} checked={draft[key]} disabled={!editable} onChange={(e) => update({ [key]: (e.currentTarget as HTMLInputElement).checked })} />
      <span>
        {label}
        <span class="hint">{hint}</span>
      </span>
    </label>
  );

  return (
    <section class="card invoice-mapping" data-testid="invoice-mapping-card">
      <div class="card-head">
        <h2 class="card-title" data-section="invoices">{SETTINGS_CARD.invoices}</h2>
        <span class="card-sub">How a ConnectWise invoice becomes a Xero invoice.</span>
      </div>
      {!supported ? (
        <MessageBox kind="info" title="Not available yet">
          This server does not store invoice settings yet; the defaults shown are used.
        </MessageBox>
      ) : null}
      <div class="form-grid">
        <div class="field">
          <label for="im-status">Status in Xero for new invoices</label>
          <select id="im-status" data-testid="im-status" value={draft.status} disabled={!editable} onChange={(e) => update({ status: (e.currentTarget as HTMLSelectElement).value as InvoiceMappingDraft['status'] })}>
            <option value="AUTHORISED">Approved (awaiting payment)</option>
            <option value="DRAFT">Draft (review in Xero first)</option>
          </select>
          {fieldError('invoiceMapping.status')}
        </div>
        <div class="field">
          <label for="im-amounts">Amounts are</label>
          <select
            id="im-amounts"
            data-testid="im-lineAmountTypes"
            value={draft.lineAmountTypes}
            disabled={!editable}
            onChange={(e) => update({ lineAmountTypes: (e.currentTarget as HTMLSelectElement).value as InvoiceMappingDraft['lineAmountTypes'] })}
          >
            <option value="Exclusive">Tax exclusive (as ConnectWise)</option>
            <option value="Inclusive">Tax inclusive</option>
            <option value="NoTax">No tax</option>
          </select>
          {fieldError('invoiceMapping.lineAmountTypes')}
        </div>
        <div class="field">
          <label for="im-prefix">Invoice number prefix</label>
          <input id="im-prefix" data-testid="im-invoiceNumberPrefix" value={draft.invoiceNumberPrefix} placeholder="none" disabled={!editable} onInput={(e) => update({ invoiceNumberPrefix: (e.currentTarget as HTMLInputElement).value })} />
          {fieldError('invoiceMapping.invoiceNumberPrefix')}
        </div>
      </div>
      <div class="checks">
        {check('createMissingItems', 'Create missing items in Xero', 'A product line whose item code Xero does not know creates that item.')}
        {check('includeUnitOfMeasure', 'Include the unit of measure', 'Lines show ConnectWise’s unit (Each, Hour, Metre…).')}
        {check('contactAccountNumber', 'Send the account number to the Xero contact', 'The ConnectWise company’s account number becomes the contact’s account number.')}
        {check('allowRoundingLine', 'Allow a rounding line', 'When Xero’s total would differ from ConnectWise’s by a few cents, add a line so they agree.')}
      </div>
      {draft.allowRoundingLine ? (
        <div class="form-grid">
          <div class="field">
            <label for="im-rounding-account">Rounding account code (Xero)</label>
            <input id="im-rounding-account" data-testid="im-roundingAccountCode" value={draft.roundingAccountCode} disabled={!editable} onInput={(e) => update({ roundingAccountCode: (e.currentTarget as HTMLInputElement).value })} />
            {fieldError('invoiceMapping.roundingAccountCode')}
          </div>
          <div class="field">
            <label for="im-rounding-allowance">Largest rounding difference</label>
            <input id="im-rounding-allowance" data-testid="im-roundingAllowance" inputMode="decimal" value={draft.roundingAllowance} disabled={!editable} onInput={(e) => update({ roundingAllowance: (e.currentTarget as HTMLInputElement).value })} />
            {fieldError('invoiceMapping.roundingAllowance')}
          </div>
        </div>
      ) : null}
      <h3 class="sub-title" data-section="invoices-accounts">{INVOICE_SECTION.accounts}</h3>
      <p class="muted small">A ConnectWise GL account not listed books to the Xero account with the same code.</p>
      <CodeTable id="im-account-map" rows={draft.accountRows} fromLabel="ConnectWise GL account" toLabel="Xero account code" disabled={!editable} onChange={(accountRows) => update({ accountRows })} />
      {fieldError('invoiceMapping.accountMap')}
      <h3 class="sub-title" data-section="invoices-tax">{INVOICE_SECTION.taxCodes}</h3>
      <p class="muted small">A ConnectWise tax code not listed uses the Xero tax rate with the same percentage.</p>
      <CodeTable id="im-tax-map" rows={draft.taxRows} fromLabel="ConnectWise tax code" toLabel="Xero tax type" disabled={!editable} onChange={(taxRows) => update({ taxRows })} />
      {fieldError('invoiceMapping.taxMap')}
      {loaded.isAdmin && supported ? (
        <div class="actions">
          <button class="primary" data-testid="save-invoice-mapping" disabled={busy} onClick={() => void save()}>
            Save invoice settings
          </button>
          {saved ? (
            <span class="muted" data-testid="invoice-mapping-saved">
              Saved. The next preview uses these settings.
            </span>
          ) : null}
        </div>
      ) : null}
      {error && !shownByField ? (
        <div data-testid="invoice-mapping-error">
          <MessageBox title="Not saved">{error.text}</MessageBox>
        </div>
      ) : null}
    </section>
  );
}
