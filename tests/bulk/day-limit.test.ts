// Xero's daily allowance spent mid-run: the run stops cleanly — no record
// failed, the rest still pending, the run says it resumes tomorrow — instead
// of turning records red or showing a 429.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { api, startBulkStack, type BulkStack } from './harness.js';
import { seed, waitForRun, xeroDocs } from './checks.js';

let stack: BulkStack;
beforeAll(async () => {
  // 59 a day: the organisation facts (6 calls) and the first chunk (the
  // customers' candidate lookup, contacts, invoices) bring what is left to our
  // reserve of 50, so the second chunk waits for tomorrow.
  stack = await startBulkStack({ engine: 'sqlite', xeroLimits: { perDay: 59 } });
}, 60_000);
afterAll(async () => stack?.close());

describe("Xero's daily limit", () => {
  it('pauses the run with "resumes tomorrow" and fails nothing', async () => {
    const { inst, token } = await stack.first();
    const { glEntryIds } = await seed(stack, 200, 20);
    const started = await api(inst.url, token, 'POST', '/api/batch/runs', { glEntryIds });
    const v = await waitForRun(inst.url, token, started.body.id, (r) => r.status === 'waiting_day', 60_000);
    expect(v.counts.failed).toBe(0);
    expect(v.counts.done).toBeGreaterThan(0);
    expect(v.counts.remaining).toBeGreaterThan(0);
    expect(v.counts.done + v.counts.remaining).toBe(200);
    expect(v.waiting).toMatchObject({ reason: 'xero_day' });
    expect(v.waiting.message).toMatch(/resumes tomorrow/);
    expect(Date.parse(v.waiting.until)).toBeGreaterThan(Date.now() + 3600_000);
    expect(v.items.every((i: { state: string }) => i.state === 'synced' || i.state === 'pending')).toBe(true);
    // What is done is in Xero once; nothing of the rest was sent.
    const docs = xeroDocs(stack);
    const synced = v.items.filter((i: { state: string }) => i.state === 'synced');
    for (const i of synced) expect(docs.get(`INV-${i.cwInvoiceId}`)?.count).toBe(1);
    for (const i of v.items.filter((x: { state: string }) => x.state === 'pending')) expect(docs.has(`INV-${i.cwInvoiceId}`)).toBe(false);
  }, 90_000);
});
