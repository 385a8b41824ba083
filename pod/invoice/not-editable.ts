// Why a Xero invoice or credit note no longer takes changes, in words: the
// invoice dialog's "In Xero" card says it (XeroCounterpart's `reason`). Its own
// module so the expense tab and the purchase-order pod, which share that card,
// do not load these words (issue 12: <= 20 KB an entry).

/** Why a Xero document can no longer take changes, or null while it still can. */
export function notEditableReason(status: string, kind: 'invoice' | 'creditNote', amountPaid: string | null = null): string | null {
  const doc = kind === 'creditNote' ? 'credit note' : 'invoice';
  const partPaid = amountPaid !== null && /[1-9]/.test(amountPaid);
  if (partPaid && status.toUpperCase() === 'AUTHORISED') {
    return `Part of the ${doc} is paid in Xero, so Xero no longer accepts changes to its lines. If the ConnectWise invoice must change, issue a credit memo in ConnectWise and sync that.`;
  }
  switch (status.toUpperCase()) {
    case 'PAID':
      return `The ${doc} is paid in Xero, so Xero no longer accepts changes to it. If the ConnectWise invoice must change, issue a credit memo in ConnectWise and sync that.`;
    case 'VOIDED':
      return `The ${doc} was voided in Xero, so it cannot be changed or sent again from here. Check with your accountant before creating a replacement in ConnectWise.`;
    case 'DELETED':
      return `The ${doc} was deleted in Xero, so it cannot be changed from here.`;
    default:
      return null;
  }
}
