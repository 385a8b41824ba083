// The month-end tie-out in the full list (issue 12): for the selection, the
// totals by organisation and currency, by account and by tax rate, as
// ConnectWise's export states them and as Xero will receive them — the two
// columns equal to the cent, or each difference named — before the run; and
// after it (RunTieOut), the same totals as Xero holds them, read back.
import { useEffect, useRef, useState } from 'preact/hooks';
import type { BatchRunTieOutResponse, BatchRunView, BatchTieOutRequest, BatchTieOutResponse } from '../../shared/api.js';
import { Money, MessageBox } from '../lib/ui.js';
import type { BatchClient } from './batch-client.js';

type Rows = BatchTieOutResponse['byOrganisation'];

function TieTable({ title, what, rows, testId, xero = 'Xero will receive' }: { title: string; what: string; rows: Rows; testId: string; xero?: string }) {
  if (!rows.length) return null;
  return (
    <table class="records tie-table" data-testid={testId}>
      <caption>{title}</caption>
      <thead>
        <tr>
          <th>Organisation</th>
          <th>{what}</th>
          <th class="num">ConnectWise states</th>
          <th class="num">{xero}</th>
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

/** Runs read back in at most this many records (the server's cap: 100 Xero reads of 50). */
const READ_BACK_MAX = 5000;

/** After a run of invoices: what it made, read back from Xero, tied to ConnectWise's batches (read when the run finishes). */
export function RunTieOut({ client, run }: { client: BatchClient; run: BatchRunView }) {
  const [result, setResult] = useState<BatchRunTieOutResponse | null>(null);
  const [error, setError] = useState<string | null>(null);
  const synced = run.counts.done;
  const finished = run.status === 'done' || run.status === 'cancelled';
  // Read by itself when a run watched here finishes; a run already finished when the pod opened waits for the button.
  const watched = useRef<string | null>(null);
  if (!finished) watched.current = run.id;
  const [asked, setAsked] = useState<string | null>(null);
  const wanted = watched.current === run.id || asked === run.id;
  useEffect(() => {
    setResult(null);
    setError(null);
    if (!wanted || !finished || synced === 0 || synced > READ_BACK_MAX) return;
    let live = true;
    client
      .runTieOut(run.id)
      .then((r) => live && setResult(r))
      .catch((err: unknown) => live && setError(err instanceof Error ? err.message : String(err)));
    return () => {
      live = false;
    };
  }, [client, run.id, finished, synced, wanted]);
  if (!finished || synced === 0) return null;
  const reads = Math.ceil(synced / 50);
  return (
    <section class="card tie-out" aria-label="Tie-out with Xero" data-testid="run-tie-out">
      <h2 class="card-title">Tie-out with Xero</h2>
      {synced > READ_BACK_MAX ? <p class="muted">This run synced {synced} records; the tie-out with Xero reads back at most {READ_BACK_MAX}.</p> : null}
      {!wanted && synced <= READ_BACK_MAX ? (
        <p class="muted">
          Compare what this run made, read back from Xero, with ConnectWise's batches.{' '}
          <button type="button" data-testid="run-tie-out-start" onClick={() => setAsked(run.id)}>
            Tie out with Xero
          </button>
        </p>
      ) : null}
      {wanted && !result && !error && synced <= READ_BACK_MAX ? (
        <p class="muted" role="status" data-testid="run-tie-out-reading">
          <span class="spinner" aria-hidden="true" /> Reading the {synced} synced {synced === 1 ? 'record' : 'records'} back from Xero (about {reads} {reads === 1 ? 'read' : 'reads'}, 50 a call) and ConnectWise's batches…
        </p>
      ) : null}
      {error ? <MessageBox title="Could not tie out with Xero">{error}</MessageBox> : null}
      {result ? (
        <div data-testid="run-tie-out-result" data-ties={String(result.ties)}>
          <MessageBox kind={result.ties ? 'info' : 'warning'} title={result.ties ? `Tie-out with Xero: ${result.records} ${result.records === 1 ? 'record ties' : 'records tie'} to the cent.` : `Tie-out with Xero: ${result.differences.length} ${result.differences.length === 1 ? 'difference' : 'differences'} in ${result.records} records.`}>
            {result.differences.length ? (
              <ul class="rc-list" data-testid="run-tie-out-differences">
                {result.differences.map((d) => (
                  <li key={d}>{d}</li>
                ))}
              </ul>
            ) : null}
            {result.leftOut.length ? <p>Not read back: {result.leftOut.map((l) => `${l.number} (${l.reason})`).join('; ')}</p> : null}
          </MessageBox>
          <TieTable title="By organisation and currency" what="" rows={result.byOrganisation} testId="run-tie-by-org" xero="Xero holds" />
          {result.ties ? null : (
            <>
              <TieTable title="By account (ConnectWise → Xero)" what="Account" rows={result.byAccount} testId="run-tie-by-account" xero="Xero holds" />
              <TieTable title="By tax rate (tax amounts)" what="Tax rate" rows={result.byTaxRate} testId="run-tie-by-tax" xero="Xero holds" />
            </>
          )}
        </div>
      ) : null}
    </section>
  );
}
