// The server's chip names → the shared status chip's, and Xero's document
// statuses in the words Xero's own screens use. Why an invoice no longer takes
// changes is in not-editable.ts (only the invoice dialog says it).
import type { SyncChip } from '../../shared/api.js';
import type { SyncStatus } from '../lib/ui.js';

export function chipStatus(chip: SyncChip): SyncStatus {
  return chip === 'needs_attention' ? 'attention' : chip;
}

export { xeroStatusWords } from '../../shared/xero-status.js';
