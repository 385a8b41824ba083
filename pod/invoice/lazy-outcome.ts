// The last push's result (Outcome.tsx), fetched when a push has one to show:
// the first paint of the invoice dialog, the expense tab and the purchase-order
// pod does not need it (issue 12: <= 20 KB an entry).
import { lazyComponent } from '../lib/lazy.js';

export const Outcome = lazyComponent(() => import('./Outcome.js').then((m) => m.Outcome));
