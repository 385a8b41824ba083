// What the engine needs from Xero and ConnectWise, as interfaces: the
// executor is written against these, xero-port.ts and cw-port.ts implement
// them, and tests wrap them (AppFaults) to crash a step at an exact point.
import type { ContactMappingResult } from '../domain/contact-mapping.js';
import type { AllocationPlan } from '../domain/credit-allocation.js';
import type { XeroContactPayload, XeroContactRecord, XeroDocumentPayload, XeroItemPayload, XeroManualJournalPayload } from '../domain/xero-wire.js';

/** What the engine writes: an invoice, credit note, bill or bill credit note, or a manual journal. */
export type EngineDocumentPayload = XeroDocumentPayload | XeroManualJournalPayload;
import type { DocumentKindEntry, XeroDocumentRef } from './kinds.js';
import type { Problem } from './problems.js';

export type ElementResult<T> = { ok: true; value: T } | { ok: false; errors: string[] };

/** One record as the engine pushes it: computed from ConnectWise by the kind's pure mapping. In memory only. */
export interface PreparedRecord {
  kind: DocumentKindEntry;
  cwRecordId: string;
  /** The number the Xero document carries ('' where the kind has none). */
  number: string;
  glEntryIds: string[];
  xeroTenantId: string;
  /** SHA-256 of the mapped document: "changed since sync" is a different hash. */
  contentHash: string;
  /** Blocking problems: any one refuses the push. */
  problems: Problem[];
  unitdp: 2 | 4;
  /** ConnectWise holds the record in our own batch (found by our identifier): we pushed it, even if the ledger row is lost. */
  postedInOurBatch?: boolean;
  /** ConnectWise's total and currency as the document will carry them (for the ownership check and the words). */
  total: string;
  currency: string;
  contact?: {
    cwCompanyId: string;
    match: { identifier: string; name: string; accountNumber?: string | undefined };
    /** The contact payload; given what Xero holds, whether ConnectWise changed any of it. */
    map(existing?: XeroContactRecord): Pick<ContactMappingResult, 'contact' | 'changed'>;
  };
  /** The Xero payload (wire shape); its Contact is bound to the ContactID at push time. */
  document: EngineDocumentPayload;
  itemsToCreate: XeroItemPayload[];
  allocations: AllocationPlan[];
  /**
   * Payments the record itself makes once its document is approved (Wise-Pay),
   * each applied exactly once: `mark` goes into the payment's Reference and is
   * how a later push recognises the ones already made.
   */
  payments?: PlannedPayment[];
  /** The GL entries this push posts in ConnectWise, where fewer than the document's (a week's bill taking a later report). */
  postGlEntryIds?: string[];
  /**
   * Records of this same push (their cwRecordIds) that must be in Xero before
   * this record is posted in ConnectWise: an invoice waits for its cost-of-sale
   * journal, whose GL entry is the invoice's, so ConnectWise posting the
   * invoice says both are in Xero. If one is not, this record stays in Xero
   * unposted, needing attention; the next push finishes both.
   */
  closesAfter?: string[];
}

export interface PlannedPayment {
  mark: string;
  reference: string;
  accountCode: string;
  amount: string;
  date: string;
}

/** The Xero calls of the engine, for one organisation; every list call takes up to 50. */
export interface XeroEnginePort {
  getContacts(ids: string[]): Promise<XeroContactRecord[]>;
  /** Every contact (archived too) whose ContactNumber, AccountNumber or Name matches one of these. */
  findContactCandidates(q: { contactNumber: string; accountNumber?: string | undefined; name: string }[]): Promise<XeroContactRecord[]>;
  /** Creates contacts (no ContactID) and updates them (ContactID), one outcome per element. */
  saveContacts(payloads: XeroContactPayload[], idempotencyKey: string): Promise<ElementResult<XeroContactRecord>[]>;
  ensureItems(items: XeroItemPayload[], idempotencyKey: string): Promise<void>;
  getDocuments(kind: DocumentKindEntry, ids: string[]): Promise<XeroDocumentRef[]>;
  /** Documents (not deleted) carrying these numbers. */
  findDocumentsByNumber(kind: DocumentKindEntry, numbers: string[]): Promise<XeroDocumentRef[]>;
  /** PUT: creates only; a lost answer is XeroUnavailable (never retried blindly). */
  createDocuments(kind: DocumentKindEntry, payloads: EngineDocumentPayload[], unitdp: 2 | 4, idempotencyKey: string): Promise<ElementResult<XeroDocumentRef>[]>;
  /** POST by id: updates documents we own. */
  updateDocuments(kind: DocumentKindEntry, updates: { id: string; payload: EngineDocumentPayload }[], unitdp: 2 | 4, idempotencyKey: string): Promise<ElementResult<XeroDocumentRef>[]>;
  allocateCreditNote(creditNoteId: string, invoiceId: string, amount: string, date: string, idempotencyKey: string): Promise<void>;
  /** PUT Payments (summarizeErrors=false): one outcome per payment; a lost answer is XeroUnavailable (never retried blindly). */
  createPayments(payments: { documentId: string; accountCode: string; amount: string; date: string; reference: string }[], idempotencyKey: string): Promise<ElementResult<{ id: string }>[]>;
}

/** The ConnectWise side: accounting batches holding exactly our records, found by their identifiers first. */
export interface CwBatchPort {
  findBatches(identifiers: string[]): Promise<Map<string, number>>;
  /**
   * Creates a closed batch of these GL entries; answers its id when ConnectWise's
   * answer carries one (its spec types the answer as the batch's GLExport, which
   * does not), else undefined: the caller reads many batches' ids in one look-up.
   */
  createBatch(identifier: string, glEntryIds: string[], exportFlag: DocumentKindEntry['source']['exportFlag']): Promise<number | undefined>;
}
