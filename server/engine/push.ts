// The engine's thin entry points: the ports of one organisation for a unit of
// work (with any test faults from AppDeps), and a run of records through the
// executor. The dialog's push and a batch run both come here.
import type { AppDeps } from '../deps.js';
import type { CwClient } from '../cw/client.js';
import { withContactDirectory, type ContactDirectory } from './contact-directory.js';
import { createCwBatchPort } from './cw-port.js';
import { runRecords, type RecordOutcome, type RunContext } from './executor.js';
import { Ledger } from './ledger.js';
import { rememberItems } from './org-facts.js';
import type { CwBatchPort, PreparedRecord, XeroEnginePort } from './ports.js';
import type { Priority } from './scheduler.js';
import { xeroTransport } from './transport.js';
import { createXeroPort } from './xero-port.js';

export function enginePorts(deps: AppDeps, tenantId: string, xeroTenantId: string, priority: Priority, cw: CwClient, step: Pick<PushOptions, 'contacts' | 'cwPriority'> = {}): { xero: XeroEnginePort; cw: CwBatchPort } {
  const port = createXeroPort(xeroTransport(deps, tenantId, xeroTenantId), priority);
  const xero = step.contacts ? withContactDirectory(port, step.contacts) : port;
  const batches = createCwBatchPort(cw, tenantId, step.cwPriority);
  const f = deps.faults;
  return { xero: f?.xeroPort ? f.xeroPort(xero) : xero, cw: f?.cwPort ? f.cwPort(batches) : batches };
}

export interface PushOptions {
  priority: Priority;
  leaseOwner: string;
  batching?: RunContext['batching'];
  cancelled?: RunContext['cancelled'];
  onOutcome?: RunContext['onOutcome'];
  checkedContacts?: RunContext['checkedContacts'];
  /** A batch step's contacts, read once for all its chunks (contact-directory.ts). */
  contacts?: ContactDirectory;
  /** A batch step's lane: its place in the ConnectWise limiter's queue (cw-port.ts). */
  cwPriority?: number;
  /** Called once the push's Xero work is done, before its ConnectWise batches are closed (executor.ts). */
  xeroDone?: RunContext['xeroDone'];
}

/** Pushes records of one organisation (≤ 50) through the one executor. */
export async function pushRecords(deps: AppDeps, tenantId: string, xeroTenantId: string, cw: CwClient, records: PreparedRecord[], opts: PushOptions): Promise<RecordOutcome[]> {
  const ports = enginePorts(deps, tenantId, xeroTenantId, opts.priority, cw, opts);
  return runRecords(
      {
        tenantId,
        xeroTenantId,
        ledger: new Ledger(deps.db, deps.now),
        ...ports,
        leaseOwner: opts.leaseOwner,
        batching: opts.batching ?? 'record',
        ...(opts.cancelled ? { cancelled: opts.cancelled } : {}),
        ...(opts.onOutcome ? { onOutcome: opts.onOutcome } : {}),
        ...(opts.checkedContacts ? { checkedContacts: opts.checkedContacts } : {}),
        ...(opts.xeroDone ? { xeroDone: opts.xeroDone } : {}),
        onItemsCreated: (codes) => rememberItems(deps, tenantId, xeroTenantId, codes),
      },
      records,
    );
}
