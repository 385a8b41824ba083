// Browser tests that change what a GET answers: since issue 12 a surface's first
// reads come with the sign-in (POST /api/session's `first`), so an edit must
// apply there too, or the first paint shows the server's own answer.
import type { BrowserContext } from 'playwright-core';

type Body = Record<string, unknown>;

/**
 * Edits the 200 answers of GETs whose URL matches `glob` (as the GET itself, and as a first read answered
 * with the sign-in whose path `isPath` accepts), in the order they arrive. Returns what undoes it.
 */
export async function editGetAnswers(context: BrowserContext, glob: string, isPath: (path: string) => boolean, edit: (body: Body) => Body): Promise<() => Promise<void>> {
  await context.route('**/api/session', async (route) => {
    const res = await route.fetch();
    const body = (await res.json()) as Body & { first?: { path: string; status: number; body: Body }[] };
    const first = body.first?.map((a) => (isPath(a.path) && a.status === 200 ? { ...a, body: edit(a.body) } : a));
    await route.fulfill({ response: res, json: { ...body, ...(first ? { first } : {}) } });
  });
  await context.route(glob, async (route) => {
    if (route.request().method() !== 'GET') return route.continue();
    const res = await route.fetch();
    if (res.status() !== 200) return route.fulfill({ response: res });
    await route.fulfill({ response: res, json: edit((await res.json()) as Body) });
  });
  return async () => {
    await context.unroute(glob);
    await context.unroute('**/api/session');
  };
}
