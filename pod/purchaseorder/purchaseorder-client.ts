// The purchase-order pod's calls to our server: the PO's sync view and the
// push, each answer checked against shared/purchase-api.ts before the pod sees it.
import type { Api } from '../lib/api.js';
import type { SyncClient } from '../invoice/use-invoice-sync.js';
import type { PurchaseOrderView, PurchasePushResponse } from '../../shared/purchase-api.js';

export function fetchPurchaseOrderView(api: Api, poId: number): Promise<PurchaseOrderView> {
  return api<PurchaseOrderView>(`/api/purchaseorders/${poId}/sync`, { method: 'GET' });
}

export function postPurchaseOrderPush(api: Api, poId: number): Promise<PurchasePushResponse> {
  return api<PurchasePushResponse>(`/api/purchaseorders/${poId}/push`, { method: 'POST' });
}

export const PURCHASE_ORDER_CLIENT: SyncClient<PurchaseOrderView> = {
  fetchView: fetchPurchaseOrderView,
  postPush: postPurchaseOrderPush,
  noun: 'purchase order',
  surface: 'this pod',
};
