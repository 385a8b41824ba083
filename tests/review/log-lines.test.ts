// No accounting data in log lines: an unexpected error's text is withheld
// (a library's message can quote the value it choked on), its name and
// where it was thrown are kept.
import { Hono } from 'hono';
import { afterEach, expect, it, vi } from 'vitest';
import Decimal from 'decimal.js';
import { ApiError, errorResponse, loggableError } from '../../server/http/errors.js';

afterEach(() => vi.restoreAllMocks());

function decimalError(): unknown {
  try {
    new Decimal('1047.75 Harbour Dental'); // decimal.js: "[DecimalError] Invalid argument: 1047.75 Harbour Dental"
  } catch (err) {
    return err;
  }
  throw new Error('decimal.js accepted it');
}

it('an unexpected error on a route is logged without its message, and answered 500 in words', async () => {
  const lines: string[] = [];
  vi.spyOn(console, 'error').mockImplementation((...a: unknown[]) => void lines.push(a.map(String).join(' ')));
  const app = new Hono();
  app.onError((err, c) => errorResponse(c, err));
  app.get('/boom', () => {
    throw decimalError();
  });
  const res = await app.request('/boom');
  expect(res.status).toBe(500);
  expect(JSON.stringify(await res.json())).not.toMatch(/1047|Harbour/);
  expect(lines).toHaveLength(1);
  expect(lines[0]).not.toMatch(/1047|Harbour/);
  expect(lines[0]).toMatch(/unexpected error on GET \/boom: .*withheld/);
  expect(lines[0]).toMatch(/\n\s+at /); // where it was thrown is kept
});

it('what the bulk job engine logs of a failed step: our ApiError words kept, anything else withheld', () => {
  expect(loggableError(new ApiError(503, 'xero_unavailable', 'Xero did not answer the new invoice'))).toBe('xero_unavailable: Xero did not answer the new invoice');
  expect(loggableError(decimalError())).not.toMatch(/1047|Harbour/);
  expect(loggableError('{"Contact":{"Name":"Harbour Dental Group"}}')).not.toMatch(/Harbour/);
});
