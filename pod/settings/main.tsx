// Entry of the settings pod ("CW–Xero Sync settings", a Pod on the accounting batch screen).
// Opened by a "Fix in" link (view=window, in a window of ours) it borrows the
// opening pod's session and scrolls to the section its fragment names.
// Hosted by ConnectWise, the handshake and the sign-in start first thing
// (start.ts), while the UI (app.tsx, preloaded by the page) arrives.
import { loadSurface, startPod } from '../lib/start.js';
import { SETTINGS_FIRST_READS } from './first-reads.js';
import './settings.css';

if (new URLSearchParams(location.search).get('view') === 'window') {
  loadSurface(() => import('./settings-window.js').then((m) => m.bootSettingsWindow()));
} else {
  // The first card's reads come with the sign-in (issue 12, first paint).
  const start = startPod(SETTINGS_FIRST_READS);
  loadSurface(() => import('./app.js').then((m) => m.showSettings(start)), start);
}
