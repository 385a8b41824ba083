// What stops the push (and what merely qualifies it), each with where a person fixes it.
import type { InvoiceSyncView, SyncProblem } from '../../shared/api.js';
import { FixIn } from '../lib/fix-link.js';

export interface ShownProblem {
  blocking: boolean;
  text: string;
  where: string | null;
}

/** A problem of a previewed document (an invoice's, an expense bill's): blocking or a warning. */
export interface PreviewProblem {
  severity: string;
  text: string;
  fixWhere: string;
}

/**
 * The view's problems (what blocks the push) and the preview's (including
 * warnings), once each: the server may report the same problem in both.
 */
export function collectProblems(view: InvoiceSyncView): ShownProblem[] {
  return mergeProblems(view.problems, view.preview?.problems ?? []);
}

/** A record's blocking problems, then a document's own, each text once, blocking ones first. */
export function mergeProblems(blocking: SyncProblem[], previewProblems: PreviewProblem[]): ShownProblem[] {
  const out: ShownProblem[] = blocking.map((p) => ({ blocking: true, text: p.message, where: p.where ?? null }));
  const seen = new Set(out.map((p) => p.text));
  for (const p of previewProblems) {
    if (seen.has(p.text)) continue;
    seen.add(p.text);
    out.push({ blocking: p.severity === 'blocking', text: p.text, where: p.fixWhere || null });
  }
  return out.sort((a, b) => Number(b.blocking) - Number(a.blocking));
}

export function ProblemList({ problems, subject = 'this', warningTitle = 'Worth knowing before you push' }: { problems: ShownProblem[]; subject?: string; warningTitle?: string }) {
  if (problems.length === 0) return null;
  const blocking = problems.filter((p) => p.blocking).length;
  return (
    <section class={`problems ${blocking ? 'problems-blocking' : 'problems-warning'}`} data-testid="sync-problems" aria-label="Problems">
      <strong class="problems-title">
        {blocking ? `${blocking === 1 ? 'One thing' : `${blocking} things`} to fix before ${subject} can go to Xero` : warningTitle}
      </strong>
      <ul>
        {problems.map((p, i) => (
          <li key={i} class={p.blocking ? 'problem problem-blocking' : 'problem problem-warning'} data-testid="sync-problem">
            <span class="problem-text">{p.text}</span>
            {p.where ? (
              <FixIn where={p.where} class="problem-where" testId="problem-where" lead={false} />
            ) : null}
          </li>
        ))}
      </ul>
    </section>
  );
}
