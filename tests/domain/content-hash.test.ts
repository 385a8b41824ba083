import { describe, expect, it } from 'vitest';
import {
  IDEMPOTENCY_KEY_MAX,
  canonicalJson,
  contentHash,
  idempotencyKey,
  normaliseGlEntryIds,
} from '../../server/domain/content-hash.js';
import { productInvoice, standardTimeBilling } from './fixtures/cw-invoices.js';
import { mapFixture } from './map-fixture.js';

describe('content hash', () => {
  it('canonical JSON sorts keys at every level and drops undefined', () => {
    expect(canonicalJson({ b: 1, a: { d: [1, 'x'], c: undefined, b: true } })).toBe('{"a":{"b":true,"d":[1,"x"]},"b":1}');
  });

  it('same input → same hash, whatever the key order', () => {
    const a = mapFixture(standardTimeBilling);
    const b = mapFixture(standardTimeBilling);
    expect(a.contentHash).toMatch(/^[0-9a-f]{64}$/);
    expect(b.contentHash).toBe(a.contentHash);
    const reordered = Object.fromEntries(Object.entries(a.document).reverse());
    expect(contentHash(reordered)).toBe(a.contentHash);
    expect(contentHash(a.document)).toBe(a.contentHash);
  });

  it('a changed line → a different hash', () => {
    const detail = structuredClone(standardTimeBilling.transaction.detail!);
    detail[0] = { ...detail[0], description: 'Remote support (after-hours)' };
    const changed = mapFixture({ ...standardTimeBilling, transaction: { ...standardTimeBilling.transaction, detail } });
    expect(changed.contentHash).not.toBe(mapFixture(standardTimeBilling).contentHash);
    // A cent on one line changes it too.
    const cent = structuredClone(productInvoice.transaction.detail!);
    cent[2] = { ...cent[2], itemPrice: 12.51, total: 50.04 };
    const c = mapFixture({ ...productInvoice, transaction: { ...productInvoice.transaction, detail: cent } });
    expect(c.contentHash).not.toBe(mapFixture(productInvoice).contentHash);
  });

  it('settings that change the document change the hash', () => {
    expect(mapFixture(standardTimeBilling, { invoiceNumberPrefix: 'CW-' }).contentHash).not.toBe(mapFixture(standardTimeBilling).contentHash);
  });
});

describe('idempotency key', () => {
  const hash = mapFixture(standardTimeBilling).contentHash;

  it('is deterministic and within Xero’s 128 characters', () => {
    const k = idempotencyKey('democo', '501,502', hash);
    expect(k).toBe(idempotencyKey('democo', '501,502', hash));
    expect(k).toMatch(/^cwx1-doc-[0-9a-f]{64}$/);
    expect(k.length).toBeLessThanOrEqual(IDEMPOTENCY_KEY_MAX);
    expect(idempotencyKey('democo', ['1'], hash, 'abcdefghijklmnop').length).toBeLessThanOrEqual(IDEMPOTENCY_KEY_MAX);
  });

  it('treats GL entry ids as a set', () => {
    expect(idempotencyKey('democo', '502, 501', hash)).toBe(idempotencyKey('democo', [501, 502], hash));
    expect(normaliseGlEntryIds(' 12,11, 12,,9')).toEqual(['9', '11', '12']);
  });

  it('differs by tenant, GL entries, content and purpose', () => {
    const k = idempotencyKey('democo', '501,502', hash);
    expect(idempotencyKey('otherco', '501,502', hash)).not.toBe(k);
    expect(idempotencyKey('democo', '501', hash)).not.toBe(k);
    expect(idempotencyKey('democo', '501,502', 'f'.repeat(64))).not.toBe(k);
    expect(idempotencyKey('democo', '501,502', hash, 'contact')).not.toBe(k);
  });

  it('refuses what would make a meaningless key', () => {
    expect(() => idempotencyKey('', '1', hash)).toThrow(RangeError);
    expect(() => idempotencyKey('democo', '', hash)).toThrow(RangeError);
    expect(() => idempotencyKey('democo', '1', 'nothex')).toThrow(RangeError);
  });
});
