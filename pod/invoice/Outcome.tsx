// The last push's result, in words: the invoice dialog's Sync tab, the expense
// tab and the purchase-order pod show their pushes with it. Its own file, so
// those pods do not load the invoice's Sync tab to get it (issue 12 budget).
import { MessageBox } from '../lib/ui.js';
import type { PushableView, PushFlowResult } from './push-flow.js';

/** The last push's result, in words (the expense tab shows its pushes with it too). */
export function Outcome({ outcome, headline }: { outcome: PushFlowResult<PushableView>; headline: string | undefined }) {
  // A push that went through and whose message the headline already says: one quiet line.
  if (outcome.ok && (outcome.outcome === 'synced' || outcome.outcome === 'unchanged') && outcome.message === headline) {
    return (
      <div class="outcome-ok" data-testid="push-outcome" data-outcome={outcome.outcome} role="status">
        ✓ {outcome.outcome === 'synced' ? 'Pushed to Xero just now.' : 'Already in Xero; nothing was sent again.'}
      </div>
    );
  }
  const kind = !outcome.ok ? 'error' : outcome.outcome === 'needs_attention' ? 'warning' : 'info';
  const title = !outcome.ok
    ? 'The push did not finish'
    : { synced: 'Pushed to Xero', unchanged: 'Already in Xero', needs_attention: 'Needs attention', busy: 'Pushed by someone else' }[outcome.outcome];
  return (
    <div data-testid="push-outcome" data-outcome={outcome.ok ? outcome.outcome : 'error'}>
      <MessageBox kind={kind} title={title}>
        {outcome.message}
      </MessageBox>
    </div>
  );
}
