// Exception alerts (issue 13), admins only: the ConnectWise service board the
// alert ticket goes on (or off), and what the ticket is doing now — opened,
// updated, closed, or refused by ConnectWise (runs carry on regardless).
import { useCallback, useEffect, useState } from 'preact/hooks';
import type { AlertStatusView } from '../../shared/alert-settings.js';
import { SETTINGS_CARD } from '../../shared/settings-sections.js';
import type { PodContext } from '../lib/boot.js';
import { MessageBox } from '../lib/ui.js';
import { useSettingsSave } from './use-settings-save.js';

export function AlertsCard({ ctx }: { ctx: PodContext }) {
  const [view, setView] = useState<AlertStatusView | null>(null);
  const [loadError, setLoadError] = useState<string | null>(null);
  const [board, setBoard] = useState('');
  const load = useCallback(async () => {
    try {
      const v = await ctx.api<AlertStatusView>('/api/settings/alerts', { method: 'GET' });
      setView(v);
      setBoard(v.boardId === null ? '' : String(v.boardId));
      setLoadError(null);
    } catch (e) {
      setLoadError(e instanceof Error ? e.message : String(e));
    }
  }, [ctx]);
  useEffect(() => void load(), [load]);
  const { error, saved, busy, save } = useSettingsSave(ctx, load);

  const t = view?.ticket;
  // A board chosen earlier that ConnectWise no longer lists (inactive or gone) stays selectable, so saving keeps it.
  const boards = view && view.boardId !== null && !view.boards.some((b) => b.id === view.boardId) ? [...view.boards, { id: view.boardId, name: `Board ${view.boardId} (not listed by ConnectWise)` }] : (view?.boards ?? []);
  return (
    <section class="card" data-testid="alerts-card">
      <div class="card-head">
        <h2 class="card-title" data-section="alerts">{SETTINGS_CARD.alerts}</h2>
      </div>
      <p class="muted">
        When a batch run or the scheduled sync leaves records needing a person, one ConnectWise service ticket on this board lists them and what to fix; it is updated as the list changes and closes itself when a later run finds none.
      </p>
      {loadError ? <MessageBox title="Could not load the alert settings">{loadError}</MessageBox> : null}
      {view ? (
        <>
          <div class="field">
            <label for="alert-board">Service board for alert tickets</label>
            <select id="alert-board" data-testid="alert-board" value={board} disabled={busy} onChange={(e) => setBoard((e.currentTarget as HTMLSelectElement).value)}>
              <option value="">Off — no alert tickets</option>
              {boards.map((b) => (
                <option key={b.id} value={String(b.id)}>
                  {b.name}
                </option>
              ))}
            </select>
            {error?.field?.startsWith('alerts') ? <span class="field-error">{error.text}</span> : null}
          </div>
          {view.boardsError ? (
            <MessageBox kind="warning" title="Boards not listed">
              {view.boardsError}
            </MessageBox>
          ) : null}
          <div class="actions">
            <button class="primary" data-testid="save-alerts" disabled={busy} onClick={() => void save({ alerts: { boardId: board === '' ? null : Number(board) } })}>
              Save
            </button>
            {saved ? <span class="muted">Saved.</span> : null}
          </div>
          {error && !error.field?.startsWith('alerts') ? <MessageBox title="Not saved">{error.text}</MessageBox> : null}
          {t && t.lastOutcome ? (
            t.refused ? (
              <div data-testid="alert-status">
                <MessageBox kind="warning" title="ConnectWise did not take the alert ticket">
                  {t.lastOutcome}
                </MessageBox>
              </div>
            ) : (
              <p class="muted" data-testid="alert-status">
                {t.state === 'open' ? `Ticket #${t.id} is open, listing ${t.records} record${t.records === 1 ? '' : 's'}. ` : ''}
                {t.lastOutcome}
                {t.lastCheckedAt ? ` (${new Date(t.lastCheckedAt).toLocaleString()})` : ''}
              </p>
            )
          ) : null}
        </>
      ) : null}
    </section>
  );
}
