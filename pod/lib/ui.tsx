// Small shared UI pieces of every pod surface.
import type { ComponentChildren } from 'preact';
import { formatMoney } from './money.js';

export type SyncStatus = 'ready' | 'attention' | 'synced' | 'changed' | 'paid' | 'pushing';

const CHIP_TEXT: Record<SyncStatus, string> = {
  ready: 'Ready',
  attention: 'Needs attention',
  synced: 'Synced',
  changed: 'Changed since sync',
  paid: 'Paid',
  pushing: 'Pushing…',
};

export function StatusChip({ status }: { status: SyncStatus }) {
  return (
    <span class={`chip chip-${status}`} data-testid="status-chip" data-status={status}>
      {CHIP_TEXT[status]}
    </span>
  );
}

export function Money({ amount, currency, decimals }: { amount: string; currency: string; decimals?: number }) {
  return <span class="money">{formatMoney(amount, currency, decimals)}</span>;
}

export function MessageBox({ kind = 'error', title, children }: { kind?: 'error' | 'info' | 'warning'; title: string; children?: ComponentChildren }) {
  return (
    <div class={`msg msg-${kind}`} role={kind === 'error' ? 'alert' : 'status'}>
      <strong class="msg-title">{title}</strong>
      {children ? <div class="msg-body">{children}</div> : null}
    </div>
  );
}

export function Loading({ text }: { text: string }) {
  return (
    <div class="loading" role="status">
      <span class="spinner" aria-hidden="true" />
      {text}
    </div>
  );
}

/** The strip at the top of every surface: product, what this is, who is signed in. */
export function PodHeader({ title, memberName, isAdmin, actions }: { title: string; memberName?: string | undefined; isAdmin?: boolean; actions?: ComponentChildren }) {
  return (
    <header class="pod-header">
      <div class="brand">
        <span class="logo" aria-hidden="true">⇄</span>
        <span class="product">CW–Xero Sync</span>
        <span class="sep">·</span>
        <span class="title">{title}</span>
      </div>
      <div class="header-right">
        {actions}
        {memberName ? (
          <span class="member" title="Verified with ConnectWise">
            <span class="dot" aria-hidden="true" />
            <span data-testid="member-name">{memberName}</span>
            {isAdmin ? <span class="badge">admin</span> : null}
          </span>
        ) : null}
      </div>
    </header>
  );
}

/** A label/value grid for record facts. */
export function Facts({ rows }: { rows: [string, ComponentChildren][] }) {
  return (
    <dl class="facts">
      {rows.map(([k, v]) => (
        <div class="fact" key={k}>
          <dt>{k}</dt>
          <dd>{v}</dd>
        </div>
      ))}
    </dl>
  );
}
