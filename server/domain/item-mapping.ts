// CW product ids → Xero item codes. Xero's Item.Code is at most 30
// characters; CW ids can be longer, so the settings decide: block (default),
// truncate, or send the line without an item. An item missing in Xero is
// created first when the settings allow (the caller sends itemsToCreate before
// the document), else the push is blocked.
import type { InvoiceMappingSettings } from '../../shared/invoice-settings.js';
import { type ProblemList, WHERE } from './problems.js';
import type { XeroRefs } from './xero-refs.js';
import type { XeroItemPayload } from './xero-wire.js';

export const XERO_ITEM_CODE_MAX = 30;
export const XERO_ITEM_NAME_MAX = 50;

export class ItemMapper {
  private readonly known: Set<string>;
  private readonly toCreate = new Map<string, XeroItemPayload>();

  constructor(
    private readonly settings: InvoiceMappingSettings,
    refs: XeroRefs,
    private readonly problems: ProblemList,
  ) {
    // Xero item codes are matched case-insensitively.
    this.known = new Set(refs.items.map((i) => i.Code.toUpperCase()));
  }

  /** The ItemCode to send for a CW product id, or undefined for a line without item. */
  itemCode(
    productId: string | undefined,
    line: { description: string; accountCode: string | null; taxType: string | null },
    at: { field: string; line: number },
  ): string | undefined {
    const id = productId?.trim();
    if (!id) return undefined;
    let code = id;
    if (id.length > XERO_ITEM_CODE_MAX) {
      switch (this.settings.itemCodeOverflow) {
        case 'omit':
          this.problems.warning({
            code: 'item-code-omitted',
            message: `ConnectWise product id is longer than Xero's ${XERO_ITEM_CODE_MAX} characters; the line is sent without an item.`,
            where: WHERE.settingsItems,
            area: 'settings',
            ...at,
          });
          return undefined;
        case 'truncate':
          code = id.slice(0, XERO_ITEM_CODE_MAX);
          this.problems.warning({
            code: 'item-code-truncated',
            message: `ConnectWise product id is longer than ${XERO_ITEM_CODE_MAX} characters; Xero item code "${code}" is used.`,
            where: WHERE.settingsItems,
            area: 'settings',
            ...at,
          });
          break;
        case 'block':
          this.problems.blocking({
            code: 'item-code-too-long',
            message: `ConnectWise product id "${id}" has ${id.length} characters; Xero item codes allow ${XERO_ITEM_CODE_MAX}. Shorten it in ConnectWise or choose truncation in the settings.`,
            where: `${WHERE.cwProduct} (or ${WHERE.settingsItems})`,
            area: 'connectwise',
            ...at,
          });
          return undefined;
      }
    }
    if (this.known.has(code.toUpperCase())) return code;
    if (!this.settings.createMissingItems) {
      this.problems.blocking({
        code: 'item-missing',
        message: `Xero has no item "${code}" and item creation is off.`,
        where: WHERE.settingsItems,
        area: 'settings',
        ...at,
      });
      return undefined;
    }
    if (!this.toCreate.has(code.toUpperCase())) {
      const name = line.description.split('\n')[0]!.slice(0, XERO_ITEM_NAME_MAX).trim() || code;
      this.toCreate.set(code.toUpperCase(), {
        Code: code,
        Name: name,
        Description: line.description.slice(0, 4000),
        IsSold: true,
        IsPurchased: false,
        SalesDetails: {
          ...(line.accountCode ? { AccountCode: line.accountCode } : {}),
          ...(line.taxType ? { TaxType: line.taxType } : {}),
        },
      });
    }
    return code;
  }

  itemsToCreate(): XeroItemPayload[] {
    return [...this.toCreate.values()];
  }
}
