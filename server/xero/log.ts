// One log line per Xero connection event, honouring LOG_LEVEL. Ids, outcomes
// and counts only: never tokens, organisation names or accounting data.
import type { ServerConfig } from '../config.js';

const ORDER = { debug: 0, info: 1, warn: 2, error: 3, silent: 4 } as const;

export function xeroLog(cfg: Pick<ServerConfig, 'logLevel'>, level: 'info' | 'warn', line: string): void {
  if (ORDER[level] < ORDER[cfg.logLevel]) return;
  (level === 'warn' ? console.warn : console.info)(`[xero] ${line}`);
}
