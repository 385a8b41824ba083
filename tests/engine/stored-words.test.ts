// What a run's rows keep of a mapping problem: the problem and its fix in
// words, never the live message's amounts or names (issue 12: "needs
// attention (rounding-difference)" is not words).
import { describe, expect, it } from 'vitest';
import { storableMessage } from '../../server/engine/problems.js';

describe('stored words of a mapping problem', () => {
  it('say what is wrong and the fix, without the live message', () => {
    const live = "Line 3 books to GL 4990 (Harbour Dental's support, AUD 1,234.56), which Xero does not have.";
    const stored = storableMessage('account-unknown', live, true);
    expect(stored).toMatch(/account map/);
    expect(stored).not.toMatch(/1,234|Harbour|4990|account-unknown/);
    expect(storableMessage('rounding-difference', 'differs by AUD 0.07', true)).toMatch(/^Xero's total would differ .*rounding/);
  });
  it('an unknown code still reads as words, never the bare code', () => {
    expect(storableMessage('some-new-code', 'x 12.00', true)).toBe('This record needs attention. Open it in ConnectWise and press "Sync to Xero" to see the details.');
  });
});
