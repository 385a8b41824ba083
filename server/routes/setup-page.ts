// The first-run page's HTML, style and script (no build step: plain strings,
// served from this origin under a strict Content-Security-Policy).
// After registering, the page opens the settings in a window of ours
// (setup=1: Connect to Xero, the proposed mappings) and lends it the setup
// session the registration answered, by the pods' own window protocol
// (shared/window-session-protocol.ts). Opened by a settings pod once a
// company exists, it borrows that pod's admin session the same way.
import { ANSWER, ASK } from '../../shared/window-session-protocol.js';

export function setupPageHtml(o: { firstCompany: boolean }): string {
  const codeField = o.firstCompany
    ? `<div class="field"><label for="setupCode">Setup code</label><input id="setupCode" name="setupCode" autocomplete="off" required placeholder="XXXXX-XXXXX-XXXXX">
<p class="hint">Printed in this server's log when it started with no company registered.</p></div>`
    : `<p class="note" id="admin-note">A company is already registered here. Another company is added by an admin of a registered one, signed in through ConnectWise: open this page from the settings pod in ConnectWise ("Add another ConnectWise company"). An existing company is never changed from this page.</p>
<p class="note" id="signed-in" hidden></p>`;
  return `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>CW–Xero Sync · first run</title>
<meta name="viewport" content="width=device-width, initial-scale=1"><link rel="stylesheet" href="/setup/setup.css"></head>
<body><main>
<h1>CW–Xero Sync: register your ConnectWise company</h1>
<ol class="steps"><li class="on">ConnectWise company and API member</li><li>Permissions</li><li>Install in ConnectWise</li><li>Connect to Xero and mappings</li></ol>
<form id="setup-form" novalidate>
${codeField}
<div class="field"><label for="siteUrl">ConnectWise API address (site URL)</label><input id="siteUrl" name="siteUrl" required placeholder="https://api-na.myconnectwise.net"></div>
<div class="field"><label for="companyId">Company id</label><input id="companyId" name="companyId" required></div>
<div class="field"><label for="clientId">clientId</label><input id="clientId" name="clientId" required value="3f4c5e6a-0d1b-4b7e-9c2a-5e8f7a6b1c2d"></div>
<div class="field"><label for="publicKey">API member public key</label><input id="publicKey" name="publicKey" required autocomplete="off"></div>
<div class="field"><label for="privateKey">API member private key</label><input id="privateKey" name="privateKey" type="password" required autocomplete="off"></div>
<p class="hint">The keys are checked with ConnectWise before anything is saved, then each permission the product needs is tested.</p>
<div class="actions"><button type="submit" id="check">Check and register</button></div>
</form>
<div id="error" class="error" role="alert" hidden></div>
<section id="permissions" hidden><h2>Permissions of the API member</h2><table><thead><tr><th>Area</th><th>Status</th><th>Where to grant it</th></tr></thead><tbody id="permission-rows"></tbody></table></section>
<section id="done" hidden><h2>Registered</h2><p id="done-text"></p><ul id="installed"></ul>
<h2>Next: Connect to Xero and mappings</h2>
<p>Connect this company's Xero organisations, then check the mappings proposed from both sides (billing locations to organisations, accounts, tax rates) and save them.</p>
<div class="actions"><button type="button" id="open-xero">Connect to Xero and check the mappings</button></div>
<p id="window-note" class="hint" hidden></p>
<p class="hint">Everything can be changed later in ConnectWise: any accounting batch (Finance › Accounting Interface), its <b>CW–Xero Sync settings</b> pod.</p></section>
</main><script src="/setup/setup.js"></script></body></html>`;
}

export const SETUP_CSS = `body{font:15px/1.5 system-ui,sans-serif;color:#1f2933;margin:0;background:#f5f7fa}
main{max-width:46rem;margin:2rem auto;background:#fff;padding:1.5rem 2rem;border-radius:8px;box-shadow:0 1px 3px #0002}
h1{font-size:1.35rem;color:#0b5394}h2{font-size:1.05rem;margin-top:1.5rem}
.steps{display:flex;gap:.5rem;padding:0;list-style:none;font-size:.85rem;color:#667}.steps li{padding:.2rem .5rem;border-radius:4px;background:#eef2f6}.steps li.on{background:#0b5394;color:#fff}
.field{margin:.75rem 0}.field label{display:block;font-weight:600;margin-bottom:.2rem}.field input{width:100%;box-sizing:border-box;padding:.45rem;border:1px solid #b8c2cc;border-radius:4px;font:inherit}
.field.bad input{border-color:#c0392b}.field-error{color:#c0392b;font-size:.85rem}
.hint,.note{color:#52606d;font-size:.85rem}
button{background:#0b5394;color:#fff;border:0;border-radius:4px;padding:.5rem 1rem;font:inherit;cursor:pointer}button:disabled{opacity:.6}
.error{background:#fdecea;color:#8a1c12;padding:.6rem .8rem;border-radius:4px;margin-top:1rem}
table{border-collapse:collapse;width:100%;font-size:.9rem}td,th{border-bottom:1px solid #e4e7eb;padding:.35rem;text-align:left;vertical-align:top}
.granted{color:#1e7e34}.missing{color:#c0392b;font-weight:600}.first_use{color:#8a6d00}`;

export const SETUP_JS = `(function () {
  var ASK = ${JSON.stringify(ASK)}, ANSWER = ${JSON.stringify(ANSWER)};
  var form = document.getElementById('setup-form');
  var borrowed = null; // an admin's session, lent by the settings pod that opened this page
  var setup = null;    // the new company's setup session, lent to the settings window
  var lentTo = null;
  var errorBox = document.getElementById('error');
  var WORDS = { granted: 'Granted', missing: 'Missing', first_use: 'Checked at first use' };
  function showError(text) { errorBox.textContent = text; errorBox.hidden = !text; }
  function fieldError(name, text) {
    document.querySelectorAll('.field-error').forEach(function (e) { e.remove(); });
    document.querySelectorAll('.field.bad').forEach(function (e) { e.classList.remove('bad'); });
    var input = name && document.getElementById(name);
    if (!input || input.tagName !== 'INPUT') return false;
    var span = document.createElement('span');
    span.className = 'field-error'; span.textContent = text;
    input.parentNode.classList.add('bad'); input.parentNode.appendChild(span);
    return true;
  }
  function showPermissions(list) {
    var rows = document.getElementById('permission-rows');
    rows.textContent = '';
    list.forEach(function (p) {
      var tr = document.createElement('tr');
      tr.setAttribute('data-area', p.area);
      var optional = p.status === 'missing' && p.required === false;
      [p.label, optional ? 'Missing (not required)' : WORDS[p.status] || p.status, p.status === 'granted' ? '' : p.grant + (optional && p.without ? ' — until then, ' + p.without + '.' : '')].forEach(function (t, i) {
        var td = document.createElement('td'); td.textContent = t; if (i === 1) td.className = optional ? 'first_use' : p.status; tr.appendChild(td);
      });
      rows.appendChild(tr);
    });
    document.getElementById('permissions').hidden = false;
  }
  // Once a company exists: the session of the settings pod that opened this page.
  if (document.getElementById('admin-note') && window.opener && window.opener !== window) {
    window.addEventListener('message', function (e) {
      var a = e.data;
      if (e.origin !== location.origin || e.source !== window.opener || !a || a.type !== ANSWER || a.id !== 1) return;
      if (!a.token) return;
      borrowed = a.token;
      var note = document.getElementById('signed-in');
      note.textContent = 'Signed in as ' + (a.member && a.member.name) + ' of ConnectWise company "' + a.tenant + '"' + (a.isAdmin ? ' (admin).' : ' — not an admin of CW–Xero Sync, so this page cannot add a company.');
      note.hidden = false;
    });
    try { window.opener.postMessage({ type: ASK, id: 1, renew: false }, location.origin); } catch (e) { /* not ours */ }
  }
  // The settings window this page opened asks for the setup session.
  window.addEventListener('message', function (e) {
    var d = e.data;
    if (e.origin !== location.origin || !d || d.type !== ASK || typeof d.id !== 'number' || !lentTo || e.source !== lentTo) return;
    var answer = { type: ANSWER, id: d.id };
    if (setup && Date.parse(setup.expiresAt) > Date.now()) {
      answer.token = setup.token; answer.tenant = setup.tenant; answer.isAdmin = true; answer.member = { identifier: 'setup', name: 'First-run setup' };
    } else {
      answer.error = 'The first-run session has ended. Finish in ConnectWise: any accounting batch, its CW–Xero Sync settings pod.';
    }
    e.source.postMessage(answer, location.origin);
  });
  document.getElementById('open-xero').addEventListener('click', function () {
    var w = window.open('/pod/settings.html?tenant=' + encodeURIComponent(setup.tenant) + '&view=window&setup=1', 'cwxs-setup-settings');
    var note = document.getElementById('window-note');
    if (!w) { note.textContent = 'Your browser blocked the window: allow pop-ups for this page and press the button again.'; note.hidden = false; return; }
    lentTo = w;
    note.textContent = 'Continue in the window that opened; keep this page open until the mappings are saved.'; note.hidden = false;
  });
  form.addEventListener('submit', function (ev) {
    ev.preventDefault();
    var body = {};
    new FormData(form).forEach(function (v, k) { if (String(v).trim()) body[k] = String(v).trim(); });
    var button = document.getElementById('check');
    button.disabled = true; button.textContent = 'Checking with ConnectWise…';
    showError(''); fieldError(null, '');
    var headers = { 'Content-Type': 'application/json' };
    if (borrowed) headers.Authorization = 'Bearer ' + borrowed;
    fetch('/api/setup/register', { method: 'POST', headers: headers, body: JSON.stringify(body) })
      .then(function (r) { return r.json().then(function (j) { return { status: r.status, body: j }; }); })
      .then(function (r) {
        if (r.body.permissions) showPermissions(r.body.permissions);
        if (r.status !== 200) {
          var e = r.body.error || {};
          var text = e.message || ('HTTP ' + r.status);
          if (!fieldError(e.field, text)) showError(text);
          return;
        }
        form.hidden = true;
        setup = { token: r.body.session.token, expiresAt: r.body.session.expiresAt, tenant: r.body.tenant.id };
        document.querySelectorAll('.steps li').forEach(function (li, i) { li.classList.toggle('on', i === 3); });
        document.getElementById('done-text').textContent = 'ConnectWise company "' + r.body.tenant.id + '" is registered.' +
          (r.body.install.error ? ' Installing in ConnectWise failed: ' + r.body.install.error : ' Installed in ConnectWise:');
        var ul = document.getElementById('installed');
        (r.body.install.setups || []).forEach(function (s) {
          var li = document.createElement('li'); li.textContent = s.words + ' (' + s.action + ')'; ul.appendChild(li);
        });
        document.getElementById('done').hidden = false;
      })
      .catch(function (err) { showError('Could not reach this server: ' + err); })
      .finally(function () { button.disabled = false; button.textContent = 'Check and register'; });
  });
})();`;
