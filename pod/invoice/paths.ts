// The GET paths of an invoice's reads: the dialog's own calls (sync-client.ts) and the first reads
// its entry asks for with the sign-in (main.tsx), in a module of no weight so the entry starts light.
export const invoicePaths = {
  summary: (id: number) => `/api/invoices/${id}`,
  sync: (id: number) => `/api/invoices/${id}/sync`,
  status: '/api/xero/status',
};
