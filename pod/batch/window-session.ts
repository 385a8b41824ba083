// The full list opens in a window of ours (window.open from the batch pod), at
// full width, outside ConnectWise's frame: it has no Hosted API of its own, so
// it borrows the pod's session. The pod answers only windows it opened, only
// on our own origin; the window asks again for each call, so the pod's
// renewal (through ConnectWise) keeps it signed in, and when the pod is gone
// (ConnectWise moved on) the window says so instead of acting on a stale token.
import type { PodSession } from '../lib/session.js';
import { PodApiError } from '../lib/http.js';

const ASK = 'cwxs:session?';
const ANSWER = 'cwxs:session';

interface Answer {
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

const GONE = 'The CW–Xero Sync pod that opened this list is closed. Open the list again from the pod on ConnectWise’s accounting batch screen.';

/** In the window: the session of the pod that opened it. */
export async function sessionFromOpener(): Promise<PodSession> {
  const opener = window.opener as Window | null;
  if (!opener || opener === window) throw new PodApiError(GONE, 401, 'no_opener');
  let seq = 0;
  const ask = (renew: boolean) =>
    new Promise<Answer>((resolve, reject) => {
      const id = ++seq;
      const timer = setTimeout(() => {
        window.removeEventListener('message', on);
        reject(new PodApiError(GONE, 401, 'no_opener'));
      }, 10_000);
      const on = (e: MessageEvent) => {
        const a = e.data as Answer | null;
        if (e.origin !== location.origin || e.source !== opener || !a || a.type !== ANSWER || a.id !== id) return;
        clearTimeout(timer);
        window.removeEventListener('message', on);
        if (a.error || !a.token) reject(new PodApiError(a.error ?? GONE, 401, 'no_session'));
        else resolve(a);
      };
      window.addEventListener('message', on);
      try {
        if (opener.closed) throw new Error('closed');
        opener.postMessage({ type: ASK, id, renew }, location.origin);
      } catch {
        clearTimeout(timer);
        window.removeEventListener('message', on);
        reject(new PodApiError(GONE, 401, 'no_opener'));
      }
    });
  let current = await ask(false);
  return {
    get member() {
      return current.member!;
    },
    get tenant() {
      return current.tenant!;
    },
    get isAdmin() {
      return !!current.isAdmin;
    },
    async token() {
      current = await ask(false);
      return current.token!;
    },
    async renew() {
      current = await ask(true);
    },
  };
}
