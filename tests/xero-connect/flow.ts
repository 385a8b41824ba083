// The consent driver lives beside the simulator (the demo uses it too).
export * from '../../sim/xero/consent-driver.js';
