// Audit rows in words for the history and activity lists (issue 13): the
// stored action and outcome codes, and a time in the browser's locale.

const ACTIONS: Record<string, string> = {
  'invoice.push': 'Push',
  'expense.push': 'Push',
  'purchase.push': 'Push',
  'payment.synced': 'Payments synced',
  'invoice.run': 'Batch run',
  'expense.run': 'Batch run',
  'procurement.run': 'Batch run',
  'session.created': 'Signed in',
  'session.refused': 'Sign-in refused',
  'settings.saved': 'Settings saved',
  'settings.imported': 'Settings imported',
};

export function auditActionWords(action: string): string {
  return ACTIONS[action] ?? action;
}

export function outcomeWords(outcome: string): string {
  const s = outcome.replace(/_/g, ' ');
  return s.charAt(0).toUpperCase() + s.slice(1);
}

/** "9 Apr 2026, 14:05" in the browser's locale. */
export function auditWhen(iso: string, locale?: string): string {
  const d = new Date(iso);
  return Number.isNaN(d.getTime()) ? iso : d.toLocaleString(locale, { day: 'numeric', month: 'short', year: 'numeric', hour: '2-digit', minute: '2-digit' });
}
