// Opens the batch pod's full list (a window of ours) from the pod, in Chromium.
import type { Frame, Page } from 'playwright-core';

export async function openBatchList(pod: Frame, page: Page, viewport = { width: 1400, height: 1000 }): Promise<Page> {
  const [list] = await Promise.all([page.waitForEvent('popup', { timeout: 20_000 }), pod.getByTestId('open-full-list').click()]);
  await list.setViewportSize(viewport);
  await list.waitForLoadState('domcontentloaded');
  return list;
}
