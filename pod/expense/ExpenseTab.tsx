// The "Xero" tab on ConnectWise's expense report screen: the report as
// ConnectWise has it and whether approval has released it to Xero, where it
// stands (chip, headline, organisation), what blocks it, one card per Xero
// bill it becomes, how each kind of expense posts, and the push. Approval is
// decided by the server (a Tab only receives onLoad); the tab reads the view
// again on every onLoad, so a report approved elsewhere shows released here.
import type { ExpenseReportView } from '../../shared/expense-api.js';
import type { PodContext } from '../lib/boot.js';
import { useScreenRecord } from '../lib/use-screen-record.js';
import { SyncHistory } from '../lib/SyncHistory.js';
import { Facts, MessageBox, StatusChip } from '../lib/ui.js';
import { SkeletonLines } from '../lib/skeleton.js';
import { useRecordSync } from '../invoice/use-invoice-sync.js';
import { chipStatus } from '../invoice/chip.js';
import { mergeProblems, ProblemList } from '../invoice/ProblemList.js';
import { PushBar } from '../invoice/PushBar.js';
import { Outcome } from '../invoice/lazy-outcome.js';
import { EXPENSE_CLIENT } from './expense-client.js';
import { BillCard } from './BillCard.js';
import { classificationWords, cwReportStatusWords, periodWords } from './words.js';
import '../invoice/invoice.css';
import './expense.css';
import { FixRecordsProvider } from '../lib/fix-link.js';

function ReportCard({ view }: { view: ExpenseReportView }) {
  const r = view.report;
  return (
    <section class="card report" aria-label="ConnectWise expense report">
      <div class="card-head">
        <h1 class="card-title">
          Expense report <span data-testid="report-id">#{r.id}</span>
        </h1>
        {view.autoPush ? (
          <span class="badge auto-push" data-testid="auto-push" title="The scheduled scan of unposted expenses pushes approved reports">
            Pushed automatically once approved
          </span>
        ) : null}
      </div>
      <Facts
        rows={[
          ['Member', <span data-testid="report-member">{r.member.name}</span>],
          [
            'Status in ConnectWise',
            <span data-testid="report-status" data-status={r.status}>
              {cwReportStatusWords(r.status)}
            </span>,
          ],
          ['Period', periodWords(r.dateStart, r.dateEnd)],
          ['Entries', String(r.entryCount)],
        ]}
      />
      <p class={view.release.released ? 'release release-ok' : 'release release-held'} data-testid="release" data-released={String(view.release.released)}>
        {view.release.released ? view.release.message || 'Approved in ConnectWise: released to Xero.' : view.release.message || 'Held: it goes to Xero once the report is approved.'}
      </p>
    </section>
  );
}

function Head({ view }: { view: ExpenseReportView }) {
  return (
    <div class="sync-head">
      <StatusChip status={chipStatus(view.chip)} />
      <span class="headline" data-testid="sync-headline">
        {view.headline}
      </span>
      {/* No organisation: the problems below say why (location not mapped, connection lost…). */}
      {view.organisation ? (
        <span class="org" data-testid="sync-organisation" title="The Xero organisation the member's location books into">
          → {view.organisation.name}
        </span>
      ) : null}
    </div>
  );
}

function HowItPosts({ view }: { view: ExpenseReportView }) {
  if (view.howItPosts.length === 0) return null;
  return (
    <section class="card how-it-posts" data-testid="how-it-posts" aria-label="How each kind of expense posts">
      <h2 class="card-title">How each kind of expense posts</h2>
      <dl>
        {view.howItPosts.map((h) => (
          <div class="posting" key={h.classification} data-testid="posting" data-classification={h.classification}>
            <dt>
              <span class={`class-tag class-${h.classification}`}>{classificationWords(h.classification)}</span>
            </dt>
            <dd>{h.words}</dd>
          </div>
        ))}
      </dl>
    </section>
  );
}

/** Why there is no button, when it is not the view's chip that says so. */
function idleWords(view: ExpenseReportView): string | null {
  if (!view.mayPush) return view.whoCanPush || 'You can see this report’s bills but not push them.';
  if (!view.canPush && !view.release.released) {
    return view.autoPush ? 'Pushed to Xero automatically once the report is approved in ConnectWise.' : 'The push is offered once the report is approved in ConnectWise.';
  }
  return null;
}

export function ExpenseTab({ ctx }: { ctx: PodContext }) {
  const rec = useScreenRecord(ctx.bridge);
  // As in the invoice dialog: the first onLoad is the load already under way from our URL's id.
  const reloads = Math.max(0, rec.loads - 1);
  const sync = useRecordSync(ctx, rec.id, reloads, EXPENSE_CLIENT);
  const { view, loadError, banner, outcome, pushing, loading } = sync;

  if (rec.id === undefined) {
    return <MessageBox title="Could not read this expense report">ConnectWise did not say which expense report this is. Open the report again from ConnectWise.</MessageBox>;
  }
  return (
    <FixRecordsProvider value={{ expensereport: rec.id }}>
    <div class="sync expense-tab" data-testid="sync-panel" data-loading={String(loading)}>
      {banner ? (
        <div data-testid="reconnect-banner">
          <MessageBox kind="warning" title="Xero needs reconnecting">
            {banner}
          </MessageBox>
        </div>
      ) : null}
      {outcome ? <Outcome outcome={outcome} headline={view?.headline} /> : null}
      {loadError ? (
        <div data-testid="sync-error">
          <MessageBox title="Could not check this expense report against Xero">{loadError}</MessageBox>
        </div>
      ) : null}
      {view ? (
        <>
          <ReportCard view={view} />
          <Head view={view} />
          <ProblemList problems={mergeProblems(view.problems, [])} subject="this report" />
          {view.bills.map((b) => (
            <BillCard key={b.key} bill={b} />
          ))}
          {view.bills.length === 0 && view.problems.length === 0 ? <p class="muted" data-testid="no-bills">Nothing on this report becomes a Xero bill.</p> : null}
          <HowItPosts view={view} />
          <PushBar view={view} pushing={pushing} loading={loading} onPush={sync.push} onReload={sync.reload} noun="expense report" idle={idleWords(view)} />
          <SyncHistory api={ctx.api} kind="expensereport" id={rec.id} />
        </>
      ) : loadError ? null : (
        <section class="card" aria-busy="true">
          <div class="sync-head">
            <span class="chip chip-none">Checking…</span>
            <span class="muted">Reading the expense report from ConnectWise and Xero…</span>
          </div>
          <SkeletonLines rows={5} label="Loading the bills" />
        </section>
      )}
    </div>
    </FixRecordsProvider>
  );
}
