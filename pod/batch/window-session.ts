// The full list opens in a window of ours (window.open from the batch pod), at
// full width, outside ConnectWise's frame: it has no Hosted API of its own, so
// it borrows the pod's session. The pod answers only windows it opened, only
// on our own origin; the window asks again for each call, so the pod's
// renewal (through ConnectWise) keeps it signed in, and when the pod is gone
// (ConnectWise moved on) the window says so instead of acting on a stale token.
// The window's side is in opener-session.ts (the pods load only this side).
import type { PodSession } from '../lib/session.js';

import { ANSWER, ASK } from '../../shared/window-session-protocol.js';
export { ANSWER, ASK };

export interface Answer {
  type: typeof ANSWER;
  id: number;
  token?: string;
  member?: PodSession['member'];
  tenant?: string;
  isAdmin?: boolean;
  error?: string;
}

/** In the pod: opens `url` in a window of ours and lends it the session while the pod lives. */
export function openWindowWithSession(url: string, name: string, session: PodSession): Window | null {
  const win = window.open(url, name);
  if (!win) return null;
  lent.add(win);
  if (!listening) {
    listening = true;
    window.addEventListener('message', (e: MessageEvent) => {
      const data = e.data as { type?: unknown; id?: unknown; renew?: unknown } | null;
      if (e.origin !== location.origin || !data || data.type !== ASK || typeof data.id !== 'number') return;
      const source = e.source as Window | null;
      if (!source || !lent.has(source)) return;
      const id = data.id;
      const reply = (a: Omit<Answer, 'type' | 'id'>) => source.postMessage({ type: ANSWER, id, ...a } satisfies Answer, location.origin);
      (data.renew ? session.renew() : Promise.resolve())
        .then(() => session.token())
        .then((token) => reply({ token, member: session.member, tenant: session.tenant, isAdmin: session.isAdmin }))
        .catch((err: unknown) => reply({ error: err instanceof Error ? err.message : String(err) }));
    });
  }
  return win;
}
const lent = new Set<Window>();
let listening = false;
