// Faults a test injects into the sync engine's ports, through the app's
// dependencies (AppDeps.faults): a throw in a wrapper is a crash at that call.
import type { AppDeps } from '../../server/deps.js';
import type { CwBatchPort, XeroEnginePort } from '../../server/engine/ports.js';

export function setEngineFaults(deps: AppDeps | undefined, f: { xero?: (p: XeroEnginePort) => XeroEnginePort; cw?: (p: CwBatchPort) => CwBatchPort } | undefined): void {
  if (!deps) return;
  const { xeroPort: _x, cwPort: _c, ...rest } = deps.faults ?? {};
  deps.faults = { ...rest, ...(f?.xero ? { xeroPort: f.xero } : {}), ...(f?.cw ? { cwPort: f.cw } : {}) };
}
