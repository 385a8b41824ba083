// HTML of the sign-in and consent steps. Element ids are stable so browser
// tests can drive them: #email, #password, #sign-in; then one checkbox per
// organisation (#org-<tenantId>, labelled with its name), #allow, #cancel.

export function escapeHtml(s: string): string {
  return s.replace(/[&<>"']/g, (ch) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[ch]!);
}

function page(title: string, body: string): string {
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>${escapeHtml(title)}</title>
<meta name="viewport" content="width=device-width, initial-scale=1">
<style>body{font-family:system-ui,sans-serif;max-width:28rem;margin:3rem auto;padding:0 1rem;color:#1e3246}
h1{font-size:1.4rem}label{display:block;margin:.6rem 0}input[type=email],input[type=password]{width:100%;padding:.4rem}
button{padding:.5rem 1rem;margin-right:.5rem}.error{color:#b00020}.app{color:#555}</style></head>
<body><p class="app">Xero (simulator)</p>${body}</body></html>`;
}

export function signInPage(txnId: string, email: string, error?: string): string {
  return page(
    'Log in to Xero',
    `<h1>Log in to Xero</h1>
${error ? `<p class="error" id="error" role="alert">${escapeHtml(error)}</p>` : ''}
<form id="signin-form" method="post" action="/identity/connect/authorize/signin">
<input type="hidden" name="txn" value="${escapeHtml(txnId)}">
<label for="email">Email address</label><input id="email" name="email" type="email" value="${escapeHtml(email)}" required>
<label for="password">Password</label><input id="password" name="password" type="password" value="demo" required>
<button id="sign-in" type="submit">Sign in</button>
</form>`,
  );
}

export function consentPage(
  txnId: string,
  clientName: string,
  scopes: string[],
  orgs: { tenantId: string; name: string }[],
  error?: string,
): string {
  const boxes = orgs
    .map(
      (o) =>
        `<label for="org-${escapeHtml(o.tenantId)}"><input type="checkbox" id="org-${escapeHtml(o.tenantId)}" name="tenant" value="${escapeHtml(o.tenantId)}"> ${escapeHtml(o.name)}</label>`,
    )
    .join('\n');
  return page(
    'Allow access',
    `<h1>${escapeHtml(clientName)} wants access to your Xero organisations</h1>
${error ? `<p class="error" id="error" role="alert">${escapeHtml(error)}</p>` : ''}
<p>It asks for: ${scopes.map((s) => `<code>${escapeHtml(s)}</code>`).join(', ')}</p>
<form id="consent-form" method="post" action="/identity/connect/authorize/consent">
<input type="hidden" name="txn" value="${escapeHtml(txnId)}">
<fieldset><legend>Organisations</legend>
${boxes}
</fieldset>
<button id="allow" type="submit" name="decision" value="allow">Allow access</button>
<button id="cancel" type="submit" name="decision" value="deny">Cancel</button>
</form>`,
  );
}

export function errorPage(message: string): string {
  return page('Sign-in error', `<h1>Something's not right</h1><p class="error" id="error" role="alert">${escapeHtml(message)}</p>`);
}
