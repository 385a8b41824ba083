// Entry of the settings pod (accounting batch screen). Placeholder: the Xero
// connection and settings screens are built on bootPod/PodContext (pod/lib).
import { bootPod } from '../lib/boot.js';

bootPod('Settings', (ctx) => (
  <section class="card">
    <h1 class="card-title">CW–Xero Sync settings</h1>
    <p class="soon">Settings for {ctx.session.tenant} are coming soon.</p>
  </section>
));
