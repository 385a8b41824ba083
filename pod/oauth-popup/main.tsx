// Entry of the Xero sign-in popup (top-level window, not framed). Placeholder.
import { render } from 'preact';
import '../lib/styles.css';

const root = document.getElementById('app');
if (root) {
  render(
    <main class="pod-body">
      <section class="card">
        <h1 class="card-title">Connect to Xero</h1>
        <p class="soon">Connecting to Xero is coming soon.</p>
      </section>
    </main>,
    root,
  );
}
