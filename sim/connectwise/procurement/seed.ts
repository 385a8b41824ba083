// Procurement seed: three vendors (companies of type Vendor, with contacts),
// two Sydney warehouses with their own inventory accounts, five purchase
// orders and their receipts, two closed adjustments and one transfer.
// GL entry ids (UnpostedProcurement ids, processedRecordIds): receipts 7101–,
// adjustments 7201–, transfers 7301–.
//
//   PO 3001  Ingram, fully received on one packing slip (PS-1001) with freight:
//            inventory parts into the Sydney warehouse + a non-inventory licence line
//   PO 3002  Dicker Data, two deliveries: PS-2001 (half of line 1, received with
//            "clone rest", and a reel into the Parramatta depot), PS-2002 (the cloned
//            rest, with the freight)
//   PO 3003  Ingram, drop-shipped to Harbour Dental (PS DS-3003)
//   PO 3004  Dicker Data, line 1 received (PS-4001), line 2 still waiting
//   PO 3005  Exeed (NZ, NZD), 15 of 20 seats received, the rest cancelled (NZ-5001)
//   ADJ-0001 write-off of 3 damaged patch leads; ADJ-0002 revaluation of 4 U6 Pros
//   Transfer 1: 2 laptops from the Sydney warehouse to the Parramatta depot
import type { CwCompany, CwContact } from '../../../shared/cw-types.js';
import type { ProcurementState, SimPoLine, SimPurchaseOrder } from './model.js';
import { COUNTRY_IDS, info, seedContact } from '../seed-records.js';


export const VENDOR_TYPE = { id: 5, name: 'Vendor' };

interface VendorSeed {
  id: number;
  identifier: string;
  name: string;
  accountNumber: string;
  phone: string;
  address: [string, string, string, string, string];
  locationId: number;
  locationName: string;
  termsId: number;
  termsName: string;
  taxCode: { id: number; name: string };
  currency: { id: number; currencyCode: string; symbol: string; name: string };
  ap: [string, string, string, string];
  rep: [string, string, string, string];
}

const AUD = { id: 1, currencyCode: 'AUD', symbol: '$', name: 'Australian Dollar' };
const NZD = { id: 2, currencyCode: 'NZD', symbol: '$', name: 'New Zealand Dollar' };
const countries = COUNTRY_IDS;

const vendorSeeds: VendorSeed[] = [
  { id: 260, identifier: 'IngramAU', name: 'Ingram Micro Australia Pty Ltd', accountNumber: 'V-INGRAM', phone: '+61 2 9381 6000', address: ['61 Dunning Avenue', 'Rosebery', 'NSW', '2018', 'Australia'], locationId: 1, locationName: 'Sydney', termsId: 1, termsName: 'Net 30', taxCode: { id: 1, name: 'GST' }, currency: AUD, ap: ['Sarah', 'Lim', 'ar.au@ingram.example', '+61 2 9381 6010'], rep: ['Tom', 'Baker', 'tom.baker@ingram.example', '+61 412 555 101'] },
  { id: 261, identifier: 'DickerData', name: 'Dicker Data Limited', accountNumber: 'V-DICKER', phone: '+61 2 8556 8800', address: ['230 Captain Cook Drive', 'Kurnell', 'NSW', '2231', 'Australia'], locationId: 1, locationName: 'Sydney', termsId: 2, termsName: 'Net 14', taxCode: { id: 1, name: 'GST' }, currency: AUD, ap: ['Megan', 'Ross', 'credit@dickerdata.example', '+61 2 8556 8810'], rep: ['Raj', 'Iyer', 'raj.iyer@dickerdata.example', '+61 413 555 102'] },
  { id: 262, identifier: 'ExeedNZ', name: 'Exeed Distribution', accountNumber: 'V-EXEED', phone: '+64 9 555 0300', address: ['12 Rennie Drive', 'Airport Oaks', 'AUK', '2022', 'New Zealand'], locationId: 2, locationName: 'Auckland', termsId: 3, termsName: 'Net 20', taxCode: { id: 2, name: 'NZGST' }, currency: NZD, ap: ['Hana', 'Rewi', 'accounts@exeed.example', '+64 9 555 0310'], rep: ['Luke', 'Fraser', 'luke.fraser@exeed.example', '+64 21 555 103'] },
];

export function vendorCompanies(): CwCompany[] {
  return vendorSeeds.map((s) => {
    const site = { id: s.id * 10, name: 'Main' };
    return {
      id: s.id,
      identifier: s.identifier,
      name: s.name,
      status: { id: 1, name: 'Active' },
      addressLine1: s.address[0],
      city: s.address[1],
      state: s.address[2],
      zip: s.address[3],
      country: { id: countries[s.address[4]]!, name: s.address[4] },
      phoneNumber: s.phone,
      website: `www.${s.identifier.toLowerCase()}.example`,
      territory: { id: s.locationId, name: s.locationName },
      accountNumber: s.accountNumber,
      defaultContact: { id: s.id * 10 + 2, name: `${s.rep[0]} ${s.rep[1]}` },
      billingContact: { id: s.id * 10 + 1, name: `${s.ap[0]} ${s.ap[1]}` },
      billingSite: site,
      site,
      billToCompany: { id: s.id, identifier: s.identifier, name: s.name },
      billingTerms: { id: s.termsId, name: s.termsName },
      taxCode: s.taxCode,
      currency: s.currency,
      invoiceToEmailAddress: s.ap[2],
      types: [VENDOR_TYPE],
      deletedFlag: false,
      _info: info('company/companies', s.id),
    } satisfies CwCompany;
  });
}

export function vendorContacts(): CwContact[] {
  return vendorSeeds.flatMap((s) => {
    const address = { line1: s.address[0], city: s.address[1], state: s.address[2], zip: s.address[3], country: s.address[4] };
    return [seedContact(s.id * 10 + 1, s, address, s.ap, 'Accounts Receivable', true), seedContact(s.id * 10 + 2, s, address, s.rep, 'Account Manager', false)];
  });
}

type LineSeed = Partial<SimPoLine> & Pick<SimPoLine, 'id' | 'lineNumber' | 'productId' | 'quantity' | 'unitCost'>;

function line(s: LineSeed, description: string): SimPoLine {
  return {
    description,
    taxable: true,
    warehouseId: 1,
    binId: 11,
    dropShipped: false,
    receivedStatus: 'Waiting',
    receivedQuantity: '0',
    packingSlip: '',
    ...s,
  };
}

const received = (packingSlip: string, date: string, glEntryId: number, status: SimPoLine['receivedStatus'] = 'FullyReceived', receivedQuantity?: string) => ({
  packingSlip,
  dateReceived: `${date}T00:00:00Z`,
  glEntryId,
  receivedStatus: status,
  ...(receivedQuantity ? { receivedQuantity } : {}),
});

function purchaseOrders(): SimPurchaseOrder[] {
  const po = (p: Omit<SimPurchaseOrder, 'departmentId' | 'enteredBy' | 'vendorOrderNumber' | 'taxFreightFlag'> & Partial<SimPurchaseOrder>): SimPurchaseOrder => ({
    departmentId: 10,
    enteredBy: 'admin',
    vendorOrderNumber: `SO-${p.poNumber}`,
    taxFreightFlag: true,
    ...p,
  });
  const full = (l: SimPoLine) => ({ ...l, receivedQuantity: l.receivedStatus === 'Waiting' ? '0' : l.receivedQuantity === '0' ? l.quantity : l.receivedQuantity });
  return [
    po({ id: 3001, poNumber: '3001', poDate: '2026-03-30T00:00:00Z', vendorId: 260, vendorContactId: 2602, locationId: 1, warehouseId: 1, termsId: 1, taxCodeId: 1, currencyCode: 'AUD', vendorInvoiceNumber: 'IM-558812', vendorInvoiceDate: '2026-04-03T00:00:00Z', freightCost: '45.00', freightPackingSlip: 'PS-1001', lines: [
      line({ id: 31001, lineNumber: 1, productId: 701, quantity: '5', unitCost: '1420.00', ...received('PS-1001', '2026-04-03', 7101) }, 'Dell Latitude 5450 laptops for stock'),
      line({ id: 31002, lineNumber: 2, productId: 702, quantity: '40', unitCost: '2.4375', ...received('PS-1001', '2026-04-03', 7102) }, 'Cat6 patch leads, 3 m'),
      line({ id: 31003, lineNumber: 3, productId: 703, quantity: '12', unitCost: '29.04', warehouseId: null, binId: null, ...received('PS-1001', '2026-04-03', 7103) }, 'Microsoft 365 Business Premium, April'),
    ].map(full) }),
    po({ id: 3002, poNumber: '3002', poDate: '2026-03-31T00:00:00Z', vendorId: 261, vendorContactId: 2612, locationId: 1, warehouseId: 1, termsId: 2, taxCodeId: 1, currencyCode: 'AUD', vendorInvoiceNumber: 'DD-20931', vendorInvoiceDate: '2026-04-09T00:00:00Z', freightCost: '18.50', freightPackingSlip: 'PS-2002', lines: [
      // 4 ordered, 2 arrived: "Partially Receive - Clone Rest" kept 2 on this line and cloned 2 into line 3.
      line({ id: 32001, lineNumber: 1, productId: 707, quantity: '2', unitCost: '205.00', ...received('PS-2001', '2026-04-02', 7104, 'PartiallyReceiveCloneRest', '2') }, 'Ubiquiti U6 Pro access points'),
      line({ id: 32002, lineNumber: 2, productId: 704, quantity: '50', unitCost: '0.98', warehouseId: 2, binId: 21, ...received('PS-2001', '2026-04-02', 7105) }, 'Cat6 solid cable for the Parramatta depot'),
      line({ id: 32003, lineNumber: 3, productId: 707, quantity: '2', unitCost: '205.00', ...received('PS-2002', '2026-04-09', 7106) }, 'Ubiquiti U6 Pro access points'),
    ].map(full) }),
    po({ id: 3003, poNumber: '3003', poDate: '2026-04-10T00:00:00Z', vendorId: 260, vendorContactId: 2602, locationId: 1, warehouseId: 1, termsId: 1, taxCodeId: 1, currencyCode: 'AUD', vendorInvoiceNumber: 'IM-559030', vendorInvoiceDate: '2026-04-14T00:00:00Z', freightCost: '0', freightPackingSlip: '', dropShipCustomerId: 250, lines: [
      line({ id: 33001, lineNumber: 1, productId: 701, quantity: '2', unitCost: '1395.50', warehouseId: null, binId: null, dropShipped: true, ...received('DS-3003', '2026-04-14', 7107) }, 'Dell Latitude 5450, shipped to Harbour Dental'),
    ].map(full) }),
    po({ id: 3004, poNumber: '3004', poDate: '2026-04-15T00:00:00Z', vendorId: 261, vendorContactId: 2612, locationId: 1, warehouseId: 2, termsId: 2, taxCodeId: 1, currencyCode: 'AUD', vendorInvoiceNumber: '', freightCost: '0', freightPackingSlip: '', lines: [
      line({ id: 34001, lineNumber: 1, productId: 702, quantity: '20', unitCost: '2.4375', warehouseId: 2, binId: 21, ...received('PS-4001', '2026-04-20', 7108) }, 'Cat6 patch leads, 3 m'),
      line({ id: 34002, lineNumber: 2, productId: 707, quantity: '3', unitCost: '205.00', warehouseId: 2, binId: 21 }, 'Ubiquiti U6 Pro access points (back-ordered)'),
    ].map(full) }),
    po({ id: 3005, poNumber: '3005', poDate: '2026-04-16T00:00:00Z', vendorId: 262, vendorContactId: 2622, locationId: 2, warehouseId: 1, termsId: 3, taxCodeId: 2, currencyCode: 'NZD', vendorInvoiceNumber: 'EX-7781', vendorInvoiceDate: '2026-04-22T00:00:00Z', freightCost: '0', freightPackingSlip: '', lines: [
      line({ id: 35001, lineNumber: 1, productId: 705, quantity: '20', unitCost: '3.20', warehouseId: null, binId: null, ...received('NZ-5001', '2026-04-22', 7109, 'PartiallyReceiveCancelRest', '15') }, 'EDR seats for Kauri Engineering'),
    ].map(full) }),
  ];
}

export function seedProcurement(): ProcurementState {
  return {
    warehouses: [
      { id: 1, name: 'Sydney Warehouse', locationId: 1, locationXref: '630', inventoryAccount: '630', bins: [{ id: 11, name: 'SYD-A1', defaultFlag: true }, { id: 12, name: 'SYD-RETURNS', defaultFlag: false }] },
      { id: 2, name: 'Parramatta Depot', locationId: 1, locationXref: 'PARRA', inventoryAccount: '631', bins: [{ id: 21, name: 'PAR-A1', defaultFlag: true }] },
    ],
    purchaseOrders: purchaseOrders(),
    adjustmentTypes: [
      { id: 1, identifier: 'WRITEOFF', name: 'Write-off (damaged or lost)' },
      { id: 2, identifier: 'REVALUE', name: 'Revaluation' },
      { id: 3, identifier: 'COUNT', name: 'Cycle count' },
    ],
    adjustments: [
      { id: 1, identifier: 'ADJ-0001', typeId: 1, reason: 'Damaged in storage', closedDate: '2026-04-24T00:00:00Z', closedBy: 'admin', glEntryId: 7201, details: [
        { id: 41001, productId: 702, description: 'Cat6 patch leads, crushed carton', warehouseId: 1, binId: 11, quantityAdjusted: -3, unitCost: '2.4375' },
      ] },
      { id: 2, identifier: 'ADJ-0002', typeId: 2, reason: 'Supplier price drop: revalue U6 Pro stock', closedDate: '2026-04-27T00:00:00Z', closedBy: 'admin', glEntryId: 7202, details: [
        { id: 41002, productId: 707, description: 'U6 Pro out at old cost', warehouseId: 1, binId: 11, quantityAdjusted: -4, unitCost: '205.00' },
        { id: 41003, productId: 707, description: 'U6 Pro in at new cost', warehouseId: 1, binId: 11, quantityAdjusted: 4, unitCost: '189.95' },
      ] },
    ],
    transfers: [
      { id: 1, glEntryId: 7301, date: '2026-04-28T00:00:00Z', productId: 701, quantity: 2, unitCost: '1420.00', fromWarehouseId: 1, fromBinId: 11, toWarehouseId: 2, toBinId: 21, memo: 'Stock for the Parramatta depot' },
    ],
    gl: { purchasesNonInventory: '310', inventoryAdjustment: '310', freight: '425' },
  };
}
