// CW product ids → Xero item codes. An item missing in Xero is created first
// when the settings allow (the caller sends itemsToCreate before the
// document), else the push is blocked.
//
// LONG PRODUCT IDS (decision, issue 9 point 11). Xero's Item.Code holds at most
// 30 characters; a ConnectWise product id can be longer. Cutting it to 30 (the
// old "truncate" setting) made two products that share their first 30
// characters one Xero item, and blocking (the old default) left them unsyncable.
// Now:
//  - An id of at most 30 characters is its own code, as before.
//  - A longer id gets `shortItemCode`: its first 21 characters (trailing spaces
//    and hyphens dropped) + "-" + the first 8 hex digits, upper case, of
//    SHA-256 over the whole id, e.g. "HPE-PROLIANT-DL380-GE-A6108AD8". At most
//    30 characters (UTF-16 units, as Xero counts; a character is never
//    halved); the added part is A–Z, 0–9 and "-", which Xero accepts in any
//    code, and the prefix is the id's own text, as short ids are sent today. The same id gives the same code on every sync and every server;
//    two ids give one code only if their first 21 characters and 32 bits of
//    their hashes agree (a short id would have to spell exactly that code too).
//  - Items already in Xero keep serving their product, so nothing is doubled:
//      1. the shortened code, when Xero has it, always wins (it is this
//         product's by construction, and once used it stays used);
//      2. else the legacy code (the id cut to 30, what "truncate" created) is
//         this product's when that Xero item names the whole id (its Name or
//         Description holds it as a word of its own), or its Description is the
//         product's catalogue description we created it with. Both tests look
//         at this product and that item only, so the answer is the same on
//         every document and every sync;
//      3. else the shortened code, created when the settings allow.
//    An item with the legacy code that names neither this id nor this
//    description belongs to another product (or to someone else): we never use
//    it for this one. Left as it was: two products with the same first 30
//    characters AND the same catalogue description, both synced under
//    "truncate", keep the one item they already shared (nothing tells them
//    apart); giving one of them a different description in ConnectWise moves
//    that one to its own shortened code.
//  - The setting `itemCodeOverflow` is now 'shorten' (default) or 'omit' (send
//    the line without an item). Stored 'block' and 'truncate' read as
//    'shorten' (shared/invoice-settings.ts): neither has a reason left.
import type { InvoiceMappingSettings } from '../../shared/invoice-settings.js';
import { sha256Hex } from './content-hash.js';
import { type ProblemList, WHERE } from './problems.js';
import type { XeroRefs } from './xero-refs.js';
import type { XeroItemPayload } from './xero-wire.js';

export const XERO_ITEM_CODE_MAX = 30;
export const XERO_ITEM_NAME_MAX = 50;
export const XERO_ITEM_DESCRIPTION_MAX = 4000;
/** Readable characters kept from a long id; "-" and 8 hash digits fill the other 9. */
const SHORT_CODE_PREFIX = 21;
const SHORT_CODE_HASH_DIGITS = 8;

type XeroItem = XeroRefs['items'][number];

/**
 * The longest start of `text` within `units` UTF-16 code units, never halving
 * a character. Lengths are counted in UTF-16 units, as Xero (.NET) and the
 * old truncation counted them.
 */
function startWithin(text: string, units: number): string {
  let out = '';
  for (const ch of text) {
    if (out.length + ch.length > units) break;
    out += ch;
  }
  return out;
}

/** The Xero item code for a CW product id longer than 30 characters (see the top of this file). */
export function shortItemCode(productId: string): string {
  const prefix = startWithin(productId, SHORT_CODE_PREFIX).replace(/[\s-]+$/u, '');
  return `${prefix}-${sha256Hex(productId).slice(0, SHORT_CODE_HASH_DIGITS).toUpperCase()}`;
}

/** The code the retired "truncate" setting gave a long id (UTF-16 cut, as it was done). */
export function legacyTruncatedItemCode(productId: string): string {
  return productId.slice(0, XERO_ITEM_CODE_MAX);
}

function normalised(text: string | undefined): string {
  return (text ?? '').replace(/\r\n?/g, '\n').trim();
}

function escapeRegExp(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/** Whether `text` holds `id` as a word of its own (not as the start of a longer id). */
function namesId(text: string | undefined, id: string): boolean {
  if (!text) return false;
  return new RegExp(`(^|[\\s,;:()\\[\\]"'])${escapeRegExp(id)}($|[\\s,;:()\\[\\]"'.])`, 'iu').test(text);
}

/** Rule 2 above: the legacy item is this product's. */
export function isLegacyItemOf(item: XeroItem, productId: string, catalogueDescription: string): boolean {
  if (namesId(item.Name, productId) || namesId(item.Description, productId)) return true;
  const ours = normalised(catalogueDescription).slice(0, XERO_ITEM_DESCRIPTION_MAX);
  return ours !== '' && normalised(item.Description) === ours;
}

export class ItemMapper {
  /** Xero's items by code, upper case: Xero matches item codes case-insensitively. */
  private readonly known: Map<string, XeroItem>;
  private readonly toCreate = new Map<string, XeroItemPayload>();

  constructor(
    private readonly settings: InvoiceMappingSettings,
    refs: XeroRefs,
    private readonly problems: ProblemList,
  ) {
    this.known = new Map(refs.items.map((i) => [i.Code.toUpperCase(), i]));
  }

  /**
   * The ItemCode to send for a CW product id, or undefined for a line without
   * item. `catalogueDescription` is the product's own description (not the
   * line's): a created item carries it, and a legacy item is recognised by it.
   */
  itemCode(
    productId: string | undefined,
    line: { catalogueDescription: string; accountCode: string | null; taxType: string | null },
    at: { field: string; line: number },
  ): string | undefined {
    const id = productId?.trim();
    if (!id) return undefined;
    const long = id.length > XERO_ITEM_CODE_MAX;
    if (long && this.settings.itemCodeOverflow === 'omit') {
      this.problems.warning({
        code: 'item-code-omitted',
        message: `ConnectWise product id is longer than Xero's ${XERO_ITEM_CODE_MAX} characters; the line is sent without an item.`,
        where: WHERE.settingsItems,
        area: 'settings',
        ...at,
      });
      return undefined;
    }
    const code = long ? shortItemCode(id) : id;
    if (this.known.has(code.toUpperCase())) return code;
    if (long) {
      const legacy = this.known.get(legacyTruncatedItemCode(id).toUpperCase());
      if (legacy && isLegacyItemOf(legacy, id, line.catalogueDescription)) return legacy.Code;
    }
    if (!this.settings.createMissingItems) {
      this.problems.blocking({
        code: 'item-missing',
        message: `Xero has no item "${code}"${long ? ` (ConnectWise product id "${id}")` : ''} and item creation is off.`,
        where: WHERE.settingsItems,
        area: 'settings',
        ...at,
      });
      return undefined;
    }
    if (!this.toCreate.has(code.toUpperCase())) {
      const description = normalised(line.catalogueDescription) || id;
      const name = description.split('\n')[0]!.slice(0, XERO_ITEM_NAME_MAX).trim() || code;
      // Untracked in Xero, inventory parts too (no inventory asset or COGS account): a tracked item
      // would make Xero post a cost of sale of its own beside the journal our push makes from
      // ConnectWise's costs (server/procurement/cost-of-sale.ts). ConnectWise owns stock on hand.
      this.toCreate.set(code.toUpperCase(), {
        Code: code,
        Name: name,
        Description: description.slice(0, XERO_ITEM_DESCRIPTION_MAX),
        IsSold: true,
        IsPurchased: false,
        SalesDetails: {
          ...(line.accountCode ? { AccountCode: line.accountCode } : {}),
          ...(line.taxType ? { TaxType: line.taxType } : {}),
        },
      });
      if (long) {
        this.problems.warning({
          code: 'item-code-shortened',
          message: `ConnectWise product id "${id}" is longer than Xero's ${XERO_ITEM_CODE_MAX} characters; its Xero item is created with the code "${code}" (the id's start and a fingerprint of the whole id, the same on every sync).`,
          where: WHERE.cwProduct,
          area: 'connectwise',
          ...at,
        });
      }
    }
    return code;
  }

  itemsToCreate(): XeroItemPayload[] {
    return [...this.toCreate.values()];
  }
}
