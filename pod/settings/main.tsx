// Entry of the settings pod ("CW–Xero Sync settings", a Pod on the accounting batch screen).
import { bootPod } from '../lib/boot.js';
import { SettingsScreen } from './SettingsScreen.js';
import './settings.css';

bootPod('Settings', (ctx) => <SettingsScreen ctx={ctx} />);
