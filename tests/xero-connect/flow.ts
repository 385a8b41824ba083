// The consent driver lives beside the simulator (the demo uses it too).
export * from '../../scripts/xero-consent-driver.js';
