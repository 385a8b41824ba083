// GL classes as the Tracking card lists them (server/cw/tracking-values.ts):
// the distinct values of the GL account mappings' segments of type "Class",
// wherever they sit; with two Class segments each value names its caption; no
// Class segment, no classes (and glAccounts is not read).
import { describe, expect, it } from 'vitest';
import { CwClient } from '../../server/cw/client.js';
import { cwGlClasses } from '../../server/cw/tracking-values.js';

function client(captions: unknown[], accounts: Record<string, unknown>[]) {
  const asked: string[] = [];
  const fetchStub = (async (input: URL | RequestInfo) => {
    const u = new URL(String(input));
    asked.push(`${u.pathname.split('/apis/3.0/')[1]}?${u.searchParams.get('fields') ?? ''}`);
    const body = u.pathname.endsWith('glCaptions') ? captions : accounts;
    return new Response(JSON.stringify(body), { status: 200, headers: { 'content-type': 'application/json' } });
  }) as typeof fetch;
  return { cw: new CwClient({ siteUrl: 'https://cw.example', clientId: 'c', authorization: 'Basic x', fetch: fetchStub }), asked };
}

describe('cwGlClasses', () => {
  it('lists each Class segment’s distinct values, trimmed, sorted; named by caption when there are two', async () => {
    const { cw, asked } = client(
      [{ id: 1, segment1: 'Account', segment1type: 'Account', segment2: 'Region', segment2type: 'Class', segment3: 'Unit', segment3type: 'Class' }],
      [
        { id: 1, segment2: 'SYD ', segment3: 'MSP' },
        { id: 2, segment2: 'AKL' },
        { id: 3, segment2: 'SYD', segment3: '' },
      ],
    );
    expect(await cwGlClasses(cw)).toEqual([
      { value: 'AKL', name: 'AKL (Region)' },
      { value: 'MSP', name: 'MSP (Unit)' },
      { value: 'SYD', name: 'SYD (Region)' },
    ]);
    expect(asked).toEqual(['finance/glCaptions?', 'finance/glAccounts?id,segment2,segment3']);
  });

  it('one Class segment: the value is its own name', async () => {
    const { cw } = client([{ id: 1, segment1: 'Account', segment1type: 'Account', segment4: 'Class', segment4type: 'Class' }], [{ id: 1, segment4: 'North' }, { id: 2 }]);
    expect(await cwGlClasses(cw)).toEqual([{ value: 'North', name: 'North' }]);
  });

  it('no Class segment: no classes, and the GL accounts are not read', async () => {
    const { cw, asked } = client([{ id: 1, segment1: 'Account', segment1type: 'Account' }], [{ id: 1, segment1: '200' }]);
    expect(await cwGlClasses(cw)).toEqual([]);
    expect(asked).toEqual(['finance/glCaptions?']);
  });
});
