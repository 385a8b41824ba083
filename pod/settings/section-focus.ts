// Scroll to a section of the settings (a heading with data-section="<id>",
// shared/settings-sections.ts) and highlight it. Cards load their own data, so
// the heading may appear a little later: wait for it (up to 15 s).
import { SETTINGS_SECTIONS } from '../../shared/settings-sections.js';

export const FOCUSED_CLASS = 'fix-focus';

/** Starts looking for the section; returns a function that stops looking. */
export function focusSection(id: string, doc: Document = document): () => void {
  if (!Object.hasOwn(SETTINGS_SECTIONS, id)) return () => undefined;
  let done = false;
  const tryNow = (): boolean => {
    // The loaded card's heading (a card shows a "loading" heading first, without its sections).
    const heads = doc.querySelectorAll<HTMLElement>(`[data-section="${id}"]`);
    const head = heads[heads.length - 1];
    if (!head || head.closest('[data-loading="true"]')) return false;
    const card = head.closest<HTMLElement>('section.card');
    const mark = head.tagName === 'H2' && card ? card : head;
    mark.classList.add(FOCUSED_CLASS);
    mark.setAttribute('data-focused-section', id);
    head.scrollIntoView({ block: 'start' });
    return true;
  };
  const timer = setInterval(() => {
    if (done || tryNow()) stop();
  }, 100);
  const deadline = setTimeout(() => stop(), 15_000);
  function stop() {
    done = true;
    clearInterval(timer);
    clearTimeout(deadline);
  }
  if (tryNow()) stop();
  return stop;
}
