// The settings pod's audit card for admins (issue 13): the tenant's activity
// with filters and CSV, the settings' changes, and settings export / import
// with a dry run. Its body is fetched when the card is opened (the pod's
// first JavaScript stays inside its budget).
import type { FunctionComponent } from 'preact';
import { useEffect, useState } from 'preact/hooks';
import type { PodContext } from '../lib/boot.js';

export interface AuditCardBodyProps {
  ctx: PodContext;
  onImported: () => void;
}

let loading: Promise<FunctionComponent<AuditCardBodyProps>> | undefined;

export function AuditCard({ ctx, isAdmin, onImported }: { ctx: PodContext; isAdmin: boolean; onImported: () => void }) {
  const [open, setOpen] = useState(false);
  const [body, setBody] = useState<{ C: FunctionComponent<AuditCardBodyProps> } | { error: string } | null>(null);
  useEffect(() => {
    if (!open || (body && 'C' in body)) return;
    let live = true;
    loading ??= import('./audit-card-body.js').then((m) => m.AuditCardBody);
    loading.then(
      (C) => live && setBody({ C }),
      (e: unknown) => {
        loading = undefined;
        if (live) setBody({ error: `${e instanceof Error ? e.message : String(e)} Close and open this card again.` });
      },
    );
    return () => {
      live = false;
    };
  }, [open]);
  if (!isAdmin) return null;
  return (
    <details class="card" data-testid="audit-card" onToggle={(e) => setOpen((e.currentTarget as HTMLDetailsElement).open)}>
      <summary class="card-title">Activity, changes and settings transfer</summary>
      {!open ? null : body === null ? <p class="muted">Loading…</p> : 'error' in body ? <p role="alert">{body.error}</p> : <body.C ctx={ctx} onImported={onImported} />}
    </details>
  );
}
