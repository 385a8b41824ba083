// Entry of the tab on the expense report screen.
import { bootPod } from '../lib/boot.js';
import { ExpenseTab } from './ExpenseTab.js';

bootPod('Expense report', (ctx) => <ExpenseTab ctx={ctx} />);
