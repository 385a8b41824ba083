// Issue 9 point 11: CW product ids → Xero item codes that are unique per
// product and the same on every sync; items already in Xero under the old
// truncated codes keep serving their product; product lines keep their own
// words before the catalogue's. The codes below are pinned: changing how a
// code is made would double every long-id item in every organisation.
import { describe, expect, it } from 'vitest';
import { isLegacyItemOf, legacyTruncatedItemCode, shortItemCode } from '../../server/domain/item-mapping.js';
import { parseXeroRefs } from '../../server/domain/xero-refs.js';
import type { XeroCreditNotePayload } from '../../server/domain/xero-wire.js';
import { longItemInvoice, returnedProductCreditMemo, sharedPrefixInvoice } from './fixtures/cw-invoices.js';
import { auOrg } from './fixtures/xero-orgs.js';
import { mapFixture, problemCodes } from './map-fixture.js';

const BASE = 'HPE-PROLIANT-DL380-GEN11-8SFF-CTO-B';
const PSU = 'HPE-PROLIANT-DL380-GEN11-8SFF-CTO-R';
const LEGACY = 'HPE-PROLIANT-DL380-GEN11-8SFF-';
const BASE_CODE = 'HPE-PROLIANT-DL380-GE-DEC4AFDE';
const PSU_CODE = 'HPE-PROLIANT-DL380-GE-1370A9EA';

const withItems = (items: { Code: string; Name?: string; Description?: string }[]) => parseXeroRefs({ ...auOrg, items: [...auOrg.items, ...items] });

describe('shortItemCode', () => {
  it('is the first 21 characters, "-" and 8 hex digits of SHA-256 over the whole id, at most 30 characters', () => {
    expect(shortItemCode(BASE)).toBe(BASE_CODE);
    expect(shortItemCode(PSU)).toBe(PSU_CODE);
    expect(shortItemCode('HPE-PROLIANT-DL380-GEN11-8SFF-CTO')).toBe('HPE-PROLIANT-DL380-GE-A6108AD8');
    for (const id of [BASE, PSU, 'x'.repeat(31), 'y'.repeat(500)]) {
      expect(shortItemCode(id).length).toBeLessThanOrEqual(30);
      expect(shortItemCode(id)).toMatch(/-[0-9A-F]{8}$/);
    }
  });

  it('drops trailing spaces and hyphens of the prefix, and never halves a character', () => {
    expect(shortItemCode('ABCDEFGHIJKLMNOPQRST- -XYZ-0123456789')).toBe('ABCDEFGHIJKLMNOPQRST-4A46362C');
    const emoji = `ÄÖÜ${'😀'.repeat(30)}`;
    const code = shortItemCode(emoji);
    expect(code.length).toBeLessThanOrEqual(30);
    expect(code).toBe(`ÄÖÜ${'😀'.repeat(9)}-3C22347B`);
    expect(code).not.toMatch(/[\uD800-\uDBFF](?![\uDC00-\uDFFF])/); // no lone high surrogate
  });

  it('gives ids that share their first 30 characters different codes; the old truncation gave them one', () => {
    expect(legacyTruncatedItemCode(BASE)).toBe(LEGACY);
    expect(legacyTruncatedItemCode(PSU)).toBe(LEGACY);
    expect(shortItemCode(BASE)).not.toBe(shortItemCode(PSU));
  });
});

describe('long product ids on an invoice', () => {
  it('two products sharing their first 30 characters become two Xero items, totals to the cent', () => {
    const r = mapFixture(sharedPrefixInvoice);
    expect(r.document.LineItems.map((l) => l.ItemCode)).toEqual([BASE_CODE, PSU_CODE]);
    expect(r.itemsToCreate.map((i) => [i.Code, i.Name, i.Description])).toEqual([
      [BASE_CODE, 'HPE ProLiant DL380 Gen11 8SFF CTO base server', 'HPE ProLiant DL380 Gen11 8SFF CTO base server'],
      [PSU_CODE, 'HPE 800 W flex slot power supply', 'HPE 800 W flex slot power supply'],
    ]);
    expect(problemCodes(r)).toEqual(['item-code-shortened', 'item-code-shortened']);
    expect(r.problems.map((p) => p.line)).toEqual([1, 2]);
    expect(r.totals).toMatchObject({ xeroSubtotal: '9775.00', xeroTax: '977.50', xeroTotal: '10752.50', cwTotal: '10752.50', difference: '0.00' });
    expect(r.ready).toBe(true);
  });

  it('the same product gets the same code on every sync and on every document', () => {
    const again = mapFixture(sharedPrefixInvoice);
    expect(again.document.LineItems.map((l) => l.ItemCode)).toEqual([BASE_CODE, PSU_CODE]);
    const alone = { ...sharedPrefixInvoice, transaction: { ...sharedPrefixInvoice.transaction, detail: sharedPrefixInvoice.transaction.detail!.slice(1) } };
    expect(mapFixture(alone).document.LineItems[0]?.ItemCode).toBe(PSU_CODE);
  });

  it('uses the item once Xero has the short code: nothing created, no warning', () => {
    const r = mapFixture(sharedPrefixInvoice, {}, withItems([{ Code: BASE_CODE.toLowerCase() }, { Code: PSU_CODE }]));
    expect(r.document.LineItems.map((l) => l.ItemCode)).toEqual([BASE_CODE, PSU_CODE]);
    expect(r.itemsToCreate).toEqual([]);
    expect(r.problems).toEqual([]);
  });

  it('with item creation off, a long id whose item Xero lacks blocks, naming the code and the id', () => {
    const r = mapFixture(longItemInvoice, { createMissingItems: false });
    const p = r.problems.find((x) => x.code === 'item-missing');
    expect(p).toMatchObject({ severity: 'blocking', line: 1 });
    expect(p?.message).toContain('"HPE-PROLIANT-DL380-GE-A6108AD8"');
    expect(p?.message).toContain('"HPE-PROLIANT-DL380-GEN11-8SFF-CTO"');
  });
});

describe('items created under the old truncated code', () => {
  it('the item we created for a product (its catalogue description) keeps serving it; the other product gets its own', () => {
    const refs = withItems([{ Code: LEGACY, Name: 'HPE ProLiant DL380 Gen11 8SFF CTO base server', Description: 'HPE ProLiant DL380 Gen11 8SFF CTO base server' }]);
    const r = mapFixture(sharedPrefixInvoice, {}, refs);
    expect(r.document.LineItems.map((l) => l.ItemCode)).toEqual([LEGACY, PSU_CODE]);
    expect(r.itemsToCreate.map((i) => i.Code)).toEqual([PSU_CODE]);
    expect(r.totals).toMatchObject({ xeroTotal: '10752.50', difference: '0.00' });
  });

  it('an item naming the whole product id is that product’s, in Name or Description, ignoring case', () => {
    const byName = mapFixture(sharedPrefixInvoice, {}, withItems([{ Code: LEGACY.toLowerCase(), Name: `PSU ${PSU.toLowerCase()}` }]));
    expect(byName.document.LineItems.map((l) => l.ItemCode)).toEqual([BASE_CODE, LEGACY.toLowerCase()]);
    const byDescription = mapFixture(sharedPrefixInvoice, {}, withItems([{ Code: LEGACY, Name: 'Server', Description: `Base unit (${BASE})\nconfigure to order` }]));
    expect(byDescription.document.LineItems.map((l) => l.ItemCode)).toEqual([LEGACY, PSU_CODE]);
  });

  it('an item naming a longer id that starts with this one is not this product’s', () => {
    const item = { Code: LEGACY, Name: `${BASE}X` };
    expect(isLegacyItemOf(item, BASE, 'HPE ProLiant DL380 Gen11 8SFF CTO base server')).toBe(false);
    expect(isLegacyItemOf(item, `${BASE}X`, '')).toBe(true);
  });

  it('an item with the truncated code that names neither product is left alone: both get their own codes', () => {
    const r = mapFixture(sharedPrefixInvoice, {}, withItems([{ Code: LEGACY, Name: 'Rack rails', Description: 'HPE easy install rail kit' }]));
    expect(r.document.LineItems.map((l) => l.ItemCode)).toEqual([BASE_CODE, PSU_CODE]);
    expect(r.itemsToCreate.map((i) => i.Code)).toEqual([BASE_CODE, PSU_CODE]);
  });

  it('the short code wins over a legacy item once Xero has both', () => {
    const refs = withItems([
      { Code: LEGACY, Description: 'HPE ProLiant DL380 Gen11 8SFF CTO base server' },
      { Code: BASE_CODE },
    ]);
    expect(mapFixture(sharedPrefixInvoice, {}, refs).document.LineItems[0]?.ItemCode).toBe(BASE_CODE);
  });

  it('two products with the same truncated code and the same description keep the one item they shared (nothing tells them apart)', () => {
    const same = {
      ...sharedPrefixInvoice,
      transaction: {
        ...sharedPrefixInvoice.transaction,
        detail: sharedPrefixInvoice.transaction.detail!.map((d) => (d.item ? { ...d, description: 'HPE server part', itemDescription: 'HPE server part' } : d)),
      },
    };
    const r = mapFixture(same, {}, withItems([{ Code: LEGACY, Description: 'HPE server part' }]));
    expect(r.document.LineItems.map((l) => l.ItemCode)).toEqual([LEGACY, LEGACY]);
    expect(r.itemsToCreate).toEqual([]);
  });
});

describe('product line descriptions', () => {
  const r = mapFixture(returnedProductCreditMemo);
  const doc = r.document as XeroCreditNotePayload;

  it('keeps the line’s own words when they differ from the catalogue’s, the detailed description after them', () => {
    expect(doc.LineItems[0]?.Description).toBe('Returned: Dell Latitude 5450 (serial 7HX2Q34)\nDell Latitude 5450 laptop, i7, 16 GB, 512 GB SSD (Each)');
  });

  it('a line equal to the catalogue’s but for case and spacing adds nothing', () => {
    expect(doc.LineItems[1]?.Description).toBe('Cat6 patch lead, 3 m, blue (Each)');
  });

  it('a created item carries the catalogue’s description, never the line’s', () => {
    expect(r.itemsToCreate.map((i) => [i.Code, i.Name, i.Description])).toEqual([
      ['DELL-LAT5450', 'Dell Latitude 5450 laptop, i7, 16 GB, 512 GB SSD', 'Dell Latitude 5450 laptop, i7, 16 GB, 512 GB SSD'],
      ['CAT6-3M', 'Cat6 patch lead, 3 m, blue', 'Cat6 patch lead, 3 m, blue'],
    ]);
  });

  it('is a credit note in positive amounts, to the cent', () => {
    expect(doc.Type).toBe('ACCRECCREDIT');
    expect(doc.LineItems.map((l) => [l.Quantity, l.UnitAmount, l.LineAmount])).toEqual([
      [1, 1849, 1849],
      [3, 12.1333, 36.4],
    ]);
    expect(r.totals).toMatchObject({ xeroSubtotal: '1885.40', xeroTax: '188.54', xeroTotal: '2073.94', cwTotal: '2073.94', difference: '0.00' });
    expect(r.ready).toBe(true);
  });
});
