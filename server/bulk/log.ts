// One log line per bulk step, honouring LOG_LEVEL: run and organisation ids,
// counts and outcomes only — never names, amounts or line text.
import type { ServerConfig } from '../config.js';

const ORDER = { debug: 0, info: 1, warn: 2, error: 3, silent: 4 } as const;

export function bulkLog(cfg: Pick<ServerConfig, 'logLevel'>, level: 'info' | 'warn', line: string): void {
  if (ORDER[level] < ORDER[cfg.logLevel]) return;
  (level === 'warn' ? console.warn : console.info)(`[bulk] ${line}`);
}
