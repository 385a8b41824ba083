// The month-end tie-out in the full list (issue 12): for the selection, the
// totals by organisation and currency, by account and by tax rate, as
// ConnectWise's export states them and as Xero will receive them — the two
// columns equal to the cent, or each difference named — before the run.
import { useEffect, useState } from 'preact/hooks';
import type { BatchTieOutRequest, BatchTieOutResponse } from '../../shared/api.js';
import { Money, MessageBox } from '../lib/ui.js';
import type { BatchClient } from './batch-client.js';

type Rows = BatchTieOutResponse['byOrganisation'];

function TieTable({ title, what, rows, testId }: { title: string; what: string; rows: Rows; testId: string }) {
  if (!rows.length) return null;
  return (
    <table class="records tie-table" data-testid={testId}>
      <caption>{title}</caption>
      <thead>
        <tr>
          <th>Organisation</th>
          <th>{what}</th>
          <th class="num">ConnectWise states</th>
          <th class="num">Xero will receive</th>
          <th class="num">Difference</th>
        </tr>
      </thead>
      <tbody>
        {rows.map((r) => (
          <tr key={`${r.organisation}|${r.currency}|${r.label}`} data-ties={String(Number(r.difference) === 0)}>
            <td>
              {r.organisation} <span class="muted">{r.currency}</span>
            </td>
            <td>{r.label}</td>
            <td class="num"><Money amount={r.connectwise} currency={r.currency} /></td>
            <td class="num"><Money amount={r.xero} currency={r.currency} /></td>
            <td class={`num${Number(r.difference) === 0 ? ' muted' : ' warn'}`}>{Number(r.difference) === 0 ? 'ties' : <Money amount={r.difference} currency={r.currency} />}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

export function TieOutSection({ client, selection, count }: { client: BatchClient; selection: BatchTieOutRequest | null; count: number }) {
  const [result, setResult] = useState<BatchTieOutResponse | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const key = JSON.stringify(selection);
  // A different selection makes the last tie-out stale.
  useEffect(() => {
    setResult(null);
    setError(null);
  }, [key]);

  const run = async () => {
    if (!selection) return;
    setBusy(true);
    setError(null);
    try {
      setResult(await client.tieOut(selection));
    } catch (err) {
      setError(err instanceof Error ? err.message : String(err));
    } finally {
      setBusy(false);
    }
  };

  return (
    <section class="card tie-out" aria-label="Month-end tie-out" data-testid="tie-out">
      <div class="card-head">
        <h2 class="card-title">Month-end tie-out</h2>
        <button type="button" data-testid="tie-out-run" disabled={!selection || count === 0 || busy} onClick={() => void run()}>
          {busy ? 'Adding up…' : `Tie out ${count} selected`}
        </button>
      </div>
      {!result && !error ? <p class="muted">Before syncing, compare the selection's totals — by organisation and currency, by account and by tax rate — as ConnectWise's export states them and as Xero will receive them.</p> : null}
      {error ? <MessageBox title="Could not tie out the selection">{error}</MessageBox> : null}
      {result ? (
        <div data-testid="tie-out-result" data-ties={String(result.ties)}>
          <MessageBox kind={result.ties ? 'info' : 'warning'} title={result.ties ? `${result.records} invoices tie to the cent.` : `${result.differences.length} ${result.differences.length === 1 ? 'difference' : 'differences'} in ${result.records} invoices.`}>
            {result.differences.length ? (
              <ul class="rc-list" data-testid="tie-out-differences">
                {result.differences.map((d) => (
                  <li key={d}>{d}</li>
                ))}
              </ul>
            ) : null}
            {result.leftOut.length ? (
              <p data-testid="tie-out-left-out">
                Left out, as a run leaves them: {result.leftOut.map((l) => `${l.number} (${l.reason})`).join('; ')}
              </p>
            ) : null}
          </MessageBox>
          <TieTable title="By organisation and currency" what="" rows={result.byOrganisation} testId="tie-by-org" />
          <TieTable title="By account (ConnectWise → Xero)" what="Account" rows={result.byAccount} testId="tie-by-account" />
          <TieTable title="By tax rate (tax amounts)" what="Tax rate" rows={result.byTaxRate} testId="tie-by-tax" />
        </div>
      ) : null}
    </section>
  );
}
