// The ConnectWise side of the engine: accounting batches holding exactly our
// records (single-record batching), found by their deterministic identifiers
// before one is created, so a retry never makes a second one. Every call goes
// through the tenant's ConnectWise limiter.
import { z } from 'zod';
import type { CwClient } from '../cw/client.js';
import { CwError } from '../cw/client.js';
import { CW_DEFAULT_PRIORITY, cwLimiterFor } from '../bulk/cw-limiter.js';
import { NeedsAttention } from './errors.js';
import type { CwBatchPort } from './ports.js';
import { WHERE } from './where.js';

export const cwBatchSchema = z.object({ id: z.number().int(), batchIdentifier: z.string().nullish(), closedFlag: z.boolean().nullish() }).loose();
export type CwBatchRow = z.infer<typeof cwBatchSchema>;

/** A string inside a ConnectWise condition: backslashes and quotes escaped. */
export function cwConditionText(s: string): string {
  return `"${s.replace(/\\/g, '\\\\').replace(/"/g, '\\"')}"`;
}

/** Batches whose identifier starts with `prefix` (ours for one record), newest first. */
export async function findBatchesByPrefix(cw: CwClient, prefix: string): Promise<CwBatchRow[]> {
  const rows = await cw.get('finance/accounting/batches', z.array(cwBatchSchema), {
    query: { conditions: `batchIdentifier like ${cwConditionText(`${prefix}*`)}`, orderBy: 'id desc', pageSize: 25 },
    what: 'accounting batches',
  });
  return rows.filter((b) => (b.batchIdentifier ?? '').toLowerCase().startsWith(prefix.toLowerCase()));
}

/**
 * `priority` orders this port's calls in the tenant's ConnectWise limiter (Bottleneck's 0–9, lower
 * first; 5 is everyone else's): a batch step's later lanes wait for its first, so that lane closes
 * its batches and goes on to Xero while the others close theirs.
 */
export function createCwBatchPort(cw: CwClient, tenantId: string, priority = CW_DEFAULT_PRIORITY): CwBatchPort {
  const cwLimiter = cwLimiterFor(tenantId);
  const limiter = { schedule: <T>(fn: () => Promise<T>) => cwLimiter.schedule({ priority }, fn) };
  const port: CwBatchPort = {
    async findBatches(identifiers) {
      const out = new Map<string, number>();
      const wanted = new Map(identifiers.map((i) => [i.toLowerCase(), i] as const));
      for (let i = 0; i < identifiers.length; i += 100) {
        const part = identifiers.slice(i, i + 100);
        const conditions = `batchIdentifier in (${part.map(cwConditionText).join(',')})`;
        const rows = await limiter.schedule(() => cw.list('finance/accounting/batches', cwBatchSchema, { query: { conditions, fields: 'id,batchIdentifier' } }));
        for (const b of rows) {
          const ours = wanted.get((b.batchIdentifier ?? '').toLowerCase());
          if (ours) out.set(ours, b.id);
        }
      }
      return out;
    },
    async createBatch(identifier, glEntryIds, exportFlag) {
      const body = { batchIdentifier: identifier, [exportFlag]: true, processedRecordIds: glEntryIds.map(Number) };
      let answer: { body: unknown; location: string | null };
      try {
        answer = await limiter.schedule(() => cw.postCreated('finance/accounting/batches', body, z.unknown(), { what: 'accounting batch' }));
      } catch (err) {
        if (err instanceof CwError && err.cwStatus === 400 && /already (been )?posted|AlreadyPosted/i.test(err.message)) {
          const inBatch = /batch "([^"]+)"(?: \(id (\d+)\))?/.exec(err.message);
          const name = inBatch ? `batch "${inBatch[1]}"${inBatch[2] ? ` (id ${inBatch[2]})` : ''}` : 'another accounting batch';
          throw new NeedsAttention(
            'cw_already_posted',
            `ConnectWise has already posted this record in ${name}, which CW–Xero Sync did not make. The document is in Xero; check that the other batch was not exported to Xero as well, then mark this record as handled.`,
            WHERE.cwBatches,
          );
        }
        throw err;
      }
      // The spec answers with the batch's export, not the batch: its id is in the Location header when
      // ConnectWise sends one (else the caller looks it up by its identifier).
      const id = (answer.body as { id?: unknown } | null)?.id;
      if (typeof id === 'number') return id;
      const fromLocation = /\/finance\/accounting\/batches\/(\d+)\/?$/.exec(answer.location ?? '')?.[1];
      return fromLocation ? Number(fromLocation) : undefined;
    },
  };
  return port;
}
