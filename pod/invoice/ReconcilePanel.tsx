// The "Reconcile" tab of the invoice dialog: ConnectWise vs Xero, field by
// field (issue 5). Placeholder until the panel is built.
export function ReconcilePanel({ invoiceId }: { invoiceId: number }) {
  return <section class="card" aria-label="Reconcile" data-invoice-id={invoiceId}>Reconcile view coming soon.</section>;
}
