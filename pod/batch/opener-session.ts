// The window's side of window-session.ts: a window of ours (the full list, the
// settings page opened by a "Fix in" link) asks the pod that opened it for its
// session. Its own file so the pods, which only lend, do not load it (issue 12).
import type { PodSession } from '../lib/session.js';
import { PodApiError } from '../lib/http.js';
import { ANSWER, ASK, type Answer } from './window-session.js';

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
