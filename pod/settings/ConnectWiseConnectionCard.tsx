// The company's own ConnectWise connection (issue 13), admins only: its site
// URL and API member keys (GET / PUT /api/setup/company, the onboarding's
// route). A new key pair is checked live against ConnectWise — the keys, then
// every permission the product needs, as at onboarding — before anything is
// saved; refused, the stored ones stay. The stored keys never come back here:
// the card asks for the new pair, both keys each time.
import { useCallback, useEffect, useState } from 'preact/hooks';
import type { CompanyConnection } from '../../shared/company-connection.js';
import type { PodContext } from '../lib/boot.js';
import { PodApiError } from '../lib/http.js';
import { MessageBox } from '../lib/ui.js';

type Field = 'siteUrl' | 'publicKey' | 'privateKey';
const FIELDS: readonly Field[] = ['siteUrl', 'publicKey', 'privateKey'];
const message = (e: unknown) => (e instanceof Error ? e.message : String(e));

export function ConnectWiseConnectionCard({ ctx }: { ctx: PodContext }) {
  const [stored, setStored] = useState<CompanyConnection | null>(null);
  const [siteUrl, setSiteUrl] = useState('');
  const [publicKey, setPublicKey] = useState('');
  const [privateKey, setPrivateKey] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<{ text: string; field: Field | null } | null>(null);
  const [saved, setSaved] = useState<string | null>(null);

  const load = useCallback(async () => {
    try {
      const c = await ctx.api<CompanyConnection>('/api/setup/company', { method: 'GET' });
      setStored(c);
      setSiteUrl(c.siteUrl);
    } catch (e) {
      setError({ text: message(e), field: null });
    }
  }, [ctx]);
  useEffect(() => {
    void load();
  }, [load]);

  const save = async () => {
    if (!stored) return;
    setBusy(true);
    setSaved(null);
    setError(null);
    try {
      const body = { companyId: stored.companyId, clientId: stored.clientId, siteUrl: siteUrl.trim(), publicKey: publicKey.trim(), privateKey: privateKey.trim() };
      const r = await ctx.api<{ tenant: { id: string; siteUrl: string } }>('/api/setup/company', { method: 'PUT', body: JSON.stringify(body) });
      setStored({ ...stored, siteUrl: r.tenant.siteUrl });
      setSiteUrl(r.tenant.siteUrl);
      setPublicKey('');
      setPrivateKey('');
      setSaved(`Saved: ConnectWise accepted the new keys at ${r.tenant.siteUrl}, with every permission CW–Xero Sync needs.`);
    } catch (e) {
      const field = e instanceof PodApiError && FIELDS.includes(e.field as Field) ? (e.field as Field) : null;
      setError({ text: `${message(e)} Nothing was changed: the keys saved before are still used.`, field });
    } finally {
      setBusy(false);
    }
  };

  const fieldError = (f: Field) =>
    error?.field === f ? (
      <span class="field-error" data-testid={`cw-connection-${f}-error`}>
        {error.text}
      </span>
    ) : null;
  return (
    <section class="card" aria-label="ConnectWise connection" data-testid="cw-connection-card">
      <div class="card-head">
        <h2 class="card-title">ConnectWise connection</h2>
      </div>
      <p class="muted">
        The ConnectWise API address and API member keys CW–Xero Sync uses for company <strong>{stored?.companyId ?? '…'}</strong>. The saved private key is never shown; to change the keys, enter the new pair
        (ConnectWise: System › Members › API Members › API Keys). They are checked with ConnectWise before they are saved.
      </p>
      <div class="field">
        <label for="cw-site-url">ConnectWise API address (site URL)</label>
        <input id="cw-site-url" data-testid="cw-connection-siteUrl" value={siteUrl} disabled={!stored || busy} onInput={(e) => setSiteUrl((e.currentTarget as HTMLInputElement).value)} />
        {fieldError('siteUrl')}
      </div>
      <div class="field">
        <label for="cw-public-key">API member public key</label>
        <input id="cw-public-key" data-testid="cw-connection-publicKey" autocomplete="off" value={publicKey} disabled={!stored || busy} onInput={(e) => setPublicKey((e.currentTarget as HTMLInputElement).value)} />
        {fieldError('publicKey')}
      </div>
      <div class="field">
        <label for="cw-private-key">API member private key</label>
        <input
          id="cw-private-key"
          data-testid="cw-connection-privateKey"
          type="password"
          autocomplete="new-password"
          value={privateKey}
          disabled={!stored || busy}
          onInput={(e) => setPrivateKey((e.currentTarget as HTMLInputElement).value)}
        />
        {fieldError('privateKey')}
      </div>
      <div class="actions">
        <button class="primary" data-testid="save-cw-connection" disabled={!stored || busy} onClick={() => void save()}>
          {busy ? 'Checking with ConnectWise…' : 'Check and save'}
        </button>
        {saved ? (
          <span class="muted" data-testid="cw-connection-saved">
            {saved}
          </span>
        ) : null}
      </div>
      {error && !error.field ? (
        <MessageBox title="Not saved">
          <span data-testid="cw-connection-error">{error.text}</span>
        </MessageBox>
      ) : null}
    </section>
  );
}
