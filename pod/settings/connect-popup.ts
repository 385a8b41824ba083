// "Connect to Xero" from inside a ConnectWise iframe: Xero's sign-in cannot be
// framed, so it runs in a popup. The popup must be opened synchronously in the
// click (or the browser blocks it); the URL with a fresh single-use state is
// fetched afterwards and posted into the popup with its start proof (a form
// aimed at the popup: the link alone starts nothing, so it cannot be opened
// in another browser or sent to someone). The popup's last page reports
// the outcome over penpal; a popup closed before that is noticed and said.
import type { XeroConnectResponse, OauthPopupResult } from '../../shared/api.js';
import type { Api } from '../lib/api.js';
import { readOauthPopupResult, type SettingsPodMethods } from './popup-protocol.js';

export type ConnectOutcome = { kind: 'result'; result: OauthPopupResult } | { kind: 'closed' } | { kind: 'blocked' } | { kind: 'failed'; message: string };

const POPUP_FEATURES = 'popup,width=560,height=760';
const POPUP_NAME = 'cwxs-xero-connect';

/** Call inside the click handler, before any await. */
export function openBlankPopup(): Window | null {
  return window.open('about:blank', POPUP_NAME, POPUP_FEATURES);
}

/** Navigates the popup by a POST of `fields` to `url` (from this page, so with our origin). */
function postIntoPopup(url: string, fields: Record<string, string>): void {
  const form = document.createElement('form');
  form.method = 'POST';
  form.action = url;
  form.target = POPUP_NAME;
  form.hidden = true;
  for (const [name, value] of Object.entries(fields)) {
    const input = document.createElement('input');
    input.type = 'hidden';
    input.name = name;
    input.value = value;
    form.append(input);
  }
  document.body.append(form);
  form.submit();
  form.remove();
}

export async function runConnectFlow(popup: Window | null, api: Api, apiBase: string, expectedTenant: string): Promise<ConnectOutcome> {
  if (!popup) return { kind: 'blocked' };
  // penpal only when someone connects (not in the settings pod's first paint); loaded while the server answers.
  const penpal = import('penpal').catch(() => undefined);
  try {
    const start = await api<XeroConnectResponse>('/api/xero/connect', { method: 'POST' });
    postIntoPopup(start.url, { startProof: start.startProof });
  } catch (e) {
    popup.close();
    return { kind: 'failed', message: e instanceof Error ? e.message : String(e) };
  }

  const loaded = await penpal;
  if (!loaded) {
    popup.close();
    return { kind: 'failed', message: 'Cannot reach the CW–Xero Sync server. Check your connection and try again.' };
  }
  const { connect, WindowMessenger } = loaded;
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
        const result = readOauthPopupResult(raw);
        if (!result) return finish({ kind: 'failed', message: 'The Xero window sent an answer we do not understand.' });
        if (result.tenant && result.tenant !== expectedTenant) {
          return finish({ kind: 'failed', message: 'The Xero window finished a sign-in for another ConnectWise company; ignored.' });
        }
        finish({ kind: 'result', result });
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
