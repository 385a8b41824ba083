// The payment-sync schedule inside the server process. A timer ticks every
// minute; each tick, for every tenant with a working Xero connection, claims
// the tenant's slot for this interval in the database (run-lease.ts) and runs
// the sync only when the claim is ours: once per tenant per interval however
// many server instances tick. With no tenant connected to Xero a tick does
// nothing but one small query.
import type { AppDeps } from '../deps.js';
import { claimScheduledRun } from './run-lease.js';
import { runPaymentSync, type PaymentRunResult } from './payment-sync.js';
import { paymentIntervalMinutes } from './payment-settings.js';
import { pushApprovedExpenses, type ExpenseScanResult } from '../expenses/auto-push.js';
import { refreshAlert } from '../alerts/exception-alerts.js';

export interface PaymentScheduleOptions {
  /** How often to look for due tenants (default 60 s; ≤ 0 disables the timer). */
  tickMs?: number;
  /** Told about each run this instance made (tests, logs). */
  onRun?: (tenantId: string, result: PaymentRunResult) => void;
  /** Told about each scheduled scan of approved expense reports (undefined: it failed; the next interval retries). */
  onExpenses?: (tenantId: string, result: ExpenseScanResult | undefined) => void;
}

export interface PaymentSchedule {
  /** One pass now; resolves to the number of runs this instance made. */
  tick(): Promise<number>;
  stop(): void;
}

async function tenantsWithXero(deps: AppDeps): Promise<string[]> {
  const rows = await deps.db.k.selectFrom('xero_connections').select('tenant_id').distinct().where('status', '=', 'ok').execute();
  return rows.map((r) => r.tenant_id);
}

export function startPaymentSchedule(deps: AppDeps, opts: PaymentScheduleOptions = {}): PaymentSchedule {
  let running: Promise<number> | undefined;
  let stopped = false;

  async function pass(): Promise<number> {
    let runs = 0;
    for (const tenantId of await tenantsWithXero(deps)) {
      if (stopped) break;
      try {
        const minutes = await paymentIntervalMinutes(deps.db, tenantId);
        if (!(await claimScheduledRun(deps.db, tenantId, deps.now(), minutes * 60_000))) continue;
        const result = await runPaymentSync(deps, tenantId, { trigger: 'schedule', waitMs: 0 });
        runs++;
        opts.onRun?.(tenantId, result);
        if (deps.config.logLevel !== 'silent' && (result.needsAttention.length || result.errors.length)) {
          console.warn(`[payments] tenant ${tenantId}: scheduled sync checked ${result.checked}, ${result.needsAttention.length} need a person, ${result.errors.length} errors`);
        }
        // The same slot pushes approved expense reports, where the tenant asked for it (expenses/auto-push.ts).
        const expenses = await pushApprovedExpenses(deps, tenantId).catch((err: unknown) => {
          if (deps.config.logLevel !== 'silent') console.warn(`[expenses] tenant ${tenantId}: scheduled push failed (${err instanceof Error ? err.name : 'error'})`);
          return undefined;
        });
        opts.onExpenses?.(tenantId, expenses);
        // The scan is over: the tenant's exception alert ticket follows what it left needing a person (server/alerts/).
        await refreshAlert(deps, tenantId);
      } catch (err) {
        // One tenant's failure (e.g. ConnectWise down) does not stop the others; the next interval retries.
        if (deps.config.logLevel !== 'silent') console.warn(`[payments] tenant ${tenantId}: scheduled sync failed (${err instanceof Error ? err.name : 'error'})`);
      }
    }
    return runs;
  }

  function tick(): Promise<number> {
    // Ticks never overlap within an instance; across instances the DB claim decides.
    running ??= pass().finally(() => {
      running = undefined;
    });
    return running;
  }

  const tickMs = opts.tickMs ?? 60_000;
  const timer = tickMs > 0 ? setInterval(() => void tick().catch(() => undefined), tickMs) : undefined;
  timer?.unref();
  return {
    tick,
    stop() {
      stopped = true;
      if (timer) clearInterval(timer);
    },
  };
}
