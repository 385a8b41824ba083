// Our wire-shape documents go through xero-node's own serialiser unchanged:
// the SDK knows every field name we send.
import { Invoice, ObjectSerializer } from 'xero-node';
import { describe, expect, it } from 'vitest';
import { mapContact } from '../../server/domain/contact-mapping.js';
import { withContactId } from '../../server/domain/invoice-mapping.js';
import { contactModel, contactRecord, creditNoteModel, invoiceModel, itemModel, xeroRefsFromModels } from '../../server/domain/xero-node-models.js';
import { parseXeroRefs } from '../../server/domain/xero-refs.js';
import type { XeroCreditNotePayload, XeroInvoicePayload } from '../../server/domain/xero-wire.js';
import { acmeCompany, acmeCustomer, bobBilling, janePrimary } from './fixtures/cw-customers.js';
import { creditMemo, productInvoice } from './fixtures/cw-invoices.js';
import { mapFixture } from './map-fixture.js';

describe('xero-node models', () => {
  it('an invoice payload becomes an SDK Invoice and serialises back to exactly the same JSON', () => {
    const r = mapFixture(productInvoice);
    const doc = withContactId(r.document as XeroInvoicePayload, '3a1b2c3d-0000-4000-8000-000000000001');
    const model = invoiceModel(doc);
    expect(model).toBeInstanceOf(Invoice);
    expect(model.type).toBe(Invoice.TypeEnum.ACCREC);
    expect(model.lineItems?.[1]?.unitAmount).toBe(33.3333);
    expect(model.contact?.contactID).toBe('3a1b2c3d-0000-4000-8000-000000000001');
    const back = JSON.parse(JSON.stringify(ObjectSerializer.serialize(model, 'Invoice')));
    expect(back).toEqual(doc);
  });

  it('credit notes, items and contacts too', () => {
    const cn = mapFixture(creditMemo).document as XeroCreditNotePayload;
    expect(JSON.parse(JSON.stringify(ObjectSerializer.serialize(creditNoteModel(cn), 'CreditNote')))).toEqual(cn);
    const item = mapFixture(productInvoice).itemsToCreate[0]!;
    expect(JSON.parse(JSON.stringify(ObjectSerializer.serialize(itemModel(item), 'Item')))).toEqual(item);
    const contact = mapContact({ company: acmeCompany, customer: acmeCustomer, billingContact: bobBilling, primaryContact: janePrimary, settings: { contactAccountNumber: true } }).contact;
    const model = contactModel(contact);
    expect(JSON.parse(JSON.stringify(contactRecord(model)))).toEqual(contact);
  });

  it('builds the mapping’s organisation facts from SDK models', () => {
    const refs = parseXeroRefs(
      xeroRefsFromModels({
        accounts: [ObjectSerializer.deserialize({ Code: '200', Status: 'ACTIVE', Type: 'REVENUE' }, 'Account')],
        taxRates: [ObjectSerializer.deserialize({ TaxType: 'OUTPUT', Status: 'ACTIVE', EffectiveRate: 10, CanApplyToRevenue: true }, 'TaxRate')],
        items: [ObjectSerializer.deserialize({ Code: 'CAT6-305' }, 'Item')],
        trackingCategories: [ObjectSerializer.deserialize({ Name: 'Region', Status: 'ACTIVE', Options: [{ Name: 'Sydney', Status: 'ACTIVE' }] }, 'TrackingCategory')],
        currencies: [ObjectSerializer.deserialize({ Code: 'USD' }, 'Currency')],
        baseCurrency: 'AUD',
      }),
    );
    expect(refs.accounts[0]).toMatchObject({ Code: '200', Status: 'ACTIVE' });
    expect(refs.taxRates[0]).toMatchObject({ TaxType: 'OUTPUT', EffectiveRate: 10 });
    expect(refs.trackingCategories[0]?.Options[0]?.Name).toBe('Sydney');
    expect(refs.currencies).toEqual([{ Code: 'USD' }]);
  });
});
