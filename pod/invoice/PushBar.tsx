// The action row at the foot of the sync panel: "Push to Xero" / "Re-sync"
// when the server says it may be clicked, progress while it runs, otherwise a
// short line saying why there is nothing to click. Shared by the invoice
// dialog and the expense report tab; `noun` names the record in the words.
import type { InvoiceSyncView } from '../../shared/api.js';

/** What the bar reads of a sync view. */
export type PushBarView = Pick<InvoiceSyncView, 'chip' | 'canPush' | 'pushLabel'>;

function idleReason(view: PushBarView, noun: string): string {
  switch (view.chip) {
    case 'needs_attention':
      return 'Fix the problems above, then click “Check again”.';
    case 'synced':
      return 'Up to date in Xero: nothing to push.';
    case 'paid':
      return 'Paid in Xero: it can no longer be changed from here.';
    case 'pushing':
      return `Another push of this ${noun} is running…`;
    default:
      return 'Nothing to push right now.';
  }
}

export function PushBar({
  view,
  pushing,
  loading,
  onPush,
  onReload,
  noun = 'invoice',
  idle,
}: {
  view: PushBarView;
  pushing: boolean;
  loading: boolean;
  onPush: () => void;
  onReload: () => void;
  noun?: string;
  /** Said instead of the button and the usual reason (a member who may not push: who can). */
  idle?: string | null;
}) {
  const showButton = pushing || (view.canPush && !idle);
  return (
    <div class="push-bar">
      <button type="button" class="link-button" onClick={onReload} disabled={pushing || loading} title={`Read the ${noun} and Xero again`}>
        {loading && !pushing ? 'Checking…' : 'Check again'}
      </button>
      <span class="push-space" />
      {showButton ? (
        <button type="button" class="primary push" data-testid="push-button" disabled={pushing || !view.canPush} aria-busy={pushing} onClick={onPush}>
          {pushing ? (
            <>
              {/* The button's flex gap spaces the spinner from the words. */}
              <span class="spinner spinner-light" aria-hidden="true" />
              Pushing to Xero…
            </>
          ) : (
            view.pushLabel
          )}
        </button>
      ) : (
        <span class="muted" data-testid="push-idle">
          {idle || idleReason(view, noun)}
        </span>
      )}
    </div>
  );
}
