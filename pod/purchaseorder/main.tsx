// Entry of the pod on the purchase order screen.
import { bootPod } from '../lib/boot.js';
import { PurchaseOrderPod } from './PurchaseOrderPod.js';

bootPod('Purchase order', (ctx) => <PurchaseOrderPod ctx={ctx} />);
