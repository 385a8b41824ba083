// The first-run page's last steps (issue 13), in the settings window the page
// opens (view=window&setup=1, signed in with the page's setup session): Connect
// to Xero through the settings' own card and popup, then the mappings proposed
// from both sides (GET /api/setup/proposal: locations → organisations, accounts,
// tax), which the admin reviews and saves through the ordinary routes
// (PUT /api/xero/location-map, PUT /api/settings {invoiceMapping}).
import { useCallback, useEffect, useState } from 'preact/hooks';
import type { CwLocationsResponse, LocationMapRequest, SettingsResponse, XeroStatusResponse } from '../../shared/api.js';
import { mapEntries, type MappingProposal } from '../../shared/mapping-proposal.js';
import type { PodContext } from '../lib/boot.js';
import { Loading, MessageBox } from '../lib/ui.js';
import { ConnectionsCard } from './ConnectionsCard.js';

type Loaded = { status: XeroStatusResponse; locations: CwLocationsResponse | { error: string } };
type Stored = { accountMap?: Record<string, string>; taxMap?: Record<string, string> };

export function SetupScreen({ ctx }: { ctx: PodContext }) {
  const [data, setData] = useState<Loaded | null>(null);
  const [error, setError] = useState<string | null>(null);
  const reload = useCallback(async () => {
    try {
      const [status, locations] = await Promise.all([
        ctx.api<XeroStatusResponse>('/api/xero/status', { method: 'GET' }),
        ctx.api<CwLocationsResponse>('/api/cw/locations', { method: 'GET' }).catch((e: unknown) => ({ error: e instanceof Error ? e.message : String(e) })),
      ]);
      setData({ status, locations });
      setError(null);
    } catch (e) {
      setError(e instanceof Error ? e.message : String(e));
    }
  }, [ctx]);
  useEffect(() => void reload(), [reload]);

  if (error) return <MessageBox title="Could not load the setup">{error}</MessageBox>;
  if (!data) return <Loading text="Loading…" />;
  return (
    <>
      <ol class="setup-steps" data-testid="setup-steps">
        <li>Connect to Xero</li>
        <li>Check the mappings proposed from both sides and save them</li>
      </ol>
      <ConnectionsCard ctx={ctx} status={data.status} locations={data.locations} isAdmin={true} onChanged={reload} />
      {data.status.orgs.length > 0 ? <ProposalCard ctx={ctx} status={data.status} key={data.status.orgs.map((o) => o.xeroTenantId).join()} /> : <p class="muted">Connect to Xero first: the mappings are proposed from both sides.</p>}
    </>
  );
}

function ProposalCard({ ctx, status }: { ctx: PodContext; status: XeroStatusResponse }) {
  const [proposal, setProposal] = useState<MappingProposal | { error: string } | null>(null);
  const [locations, setLocations] = useState<Record<number, string>>({});
  const [accounts, setAccounts] = useState<Record<string, string>>({});
  const [taxes, setTaxes] = useState<Record<string, string>>({});
  const [note, setNote] = useState<{ kind: 'info' | 'error'; text: string } | null>(null);
  const [busy, setBusy] = useState(false);

  useEffect(() => {
    ctx.api<MappingProposal>('/api/setup/proposal', { method: 'GET' }).then(
      (p) => {
        setProposal(p);
        // What is saved already wins over the proposal (a second visit).
        const saved = new Map(status.locationMap.map((m) => [m.cwLocationId, m.xeroTenantId]));
        setLocations(Object.fromEntries(p.locations.map((l) => [l.cwLocationId, saved.get(l.cwLocationId) ?? l.xeroTenantId ?? ''])));
        setAccounts(Object.fromEntries(p.accounts.map((a) => [a.cwAccount, a.xeroCode ?? ''])));
        setTaxes(Object.fromEntries(p.taxes.map((t) => [t.cwTaxCode, t.xeroTaxType ?? ''])));
      },
      (e: unknown) => setProposal({ error: e instanceof Error ? e.message : String(e) }),
    );
  }, [ctx, status]);

  if (proposal === null) return <Loading text="Reading ConnectWise and Xero to propose the mappings…" />;
  if ('error' in proposal) return <MessageBox title="Could not propose the mappings">{proposal.error}</MessageBox>;

  const save = async () => {
    setBusy(true);
    setNote(null);
    try {
      const body: LocationMapRequest = { mappings: Object.entries(locations).filter(([, org]) => org).map(([loc, org]) => ({ cwLocationId: Number(loc), xeroTenantId: org })) };
      await ctx.api('/api/xero/location-map', { method: 'PUT', body: JSON.stringify(body) });
      const accountMap = mapEntries(Object.entries(accounts).map(([from, to]) => ({ from, to: to.trim() || null })));
      const taxMap = mapEntries(Object.entries(taxes).map(([from, to]) => ({ from, to: to.trim() || null })));
      if (Object.keys(accountMap).length || Object.keys(taxMap).length) {
        const current = await ctx.api<SettingsResponse>('/api/settings', { method: 'GET' });
        const stored = ((current.settings as { invoiceMapping?: Stored }).invoiceMapping ?? {}) as Stored;
        await ctx.api('/api/settings', { method: 'PUT', body: JSON.stringify({ invoiceMapping: { accountMap: { ...stored.accountMap, ...accountMap }, taxMap: { ...stored.taxMap, ...taxMap } } }) });
      }
      setNote({ kind: 'info', text: 'Saved. Setup is done: open an invoice in ConnectWise and press "Sync to Xero". Everything can be changed later in the settings pod.' });
    } catch (e) {
      setNote({ kind: 'error', text: e instanceof Error ? e.message : String(e) });
    } finally {
      setBusy(false);
    }
  };

  const orgOptions = status.orgs;
  return (
    <section class="card" data-testid="setup-proposal">
      <div class="card-head">
        <h2 class="card-title">Proposed mappings</h2>
        <span class="card-sub">Proposed from both sides; change any before saving.</span>
      </div>
      <h3>Billing locations → Xero organisations</h3>
      <table class="code-map">
        <tbody>
          {proposal.locations.map((l) => (
            <tr key={l.cwLocationId} data-testid={`proposal-location-${l.cwLocationId}`}>
              <td>{l.name}</td>
              <td>
                <select aria-label={`Xero organisation for ${l.name}`} disabled={busy} value={locations[l.cwLocationId] ?? ''} onChange={(e) => setLocations({ ...locations, [l.cwLocationId]: (e.currentTarget as HTMLSelectElement).value })}>
                  <option value="">— not mapped —</option>
                  {orgOptions.map((o) => (
                    <option key={o.xeroTenantId} value={o.xeroTenantId}>
                      {o.name}
                    </option>
                  ))}
                </select>
              </td>
              <td class="muted">{l.reason}</td>
            </tr>
          ))}
        </tbody>
      </table>
      <CodeRows title="GL accounts → Xero account codes" rows={proposal.accounts.map((a) => ({ from: a.cwAccount, reason: a.reason }))} values={accounts} onChange={setAccounts} busy={busy} id="account" />
      <CodeRows title="Tax codes → Xero tax types" rows={proposal.taxes.map((t) => ({ from: t.cwTaxCode, reason: t.reason }))} values={taxes} onChange={setTaxes} busy={busy} id="tax" />
      {proposal.unread.length ? (
        <MessageBox kind="warning" title="Not read, so not proposed">
          {proposal.unread.join(' ')}
        </MessageBox>
      ) : null}
      <div class="actions">
        <button class="primary" data-testid="accept-proposal" disabled={busy} onClick={() => void save()}>
          Save these mappings
        </button>
      </div>
      {note ? (
        <div data-testid="proposal-message">
          <MessageBox kind={note.kind} title={note.kind === 'info' ? 'Mappings saved' : 'Mappings not saved'}>
            {note.text}
          </MessageBox>
        </div>
      ) : null}
    </section>
  );
}

function CodeRows(p: { title: string; id: string; rows: { from: string; reason: string }[]; values: Record<string, string>; onChange: (v: Record<string, string>) => void; busy: boolean }) {
  if (p.rows.length === 0) return null;
  return (
    <>
      <h3>{p.title}</h3>
      <table class="code-map">
        <tbody>
          {p.rows.map((r) => (
            <tr key={r.from} data-testid={`proposal-${p.id}-${r.from}`}>
              <td>{r.from}</td>
              <td>
                <input aria-label={`${p.title}: ${r.from}`} disabled={p.busy} value={p.values[r.from] ?? ''} placeholder="as it is" onInput={(e) => p.onChange({ ...p.values, [r.from]: (e.currentTarget as HTMLInputElement).value })} />
              </td>
              <td class="muted">{r.reason}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </>
  );
}
