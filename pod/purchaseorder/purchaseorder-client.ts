// The purchase-order pod's calls to our server: the PO's sync view and the
// push, each answer checked against shared/purchase-api.ts before the pod sees it.
import type { Api } from '../lib/api.js';
import type { SyncClient } from '../invoice/use-invoice-sync.js';
import { purchaseOrderView, purchasePushResponse, type PurchaseOrderView, type PurchasePushResponse } from '../../shared/purchase-api.js';

export function fetchPurchaseOrderView(api: Api, poId: number): Promise<PurchaseOrderView> {
  return api(`/api/purchaseorders/${poId}/sync`, { method: 'GET' }, purchaseOrderView);
}

export function postPurchaseOrderPush(api: Api, poId: number): Promise<PurchasePushResponse> {
  return api(`/api/purchaseorders/${poId}/push`, { method: 'POST' }, purchasePushResponse);
}

export const PURCHASE_ORDER_CLIENT: SyncClient<PurchaseOrderView> = {
  fetchView: fetchPurchaseOrderView,
  postPush: postPurchaseOrderPush,
  noun: 'purchase order',
  surface: 'this pod',
};
