// "Tracking" (issue 13), admins only: per Xero organisation, up to two rules —
// a ConnectWise structure (billing location, department, GL class, product
// sub-category) → one of the organisation's tracking categories — and for each
// ConnectWise value the category's option it carries. ConnectWise's values are
// offered by name (billing locations all listed; departments, GL classes and
// product sub-categories picked from ConnectWise's lists, read live); when a
// list cannot be read the card says why and the value is typed. An option Xero
// lacks is created there (POST /api/settings/tracking-options) and then chosen. Saved as
// invoiceMapping.trackingByOrganisation; the rule is server/domain/tracking-mapping.ts.
import { useCallback, useEffect, useState } from 'preact/hooks';
import { TRACKING_SOURCE_LABEL, type InvoiceMappingSettings, type TrackingRule } from '../../shared/invoice-settings.js';
import type { TrackingChoicesResponse } from '../../shared/tracking-choices.js';
import { SETTINGS_CARD } from '../../shared/settings-sections.js';
import type { PodContext } from '../lib/boot.js';
import { MessageBox } from '../lib/ui.js';
import { useSettingsSave } from './use-settings-save.js';

type Org = TrackingChoicesResponse['organisations'][number];
type Source = TrackingRule['source'];
type Draft = Record<string, TrackingRule[]>;
const SOURCES = Object.keys(TRACKING_SOURCE_LABEL) as Source[];
const MAX_RULES = 2; // Xero's limit of active categories on a line (shared/invoice-settings.ts refuses more)

const errText = (e: unknown) => (e instanceof Error ? e.message : String(e));

export function TrackingCard({ ctx }: { ctx: PodContext }) {
  const [choices, setChoices] = useState<TrackingChoicesResponse | null>(null);
  const [draft, setDraft] = useState<Draft>({});
  const [loadError, setLoadError] = useState<string | null>(null);
  const load = useCallback(async () => {
    try {
      const [s, c] = await Promise.all([ctx.api<{ settings: { invoiceMapping?: Pick<InvoiceMappingSettings, 'tracking' | 'trackingByOrganisation'> } }>('/api/settings', { method: 'GET' }), ctx.api<TrackingChoicesResponse>('/api/settings/tracking-choices', { method: 'GET' })]);
      const m = s.settings.invoiceMapping ?? { tracking: [], trackingByOrganisation: {} };
      setDraft(Object.fromEntries(c.organisations.map((o) => [o.xeroTenantId, (m.trackingByOrganisation[o.xeroTenantId] ?? m.tracking).map((r) => ({ ...r, options: { ...r.options } }))])));
      setChoices(c);
      setLoadError(null);
    } catch (e) {
      setLoadError(errText(e));
    }
  }, [ctx]);
  useEffect(() => void load(), [load]);
  const { error, saved, busy, save } = useSettingsSave(ctx, load);

  const setRules = (org: string, rules: TrackingRule[]) => setDraft((d) => ({ ...d, [org]: rules }));
  const addOption = (org: string, categoryId: string, name: string) =>
    setChoices((c) => c && { ...c, organisations: c.organisations.map((o) => (o.xeroTenantId !== org ? o : { ...o, categories: o.categories.map((k) => (k.id === categoryId ? { ...k, options: [...k.options, { name, status: 'ACTIVE' }] } : k)) })) });

  return (
    <section class="card" data-testid="tracking-card">
      <div class="card-head">
        <h2 class="card-title" data-section="tracking">{SETTINGS_CARD.tracking}</h2>
      </div>
      <p class="muted">Each line pushed to a Xero organisation carries, for each rule, the option its ConnectWise value maps to (at most two categories). A value with no option blocks the document, naming it here.</p>
      {loadError ? <MessageBox title="Could not load the tracking choices">{loadError}</MessageBox> : null}
      {choices ? (
        <>
          {choices.organisations.length === 0 ? <p class="muted">No Xero organisation is connected yet.</p> : null}
          {choices.organisations.map((org) => (
            <OrgRules key={org.xeroTenantId} ctx={ctx} org={org} locations={choices.locations} sources={choices.sources} rules={draft[org.xeroTenantId] ?? []} busy={busy} onChange={(r) => setRules(org.xeroTenantId, r)} onCreated={addOption} />
          ))}
          <div class="actions">
            <button class="primary" data-testid="save-tracking" disabled={busy || choices.organisations.length === 0} onClick={() => void save({ invoiceMapping: { trackingByOrganisation: draft } })}>
              Save
            </button>
            {saved ? <span class="muted">Saved.</span> : null}
          </div>
          {error ? (
            <MessageBox title="Not saved">
              <span data-testid="tracking-error">{error.text}</span>
            </MessageBox>
          ) : null}
        </>
      ) : null}
    </section>
  );
}

interface OrgProps {
  ctx: PodContext;
  org: Org;
  locations: TrackingChoicesResponse['locations'];
  sources: TrackingChoicesResponse['sources'];
  rules: TrackingRule[];
  busy: boolean;
  onChange: (rules: TrackingRule[]) => void;
  onCreated: (org: string, categoryId: string, name: string) => void;
}

function OrgRules({ ctx, org, locations, sources, rules, busy, onChange, onCreated }: OrgProps) {
  const active = org.categories.filter((c) => c.status === 'ACTIVE');
  const put = (i: number, rule: TrackingRule) => onChange(rules.map((r, j) => (j === i ? rule : r)));
  const unused = active.find((c) => !rules.some((r) => r.categoryName.toLowerCase() === c.name.toLowerCase()));
  return (
    <div class="field" data-testid={`tracking-org-${org.xeroTenantId}`}>
      <h3>{org.name}</h3>
      {org.error ? (
        <MessageBox kind="warning" title="Tracking categories not read">
          {org.error}
        </MessageBox>
      ) : null}
      {rules.length === 0 ? <p class="muted">No tracking on this organisation's documents.</p> : null}
      {rules.map((rule, i) => (
        <RuleEditor key={i} ctx={ctx} org={org} active={active} locations={locations} sources={sources} rule={rule} busy={busy} onChange={(r) => put(i, r)} onRemove={() => onChange(rules.filter((_, j) => j !== i))} onCreated={onCreated} />
      ))}
      {rules.length < MAX_RULES && unused ? (
        <button data-testid="tracking-add-rule" disabled={busy} onClick={() => onChange([...rules, { source: 'location', categoryName: unused.name, options: {} }])}>
          Add a rule
        </button>
      ) : null}
    </div>
  );
}

interface RuleProps {
  ctx: PodContext;
  org: Org;
  active: Org['categories'];
  locations: TrackingChoicesResponse['locations'];
  sources: TrackingChoicesResponse['sources'];
  rule: TrackingRule;
  busy: boolean;
  onChange: (rule: TrackingRule) => void;
  onRemove: () => void;
  onCreated: (org: string, categoryId: string, name: string) => void;
}

function RuleEditor({ ctx, org, active, locations, sources, rule, busy, onChange, onRemove, onCreated }: RuleProps) {
  const [newValue, setNewValue] = useState('');
  const [picked, setPicked] = useState('');
  const [extra, setExtra] = useState<string[]>([]);
  const category = org.categories.find((c) => c.name.toLowerCase() === rule.categoryName.toLowerCase());
  const categories = category && category.status === 'ACTIVE' ? active : [...active, { id: '', name: rule.categoryName, status: 'MISSING', options: [] }];
  // The values to map: ConnectWise's billing locations, else the values already mapped plus any added,
  // named as ConnectWise's list names them (a value the list lacks is shown as it is, and still blocks until mapped).
  const list = rule.source === 'location' ? null : sources[rule.source];
  const listed = new Map<string, string>(list ? list.values.map((v) => [v.value, v.name]) : []);
  const names = new Map<string, string>(rule.source === 'location' ? locations.map((l) => [String(l.id), `${l.name} (${l.id})`]) : []);
  if (rule.source !== 'location') for (const v of [...Object.keys(rule.options), ...extra]) if (!names.has(v)) names.set(v, listed.get(v) ?? (list && !list.error && list.values.length ? `${v} (not in ConnectWise's list)` : v));
  const pickable = list ? list.values.filter((v) => !names.has(v.value)) : [];
  const typing = list !== null && (list.error !== null || list.values.length === 0);
  const setOption = (value: string, option: string) => {
    const options = { ...rule.options };
    if (option) options[value] = option;
    else delete options[value];
    onChange({ ...rule, options });
  };
  return (
    <div class="tracking-rule" data-testid="tracking-rule" data-category={rule.categoryName}>
      <label>
        ConnectWise{' '}
        <select data-testid="tracking-source" value={rule.source} disabled={busy} onChange={(e) => (setExtra([]), setPicked(''), onChange({ ...rule, source: (e.currentTarget as HTMLSelectElement).value as Source, options: {} }))}>
          {SOURCES.map((s) => (
            <option key={s} value={s}>
              {TRACKING_SOURCE_LABEL[s]}
            </option>
          ))}
        </select>
      </label>{' '}
      <label>
        → Xero category{' '}
        <select data-testid="tracking-category" value={category?.name ?? rule.categoryName} disabled={busy} onChange={(e) => onChange({ ...rule, categoryName: (e.currentTarget as HTMLSelectElement).value, options: {} })}>
          {categories.map((c) => (
            <option key={c.name} value={c.name}>
              {c.status === 'MISSING' ? `${c.name} (not in Xero)` : c.name}
            </option>
          ))}
        </select>
      </label>{' '}
      <button disabled={busy} onClick={onRemove}>
        Remove rule
      </button>
      <table class="code-table">
        <tbody>
          {[...names].map(([value, label]) => (
            <ValueRow key={value} ctx={ctx} org={org} category={category} value={value} label={label} option={rule.options[value] ?? ''} busy={busy} onPick={(o) => setOption(value, o)} onCreated={onCreated} />
          ))}
        </tbody>
      </table>
      {list && !typing ? (
        <div>
          <select data-testid="tracking-pick-value" value={picked} disabled={busy || pickable.length === 0} onChange={(e) => setPicked((e.currentTarget as HTMLSelectElement).value)}>
            <option value="">{pickable.length ? `— a ConnectWise ${TRACKING_SOURCE_LABEL[rule.source]} —` : `— every ConnectWise ${TRACKING_SOURCE_LABEL[rule.source]} is listed —`}</option>
            {pickable.map((v) => (
              <option key={v.value} value={v.value}>
                {v.name}
              </option>
            ))}
          </select>{' '}
          <button data-testid="tracking-add-picked" disabled={busy || !picked || names.has(picked)} onClick={() => (setExtra([...extra, picked]), setPicked(''))}>
            Add value
          </button>
        </div>
      ) : null}
      {list ? (
        <div>
          {!typing ? null : list.error ? (
            <MessageBox kind="warning" title={`ConnectWise's ${TRACKING_SOURCE_LABEL[rule.source]} list not read`}>
              <span data-testid="tracking-source-error">{list.error}</span>
            </MessageBox>
          ) : (
            <p class="muted" data-testid="tracking-source-empty">
              ConnectWise lists no {TRACKING_SOURCE_LABEL[rule.source]}; type the value its records carry.
            </p>
          )}
          {/* A value a record carries that the list lacks (it blocks until mapped) can still be typed. */}
          <input data-testid="tracking-new-value" placeholder={`${typing ? 'ConnectWise' : 'Or type a'} ${TRACKING_SOURCE_LABEL[rule.source]}${rule.source === 'glClass' ? '' : ' id'}${typing ? '' : ' not listed'}`} value={newValue} maxLength={100} onInput={(e) => setNewValue((e.currentTarget as HTMLInputElement).value)} />{' '}
          <button data-testid="tracking-add-typed" disabled={busy || !newValue.trim() || names.has(newValue.trim())} onClick={() => (setExtra([...extra, newValue.trim()]), setNewValue(''))}>
            Add value
          </button>
        </div>
      ) : null}
    </div>
  );
}

interface ValueProps {
  ctx: PodContext;
  org: Org;
  category: Org['categories'][number] | undefined;
  value: string;
  label: string;
  option: string;
  busy: boolean;
  onPick: (option: string) => void;
  onCreated: (org: string, categoryId: string, name: string) => void;
}

function ValueRow({ ctx, org, category, value, label, option, busy, onPick, onCreated }: ValueProps) {
  const [name, setName] = useState('');
  const [working, setWorking] = useState(false);
  const [refused, setRefused] = useState<string | null>(null);
  const options = (category?.options ?? []).filter((o) => o.status === 'ACTIVE').map((o) => o.name);
  if (option && !options.includes(option)) options.push(option);
  const create = async () => {
    if (!category) return;
    setWorking(true);
    try {
      const r = await ctx.api<{ option: { name: string } }>('/api/settings/tracking-options', { method: 'POST', body: JSON.stringify({ xeroTenantId: org.xeroTenantId, categoryId: category.id, name: name.trim() }) });
      onCreated(org.xeroTenantId, category.id, r.option.name);
      onPick(r.option.name);
      setName('');
      setRefused(null);
    } catch (e) {
      setRefused(errText(e));
    } finally {
      setWorking(false);
    }
  };
  return (
    <tr data-testid="tracking-value" data-value={value}>
      <td>{label}</td>
      <td>
        <select data-testid="tracking-option" value={option} disabled={busy} onChange={(e) => onPick((e.currentTarget as HTMLSelectElement).value)}>
          <option value="">— none (blocks) —</option>
          {options.map((o) => (
            <option key={o} value={o}>
              {category?.options.some((x) => x.name === o && x.status === 'ACTIVE') ? o : `${o} (not in Xero)`}
            </option>
          ))}
        </select>
      </td>
      <td>
        {category && category.status === 'ACTIVE' ? (
          <>
            <input data-testid="tracking-new-option" placeholder="New option" value={name} maxLength={100} onInput={(e) => setName((e.currentTarget as HTMLInputElement).value)} />{' '}
            <button data-testid="tracking-create-option" disabled={busy || working || !name.trim()} onClick={() => void create()}>
              Create in Xero
            </button>
          </>
        ) : null}
        {refused ? (
          <span class="field-error" data-testid="tracking-option-error">
            {refused}
          </span>
        ) : null}
      </td>
    </tr>
  );
}
