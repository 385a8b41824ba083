/** What the settings pod's first card needs, read together (main.tsx asks for them with the sign-in; SettingsScreen reads them). */
export const SETTINGS_FIRST_READS = ['/api/settings', '/api/xero/status', '/api/cw/locations'] as const;
