// The pods' money formatting is the one in shared/money-format.ts (the server's words use it too).
export { formatAmount, formatMoney, formatQuantity } from '../../shared/money-format.js';
