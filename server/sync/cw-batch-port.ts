// The ConnectWise side of a push: the accounting batch that holds exactly the
// pushed record (single-record batching), found by its deterministic
// batchIdentifier before it is created, so a retry never makes a second one.
import { z } from 'zod';
import type { CwClient } from '../cw/client.js';
import { CwError } from '../cw/client.js';
import { NeedsAttention, type CwPushPort } from './invoice-push.js';

export const cwBatchSchema = z.object({ id: z.number().int(), batchIdentifier: z.string().nullish(), closedFlag: z.boolean().nullish() }).loose();
export type CwBatchRow = z.infer<typeof cwBatchSchema>;

/** A string inside a ConnectWise condition: backslashes and quotes escaped. */
export function cwConditionText(s: string): string {
  return `"${s.replace(/\\/g, '\\\\').replace(/"/g, '\\"')}"`;
}

export async function findBatchByIdentifier(cw: CwClient, batchIdentifier: string): Promise<CwBatchRow | undefined> {
  const rows = await cw.get('finance/accounting/batches', z.array(cwBatchSchema), {
    query: { conditions: `batchIdentifier=${cwConditionText(batchIdentifier)}`, pageSize: 10 },
    what: 'accounting batches',
  });
  return rows.find((b) => (b.batchIdentifier ?? '').toLowerCase() === batchIdentifier.toLowerCase());
}

/** Batches whose identifier starts with `prefix` (ours for one invoice), newest first. */
export async function findBatchesByPrefix(cw: CwClient, prefix: string): Promise<CwBatchRow[]> {
  const rows = await cw.get('finance/accounting/batches', z.array(cwBatchSchema), {
    query: { conditions: `batchIdentifier like ${cwConditionText(`${prefix}*`)}`, orderBy: 'id desc', pageSize: 25 },
    what: 'accounting batches',
  });
  return rows.filter((b) => (b.batchIdentifier ?? '').toLowerCase().startsWith(prefix.toLowerCase()));
}

export function createCwPushPort(cw: CwClient): CwPushPort {
  return {
    async findBatch(batchIdentifier) {
      const b = await findBatchByIdentifier(cw, batchIdentifier);
      return b ? { id: b.id } : undefined;
    },
    async createBatch(batchIdentifier, glEntryIds) {
      const body = { batchIdentifier, exportInvoicesFlag: true, processedRecordIds: glEntryIds.map(Number) };
      try {
        // ConnectWise answers with the batch's GLExport; the batch itself is read back by identifier.
        await cw.post('finance/accounting/batches', body, z.unknown(), { what: 'accounting batch' });
      } catch (err) {
        if (err instanceof CwError && err.cwStatus === 400 && /already (been )?posted|AlreadyPosted/i.test(err.message)) {
          const inBatch = /batch "([^"]+)"(?: \(id (\d+)\))?/.exec(err.message);
          const name = inBatch ? `batch "${inBatch[1]}"${inBatch[2] ? ` (id ${inBatch[2]})` : ''}` : 'another accounting batch';
          throw new NeedsAttention(
            'cw_already_posted',
            `ConnectWise has already posted this invoice in ${name}, which CW–Xero Sync did not make. The document is in Xero; check that the other batch was not exported to Xero as well, then mark this invoice as handled.`,
            'ConnectWise › Finance › Accounting Interface › Batches',
          );
        }
        throw err;
      }
      const created = await findBatchByIdentifier(cw, batchIdentifier);
      if (!created) throw new Error('ConnectWise created the accounting batch but does not list it');
      return { id: created.id };
    },
  };
}
