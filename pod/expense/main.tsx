// Entry of the tab on the expense report screen.
import { bootPod } from '../lib/boot.js';
import { RecordPlaceholder } from '../lib/record-placeholder.js';

bootPod('Expense report', (ctx) => (
  <RecordPlaceholder ctx={ctx} recordLabel="Expense report" coming="Turning this expense report into Xero bills is coming soon." />
));
