// Entry of the settings pod ("CW–Xero Sync settings", a Pod on the accounting batch screen).
// Opened by a "Fix in" link (view=window, in a window of ours) it borrows the
// opening pod's session and scrolls to the section its fragment names.
import { bootPod } from '../lib/boot.js';
import { SETTINGS_FIRST_READS, SettingsScreen } from './SettingsScreen.js';
import './settings.css';

if (new URLSearchParams(location.search).get('view') === 'window') {
  void import('./settings-window.js').then((m) => m.bootSettingsWindow());
} else {
  // The first card's reads come with the sign-in (issue 12, first paint).
  bootPod('Settings', (ctx) => <SettingsScreen ctx={ctx} />, SETTINGS_FIRST_READS);
}
