// "Expenses": how ConnectWise expense reports become Xero bills — the bills'
// status, number, due date and supplier contact, weekly bills (Enhanced
// Expenses), which approval releases a report and whether approved ones go
// by themselves, Wise-Pay (member → payment type → the Xero bank or
// credit-card account company-paid expenses are paid from) and tax types.
// Admins edit and save (PUT /api/settings {expenses}); everyone else sees the
// same values read-only. The section titles are the ones the server's
// "where to fix it" names (shared/settings-sections.ts).
import { useCallback, useEffect, useState } from 'preact/hooks';
import type { PodContext } from '../lib/boot.js';
import { Loading, MessageBox } from '../lib/ui.js';
import { EXPENSE_SECTION, SETTINGS_CARD } from '../../shared/settings-sections.js';
import { WEEKDAYS } from '../../shared/expense-settings.js';
import { expenseChoicesResponse, type ExpenseChoicesResponse } from '../../shared/expense-choices.js';
import {
  draftFromExpenseSettings,
  expensePatchFromDraft,
  expenseSettingsSchema,
  settingsWithExpenses,
  type ExpenseSettings,
  type ExpenseSettingsDraft,
  type WisePayRow,
} from '../lib/expense-settings-form.js';
import type { DraftError } from '../lib/invoice-mapping-settings.js';
import { CodeTable, withoutFieldPrefix } from './InvoiceMappingCard.js';
import { useSettingsSave } from './use-settings-save.js';
import '../lib/settings-form.css';
import './expense-settings.css';

type Loaded = { isAdmin: boolean; stored: ExpenseSettings | undefined };
type Choices = ExpenseChoicesResponse | { error: string };

interface Option {
  value: string;
  label: string;
}

/** Every organisation's accounts as one list of codes (the matrix names a code, not an organisation). */
function accountOptions(choices: ExpenseChoicesResponse): Option[] {
  const readable = choices.organisations.filter((o) => o.error === null);
  const byCode = new Map<string, { name: string; type: string; orgs: string[] }>();
  for (const o of readable) {
    for (const a of o.accounts) {
      const seen = byCode.get(a.code) ?? { name: a.name, type: a.type, orgs: [] };
      seen.orgs.push(o.name);
      byCode.set(a.code, seen);
    }
  }
  return [...byCode.entries()]
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([code, a]) => ({
      value: code,
      label: `${code} · ${a.name}${a.type === 'CREDITCARD' ? ' (credit card)' : ''}${a.orgs.length < readable.length ? ` — ${a.orgs.join(', ')} only` : ''}`,
    }));
}

/** The choices, plus any stored value they do not offer (shown as it is, so nothing is silently dropped). */
function withStored(options: Option[], stored: string, unknownLabel: (v: string) => string): Option[] {
  return !stored || options.some((o) => o.value === stored) ? options : [...options, { value: stored, label: unknownLabel(stored) }];
}

function WisePayTable({
  rows,
  choices,
  disabled,
  rowError,
  onChange,
}: {
  rows: WisePayRow[];
  choices: ExpenseChoicesResponse | null;
  disabled: boolean;
  rowError: (row: WisePayRow) => string | null;
  onChange: (rows: WisePayRow[]) => void;
}) {
  const set = (i: number, patch: Partial<WisePayRow>) => onChange(rows.map((r, j) => (j === i ? { ...r, ...patch } : r)));
  const members: Option[] = (choices?.members ?? []).map((m) => ({ value: m.identifier, label: m.name }));
  const types: Option[] = [...(choices?.paymentTypes ?? [])]
    .sort((a, b) => Number(b.companyPaid) - Number(a.companyPaid))
    .map((p) => ({ value: String(p.id), label: p.companyPaid ? p.name : `${p.name} (paid by the member)` }));
  const accounts = choices ? accountOptions(choices) : [];
  // A new row starts on the company's card when there is only one.
  const companyTypes = (choices?.paymentTypes ?? []).filter((p) => p.companyPaid);
  const newRow = (): WisePayRow => ({ member: '', paymentType: companyTypes.length === 1 ? String(companyTypes[0]!.id) : '', account: '' });

  const select = (i: number, key: keyof WisePayRow, label: string, options: Option[], placeholder: string, cls: string) => (
    <select
      class={cls}
      data-testid={`wp-${key}-${i}`}
      aria-label={`${label}, row ${i + 1}`}
      value={rows[i]![key]}
      disabled={disabled}
      onChange={(e) => set(i, { [key]: (e.currentTarget as HTMLSelectElement).value })}
    >
      <option value="">{placeholder}</option>
      {options.map((o) => (
        <option key={o.value} value={o.value}>
          {o.label}
        </option>
      ))}
    </select>
  );

  return (
    <div class="wp-table" data-testid="wise-pay-table">
      {rows.length === 0 ? <p class="muted small">No member’s payment type is linked yet.</p> : null}
      {rows.map((r, i) => {
        const why = rowError(r);
        return (
          <div class={`wp-row${why ? ' wp-row-bad' : ''}`} key={i} data-testid="wise-pay-row">
            {select(i, 'member', 'Member', withStored(members, r.member, (v) => `${v} (not an active member)`), 'Member…', 'wp-member')}
            {select(i, 'paymentType', 'Paid with', withStored(types, r.paymentType, (v) => `Payment type ${v} (not in ConnectWise)`), 'Paid with…', 'wp-type')}
            {disabled ? (
              <span />
            ) : (
              <button type="button" class="icon-button" title="Remove this link" aria-label={`Remove row ${i + 1}`} onClick={() => onChange(rows.filter((_, j) => j !== i))}>
                ×
              </button>
            )}
            <div class="wp-from">
              <span class="wp-arrow" aria-hidden="true">
                paid from
              </span>
              {select(i, 'account', 'Xero account', withStored(accounts, r.account, (v) => `${v} (not a bank account of a connected organisation)`), 'Xero bank or card account…', 'wp-account')}
            </div>
            {why ? (
              <span class="field-error wp-error" data-testid={`wp-error-${i}`}>
                {why}
              </span>
            ) : null}
          </div>
        );
      })}
      {disabled ? null : (
        <button type="button" class="link-button" data-testid="wp-add" onClick={() => onChange([...rows, newRow()])}>
          + Link a member’s payment type
        </button>
      )}
    </div>
  );
}

export function ExpenseSettingsCard({ ctx }: { ctx: PodContext }) {
  const [loaded, setLoaded] = useState<Loaded | null>(null);
  const [loadError, setLoadError] = useState<string | null>(null);
  const [choices, setChoices] = useState<Choices | null>(null);
  const [draft, setDraft] = useState<ExpenseSettingsDraft | null>(null);
  const [formError, setFormError] = useState<DraftError | null>(null);

  const loadSettings = useCallback(async () => {
    try {
      const r = await ctx.api('/api/settings', { method: 'GET' }, settingsWithExpenses);
      setLoaded({ isAdmin: r.isAdmin, stored: r.settings.expenses });
      setDraft(draftFromExpenseSettings(r.settings.expenses ?? expenseSettingsSchema.parse({})));
      setLoadError(null);
    } catch (e) {
      setLoadError(e instanceof Error ? e.message : String(e));
    }
  }, [ctx]);
  const { error: saveError, saved, busy, save: saveSettings } = useSettingsSave(ctx, loadSettings);

  useEffect(() => {
    void loadSettings();
    ctx
      .api('/api/settings/expense-choices', { method: 'GET' }, expenseChoicesResponse)
      .then(setChoices)
      .catch((e: unknown) => setChoices({ error: e instanceof Error ? e.message : String(e) }));
  }, [ctx, loadSettings]);

  if (loadError) {
    return (
      <section class="card">
        <h2 class="card-title" data-section="expenses">{SETTINGS_CARD.expenses}</h2>
        <MessageBox title="Could not read the expense settings">{loadError}</MessageBox>
      </section>
    );
  }
  if (!loaded || !draft) return <Loading text="Loading the expense settings…" />;

  const supported = loaded.stored !== undefined;
  const editable = loaded.isAdmin && supported && !busy;
  const update = (patch: Partial<ExpenseSettingsDraft>) => setDraft({ ...draft, ...patch });
  const error: DraftError | null = formError ?? (saveError ? { field: saveError.field ?? 'expenses', text: saveError.text } : null);
  const text = (e: DraftError) => withoutFieldPrefix(e.text, e.field);
  const fieldError = (field: string) =>
    error && (error.field === field || error.field.startsWith(`${field}.`)) ? (
      <span class="field-error" data-testid={`error-${field.replace('expenses.', '')}`}>
        {text(error)}
      </span>
    ) : null;
  const rowField = (r: WisePayRow) => `expenses.wisePayAccounts.${r.member.trim()}.${r.paymentType}`;
  // A refused account is named by member and payment type: shown on its row.
  const rowError = (r: WisePayRow) => (error && error.field.toLowerCase() === rowField(r).toLowerCase() ? text(error) : null);
  const onARow = error ? draft.wisePayRows.some((r) => rowError(r) !== null) : false;
  const byField = ['billStatus', 'billNumberPrefix', 'dueDays', 'memberContactPrefix', 'weekStart', 'inputTaxMap', 'nonTaxableInputTaxType'];
  const shownByField = error ? onARow || error.field === 'expenses.wisePayAccounts' || byField.some((k) => error.field === `expenses.${k}` || error.field.startsWith(`expenses.${k}.`)) : false;
  const choicesReady = choices && !('error' in choices) ? choices : null;

  const save = async () => {
    const out = expensePatchFromDraft(loaded.stored ?? expenseSettingsSchema.parse({}), draft);
    if (!out.ok) {
      setFormError(out.error);
      return;
    }
    setFormError(null);
    await saveSettings({ expenses: out.patch });
  };

  const check = (key: 'enhancedExpenses' | 'wisePay' | 'secondTierApproval' | 'autoPushApproved', label: string, hint: string) => (
    <label class="check">
      <input type="checkbox" data-testid={`ex-${key}`} checked={draft[key]} disabled={!editable} onChange={(e) => update({ [key]: (e.currentTarget as HTMLInputElement).checked })} />
      <span>
        {label}
        <span class="hint">{hint}</span>
      </span>
    </label>
  );
  const contactExample = `${draft.memberContactPrefix.trim()}${choicesReady?.members[0]?.identifier ?? 'jsmith'}`;

  return (
    <section class="card expense-settings" data-testid="expenses-card">
      <div class="card-head">
        <h2 class="card-title" data-section="expenses">{SETTINGS_CARD.expenses}</h2>
        <span class="card-sub">How an approved expense report becomes a Xero bill.</span>
      </div>
      {!supported ? (
        <MessageBox kind="info" title="Not available yet">
          This server does not store expense settings yet; the defaults shown are used.
        </MessageBox>
      ) : null}
      <div class="form-grid">
        <div class="field">
          <label for="ex-status">Bills are created as</label>
          <select id="ex-status" data-testid="ex-billStatus" value={draft.billStatus} disabled={!editable} onChange={(e) => update({ billStatus: (e.currentTarget as HTMLSelectElement).value as ExpenseSettingsDraft['billStatus'] })}>
            <option value="AUTHORISED">Awaiting payment (approved)</option>
            <option value="DRAFT">Draft (review in Xero first)</option>
          </select>
          {draft.billStatus === 'DRAFT' && draft.wisePay ? <span class="hint">Wise-Pay payments wait until the bill is approved in Xero.</span> : null}
          {fieldError('expenses.billStatus')}
        </div>
        <div class="field">
          <label for="ex-due">Due (days after the bill date)</label>
          <input id="ex-due" data-testid="ex-dueDays" inputMode="numeric" value={draft.dueDays} disabled={!editable} onInput={(e) => update({ dueDays: (e.currentTarget as HTMLInputElement).value })} />
          {fieldError('expenses.dueDays')}
        </div>
        <div class="field">
          <label for="ex-prefix">Bill number prefix</label>
          <input id="ex-prefix" data-testid="ex-billNumberPrefix" value={draft.billNumberPrefix} placeholder="none" disabled={!editable} onInput={(e) => update({ billNumberPrefix: (e.currentTarget as HTMLInputElement).value })} />
          {fieldError('expenses.billNumberPrefix')}
        </div>
        <div class="field">
          <label for="ex-contact">Member’s supplier number prefix</label>
          <input id="ex-contact" data-testid="ex-memberContactPrefix" value={draft.memberContactPrefix} placeholder="none" disabled={!editable} onInput={(e) => update({ memberContactPrefix: (e.currentTarget as HTMLInputElement).value })} />
          <span class="hint">The member is the bill’s supplier in Xero, numbered {contactExample}.</span>
          {fieldError('expenses.memberContactPrefix')}
        </div>
      </div>
      <div class="checks">
        {check('enhancedExpenses', 'One bill per member per week (Enhanced Expenses)', 'Instead of one bill per expense report. A later report joins its week’s bill while that bill is still a draft in Xero.')}
      </div>
      {draft.enhancedExpenses ? (
        <div class="form-grid">
          <div class="field">
            <label for="ex-week">Week starts on</label>
            <select id="ex-week" data-testid="ex-weekStart" value={draft.weekStart} disabled={!editable} onChange={(e) => update({ weekStart: (e.currentTarget as HTMLSelectElement).value as ExpenseSettingsDraft['weekStart'] })}>
              {WEEKDAYS.map((d) => (
                <option key={d} value={d}>
                  {d}
                </option>
              ))}
            </select>
            {fieldError('expenses.weekStart')}
          </div>
        </div>
      ) : null}
      <div class="checks">
        {check('secondTierApproval', 'ConnectWise has a second approval tier', 'A report goes to Xero once approved at tier two; without a second tier, once approved at tier one.')}
        {check('autoPushApproved', 'Push approved reports automatically', 'Approved reports are sent to Xero on the schedule, without anyone opening them.')}
      </div>

      <h3 class="sub-title" data-section="expenses-wise-pay">{EXPENSE_SECTION.wisePay}</h3>
      <div class="checks">
        {check('wisePay', 'Pay company-card expenses automatically (Wise-Pay)', 'A company-paid expense is paid in Xero from the account linked below to its member and payment type, so the card statement reconciles.')}
      </div>
      {draft.wisePay || draft.wisePayRows.length > 0 ? (
        <>
          {choices && 'error' in choices ? (
            <MessageBox kind="warning" title="Could not read the choices">
              {choices.error}
            </MessageBox>
          ) : null}
          {choicesReady?.organisations
            .filter((o) => o.error !== null)
            .map((o) => (
              <MessageBox key={o.xeroTenantId} kind="warning" title={`Could not read ${o.name}’s accounts`}>
                {o.error}
              </MessageBox>
            ))}
          {choicesReady && choicesReady.organisations.length === 0 ? <p class="muted small">Connect a Xero organisation to choose the accounts payments come from.</p> : null}
          {!choices ? <Loading text="Loading members and accounts…" /> : null}
          <WisePayTable rows={draft.wisePayRows} choices={choicesReady} disabled={!editable} rowError={rowError} onChange={(wisePayRows) => update({ wisePayRows })} />
          {error?.field === 'expenses.wisePayAccounts' ? (
            <span class="field-error" data-testid="error-wisePayAccounts">
              {text(error)}
            </span>
          ) : null}
        </>
      ) : null}

      <h3 class="sub-title" data-section="expenses-tax">{EXPENSE_SECTION.taxTypes}</h3>
      <p class="muted small">A ConnectWise expense tax type not listed uses the Xero purchase tax rate with the same percentage.</p>
      <CodeTable
        id="ex-tax-map"
        rows={draft.taxRows}
        fromLabel="ConnectWise tax type"
        toLabel="Xero tax type"
        disabled={!editable}
        emptyText="None: matched by percentage."
        onChange={(taxRows) => update({ taxRows })}
      />
      {fieldError('expenses.inputTaxMap')}
      <div class="field">
        <label for="ex-untaxed">Xero tax type for lines without tax</label>
        <input
          id="ex-untaxed"
          data-testid="ex-nonTaxableInputTaxType"
          value={draft.nonTaxableInputTaxType}
          placeholder="the organisation’s 0% purchase rate"
          disabled={!editable}
          onInput={(e) => update({ nonTaxableInputTaxType: (e.currentTarget as HTMLInputElement).value })}
        />
        {fieldError('expenses.nonTaxableInputTaxType')}
      </div>

      {loaded.isAdmin && supported ? (
        <div class="actions">
          <button class="primary" data-testid="save-expenses" disabled={busy} onClick={() => void save()}>
            Save expense settings
          </button>
          {saved && !error ? (
            <span class="muted" data-testid="expenses-saved">
              Saved. The next expense report uses these settings.
            </span>
          ) : null}
        </div>
      ) : null}
      {error && !shownByField ? (
        <div data-testid="expenses-error">
          <MessageBox title="Not saved">{text(error)}</MessageBox>
        </div>
      ) : null}
    </section>
  );
}
