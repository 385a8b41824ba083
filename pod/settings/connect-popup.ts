// "Connect to Xero" from inside a ConnectWise iframe: Xero's sign-in cannot be
// framed, so it runs in a popup. The popup must be opened synchronously in the
// click (or the browser blocks it); the URL with a fresh single-use state is
// fetched afterwards and the popup sent there. The popup's last page reports
// the outcome over penpal; a popup closed before that is noticed and said.
import { connect, WindowMessenger } from 'penpal';
import { oauthPopupResult, xeroConnectResponse, type OauthPopupResult } from '../../shared/api.js';
import type { Api } from '../lib/api.js';
import type { SettingsPodMethods } from './popup-protocol.js';

export type ConnectOutcome = { kind: 'result'; result: OauthPopupResult } | { kind: 'closed' } | { kind: 'blocked' } | { kind: 'failed'; message: string };

const POPUP_FEATURES = 'popup,width=560,height=760';

/** Call inside the click handler, before any await. */
export function openBlankPopup(): Window | null {
  return window.open('about:blank', 'cwxs-xero-connect', POPUP_FEATURES);
}

export async function runConnectFlow(popup: Window | null, api: Api, apiBase: string, expectedTenant: string): Promise<ConnectOutcome> {
  if (!popup) return { kind: 'blocked' };
  let url: string;
  try {
    url = (await api('/api/xero/connect', { method: 'POST' }, xeroConnectResponse)).url;
  } catch (e) {
    popup.close();
    return { kind: 'failed', message: e instanceof Error ? e.message : String(e) };
  }
  popup.location.href = url;

  return new Promise<ConnectOutcome>((resolve) => {
    let done = false;
    const finish = (o: ConnectOutcome) => {
      if (done) return;
      done = true;
      clearInterval(watch);
      // Not at once: the popup is still waiting for the reply to its report before it closes itself.
      setTimeout(() => connection.destroy(), 2_000);
      resolve(o);
    };
    const methods: SettingsPodMethods = {
      reportXeroConnect(raw: OauthPopupResult) {
        const parsed = oauthPopupResult.safeParse(raw);
        if (!parsed.success) return finish({ kind: 'failed', message: 'The Xero window sent an answer we do not understand.' });
        if (parsed.data.tenant && parsed.data.tenant !== expectedTenant) {
          return finish({ kind: 'failed', message: 'The Xero window finished a sign-in for another ConnectWise company; ignored.' });
        }
        finish({ kind: 'result', result: parsed.data });
      },
    };
    const messenger = new WindowMessenger({ remoteWindow: popup, allowedOrigins: [new URL(apiBase).origin] });
    const connection = connect({ messenger, methods });
    connection.promise.catch(() => undefined);
    // The popup's result arrives before it closes itself; a close without a result means the person closed it.
    const watch = setInterval(() => {
      if (popup.closed) setTimeout(() => finish({ kind: 'closed' }), 300);
    }, 400);
  });
}
