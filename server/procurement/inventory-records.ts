// Inventory journals as the engine pushes them: one rule for turning a
// journal mapping (server/domain/inventory-journal-mapping.ts) into a
// PreparedRecord of inventoryJournalKind, for cost of sale (riding in its
// invoice's push), adjustments and transfers (procurement runs), and the
// ledger's record ids of journals. Nothing here is stored.
import type { JournalKind, JournalMappingResult } from '../domain/inventory-journal-mapping.js';
import { inventoryJournalKind } from '../engine/kinds.js';
import type { PreparedRecord } from '../engine/ports.js';
import { blockingProblems, type Problem } from '../engine/problems.js';

const RECORD_PREFIX: Record<JournalKind, string> = { costOfSale: 'cogs', adjustment: 'adj', transfer: 'xfer' };

/**
 * The ledger's record id of a journal: `cogs-{invoice id}`, `adj-{GL entry id}`,
 * `xfer-{GL entry id}` (record kind 'inventory').
 */
export function journalRecordId(kind: JournalKind, id: string | number): string {
  return `${RECORD_PREFIX[kind]}-${id}`;
}

/** A record id's journal kind and ConnectWise id, or undefined for anything else. */
export function parseJournalRecordId(recordId: string): { kind: JournalKind; id: string } | undefined {
  const m = /^(cogs|adj|xfer)-([0-9]{1,18})$/.exec(recordId);
  if (!m) return undefined;
  const kind = (Object.entries(RECORD_PREFIX).find(([, p]) => p === m[1])![0]) as JournalKind;
  return { kind, id: m[2]! };
}

/**
 * Pure: a mapped journal → the engine's record. Its "number" is the
 * Narration's reference (the engine finds a journal made before a lost answer
 * by it); its total the debits; journals are in the organisation's base
 * currency. `postGlEntryIds: []` for a journal whose GL entry another record
 * posts (cost of sale: the invoice's batch closes it).
 */
export function toPreparedJournal(
  mapping: JournalMappingResult,
  args: { cwRecordId: string; xeroTenantId: string; currency: string; postGlEntryIds?: string[]; extraProblems?: Problem[]; postedInOurBatch?: boolean },
): PreparedRecord {
  return {
    kind: inventoryJournalKind,
    cwRecordId: args.cwRecordId,
    number: mapping.reference,
    glEntryIds: mapping.glEntryIds,
    xeroTenantId: args.xeroTenantId,
    contentHash: mapping.contentHash,
    problems: [...blockingProblems(mapping.problems), ...(args.extraProblems ?? [])],
    unitdp: mapping.unitdp,
    total: mapping.totals.debits,
    currency: args.currency,
    document: mapping.document,
    itemsToCreate: [],
    allocations: [],
    ...(args.postGlEntryIds ? { postGlEntryIds: args.postGlEntryIds } : {}),
    ...(args.postedInOurBatch ? { postedInOurBatch: true } : {}),
  };
}
