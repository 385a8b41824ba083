// The settings pod's UI, booted on the start its entry began (main.tsx).
import { bootPod } from '../lib/boot.js';
import type { PodStart } from '../lib/start.js';
import { SettingsScreen } from './SettingsScreen.js';

export function showSettings(start: PodStart): void {
  bootPod('Settings', (ctx) => <SettingsScreen ctx={ctx} />, start);
}
