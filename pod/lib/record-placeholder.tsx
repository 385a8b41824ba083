// What the batch, purchase-order and expense surfaces show until their sync
// arrives: the record they are on, who is signed in, and a way to refresh.
import type { PodContext } from './boot.js';
import { useScreenRecord } from './use-screen-record.js';
import { Facts } from './ui.js';

export function RecordPlaceholder({ ctx, recordLabel, coming }: { ctx: PodContext; recordLabel: string; coming: string }) {
  const rec = useScreenRecord(ctx.bridge);
  return (
    <section class="card">
      <div class="card-head">
        <h1 class="card-title">
          {recordLabel} <span data-testid="record-id">{rec.id ?? '—'}</span>
        </h1>
        <button type="button" onClick={() => void ctx.bridge.refreshScreen()} title="Reload this ConnectWise screen">
          Refresh screen
        </button>
      </div>
      <Facts
        rows={[
          ['Signed in as', <span data-testid="placeholder-member">{ctx.session.member.name}</span>],
          ['ConnectWise company', ctx.session.tenant],
          ['Screen loads', <span data-testid="load-count">{rec.loads}</span>],
        ]}
      />
      <p class="soon">{coming}</p>
    </section>
  );
}
