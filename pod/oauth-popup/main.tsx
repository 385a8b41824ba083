// The Xero sign-in popup's last page (a top-level window on our origin, not
// framed). The server injected the outcome as JSON; we show it, report it to
// the settings pod that opened us over penpal, and close.
import { render } from 'preact';
import { connect, WindowMessenger } from 'penpal';
import type { OauthPopupResult } from '../../shared/api.js';
import { readOauthPopupResult, type SettingsPodMethods } from '../settings/popup-protocol.js';
import '../lib/styles.css';

function readResult(): OauthPopupResult {
  const text = document.getElementById('oauth-result')?.textContent;
  try {
    const parsed = readOauthPopupResult(text ? JSON.parse(text) : null);
    if (parsed) return parsed;
  } catch {
    /* fall through */
  }
  return { ok: false, code: 'no_result', message: 'This window does not know how the Xero sign-in ended. Close it and check the settings screen.', tenant: null, connectionId: null, orgs: [] };
}

function Page({ result, note }: { result: OauthPopupResult; note: string }) {
  return (
    <main class="pod-body">
      <section class="card">
        <h1 class="card-title">{result.ok ? 'Connected to Xero' : 'Not connected to Xero'}</h1>
        <p data-testid="oauth-result-message">{result.message}</p>
        <p class="muted">{note}</p>
      </section>
    </main>
  );
}

async function main() {
  const root = document.getElementById('app');
  if (!root) return;
  const result = readResult();
  const opener = window.opener as Window | null;
  if (!opener) {
    render(<Page result={result} note="The settings screen that opened this window is gone; you can close this window." />, root);
    return;
  }
  render(<Page result={result} note="Returning to ConnectWise…" />, root);
  // Only our own pod (same origin as this page) may receive the outcome.
  const messenger = new WindowMessenger({ remoteWindow: opener, allowedOrigins: [window.location.origin] });
  const connection = connect<SettingsPodMethods>({ messenger, methods: {}, timeout: 10_000 });
  try {
    const pod = await connection.promise;
    await pod.reportXeroConnect(result);
    connection.destroy();
    window.close();
  } catch {
    render(<Page result={result} note="The settings screen did not answer; close this window and reload the settings." />, root);
  }
}

void main();
