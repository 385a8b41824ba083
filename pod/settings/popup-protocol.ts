// What the settings pod exposes to the Xero sign-in popup over penpal.
import type { OauthPopupResult } from '../../shared/api.js';

export interface SettingsPodMethods {
  reportXeroConnect(result: OauthPopupResult): void;
  [name: string]: (...args: never[]) => unknown;
}
