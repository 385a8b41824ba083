// Procurement endpoints (read-only, as the sync needs): purchase orders and
// their line items, warehouses and bins, the product catalog and its
// sub-categories (procurement/subcategories; the published spec spells the
// list path with a trailing slash, both spellings are served), inventory
// adjustments (+ details, types) and finance/accounting/unpostedprocurement.
// ConnectWise's REST API has no endpoint for warehouse transfers (they are
// made in Inventory › Transfer); they reach an integration only through
// unpostedprocurement (procurementType "Transfer") and the export.
import { Hono } from 'hono';
import type { CwSchemas } from '../../../shared/cw-types.js';
import type { SimContext, SimEnv } from '../context.js';
import { notFound } from '../errors.js';
import { countResponse, idsAskedFor, listResponse, trimRecord } from '../list.js';
import { info } from '../seed-records.js';
import { collection } from '../routes/collection.js';
import { toUnpostedProcurement, unpostedProcurementEntries } from './gl-export.js';
import { toCwAdjustment, toCwAdjustmentDetail, toCwBins, toCwLineItem, toCwPurchaseOrder, toCwWarehouse } from './views.js';

export function procurementRoutes(ctx: SimContext): Hono<SimEnv> {
  const app = new Hono<SimEnv>();
  const s = () => ctx.state;
  const findPo = (id: string) => {
    const po = s().procurement.purchaseOrders.find((p) => p.id === Number(id));
    if (!po) throw notFound(`PurchaseOrder ${id}`);
    return po;
  };
  const findAdjustment = (id: string) => {
    const a = s().procurement.adjustments.find((x) => x.id === Number(id));
    if (!a) throw notFound(`ProcurementAdjustment ${id}`);
    return a;
  };

  collection(app, '/procurement/purchaseorders', 'PurchaseOrder', () => s().procurement.purchaseOrders.map((po) => toCwPurchaseOrder(s(), po)));
  const lineItems = (id: string) => {
    const po = findPo(id);
    return po.lines.map((l) => toCwLineItem(s(), po, l));
  };
  app.get('/procurement/purchaseorders/:parentId{[0-9]+}/lineitems', (c) => listResponse(c, lineItems(c.req.param('parentId'))));
  app.get('/procurement/purchaseorders/:parentId{[0-9]+}/lineitems/count', (c) => countResponse(c, lineItems(c.req.param('parentId'))));
  app.get('/procurement/purchaseorders/:parentId{[0-9]+}/lineitems/:id{[0-9]+}', (c) => {
    const rec = lineItems(c.req.param('parentId')).find((l) => l.id === Number(c.req.param('id')));
    if (!rec) throw notFound(`PurchaseOrderLineItem ${c.req.param('id')}`);
    return c.json(trimRecord(c, rec));
  });

  collection(app, '/procurement/warehouses', 'Warehouse', () => s().procurement.warehouses.map((w) => toCwWarehouse(s(), w)));
  collection(app, '/procurement/warehouseBins', 'WarehouseBin', () => toCwBins(s()));
  collection(app, '/procurement/catalog', 'CatalogItem', () =>
    s().products.map(
      (p): CwSchemas['CatalogItem'] => ({
        id: p.id,
        identifier: p.identifier,
        description: p.description,
        customerDescription: p.description,
        productClass: p.inventory ? 'Inventory' : 'NonInventory',
        unitOfMeasure: { ...p.unitOfMeasure },
        ...(() => {
          const sc = s().subCategories.find((x) => x.id === p.subCategoryId);
          return sc ? { category: { ...sc.category }, subcategory: { id: sc.id, name: sc.name } } : {};
        })(),
        inactiveFlag: false,
        serializedFlag: false,
        taxableFlag: true,
        _info: {},
      }),
    ),
  );

  const subCategories = () =>
    s().subCategories.map(
      (sc): CwSchemas['SubCategory'] => ({ id: sc.id, name: sc.name, inactiveFlag: sc.inactiveFlag, defaultFlag: false, category: { ...sc.category }, _info: info('procurement/subcategories', sc.id) }),
    );
  collection(app, '/procurement/subcategories', 'SubCategory', subCategories);
  app.get('/procurement/subcategories/', (c) => {
    const ids = idsAskedFor(c);
    return listResponse(c, ids ? subCategories().filter((r) => ids.has(r.id!)) : subCategories());
  });

  collection(app, '/procurement/adjustments/types', 'AdjustmentType', () => s().procurement.adjustmentTypes.map((t) => ({ ...t, auditTrailFlag: false, _info: {} })));
  collection(app, '/procurement/adjustments', 'ProcurementAdjustment', () => s().procurement.adjustments.map((a) => toCwAdjustment(s(), a)));
  const details = (id: string) => {
    const a = findAdjustment(id);
    return a.details.map((d) => toCwAdjustmentDetail(s(), a, d));
  };
  app.get('/procurement/adjustments/:parentId{[0-9]+}/details', (c) => listResponse(c, details(c.req.param('parentId'))));
  app.get('/procurement/adjustments/:parentId{[0-9]+}/details/count', (c) => countResponse(c, details(c.req.param('parentId'))));
  app.get('/procurement/adjustments/:parentId{[0-9]+}/details/:id{[0-9]+}', (c) => {
    const rec = details(c.req.param('parentId')).find((d) => d.id === Number(c.req.param('id')));
    if (!rec) throw notFound(`AdjustmentDetail ${c.req.param('id')}`);
    return c.json(trimRecord(c, rec));
  });

  collection(app, '/finance/accounting/unpostedprocurement', 'UnpostedProcurement', () => unpostedProcurementEntries(s()).map((e) => toUnpostedProcurement(s(), e)));
  return app;
}
