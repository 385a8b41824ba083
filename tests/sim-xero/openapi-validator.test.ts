// The schema validator itself must fail on what it is meant to catch.
import { describe, expect, it } from 'vitest';
import { loadSchemas, validateResponse } from './openapi-validator.js';

const envelope = { Id: 'x', Status: 'OK', ProviderName: 'p', DateTimeUTC: '/Date(1700000000000)/' };

describe.skipIf(loadSchemas() === null)('OpenAPI validator', () => {
  it('accepts a documented shape', () => {
    expect(validateResponse({ ...envelope, Invoices: [{ InvoiceID: '3f1c6a0e-1b2c-4d3e-8f9a-0b1c2d3e4f50', Total: 1.5, Status: 'PAID', LineItems: [{ Description: 'x' }] }] }, 'Invoices')).toEqual([]);
  });
  it('flags undocumented properties, wrong types, bad enums and bad uuids', () => {
    const errors = validateResponse({ ...envelope, Invoices: [{ InvoiceID: 'nope', Total: '1.50', Status: 'OPEN', Foo: 1, LineItems: [{ Quantity: '2' }] }] }, 'Invoices');
    expect(errors).toEqual(expect.arrayContaining([
      '$.Invoices[0].InvoiceID: "nope" is not a uuid',
      '$.Invoices[0].Total: expected number, got string',
      '$.Invoices[0].Status: "OPEN" is not one of the documented values',
      '$.Invoices[0].Foo: property not documented in the schema',
      '$.Invoices[0].LineItems[0].Quantity: expected number, got string',
    ]));
  });
  it('checks the envelope and error bodies', () => {
    expect(validateResponse({ Invoices: [] }, 'Invoices')).toContain('$: envelope Id/Status/ProviderName/DateTimeUTC missing or malformed');
    expect(validateResponse({ ErrorNumber: 10, Type: 'ValidationException', Message: 'm', Elements: [{ Bogus: true, ValidationErrors: [{ Message: 'x' }] }] }, 'Error', 'Invoice'))
      .toEqual(['$.Elements[0].Bogus: property not documented in the schema']);
  });
});

describe.skipIf(loadSchemas() !== null)('OpenAPI validator without the reference file', () => {
  it('skipped: reference yaml absent', () => {
    expect(loadSchemas()).toBeNull();
  });
});
