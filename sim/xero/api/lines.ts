// Line items of invoices and credit notes: item defaults, account and tax
// checks, decimal places, the line-total rule and per-line tax (money.ts).
import Decimal from 'decimal.js';
import type { LineRec, OrgState } from '../records.js';
import { newId } from '../ids.js';
import { dec, lineAmountOf, lineTax, round2, type LineAmountTypes } from '../money.js';
import type { LineInput } from './input.js';
import { lineAccount, resolveTracking, taxRateFor } from './refs.js';

export interface LineContext {
  types: LineAmountTypes;
  unitdp4: boolean;
  /** Non-draft documents need an account code on every line. */
  approving: boolean;
  side: 'sales' | 'purchases';
  existing?: LineRec[];
}

function places(d: Decimal): number {
  return d.decimalPlaces();
}

export function buildLines(org: OrgState, inputs: LineInput[], ctx: LineContext): { lines: LineRec[]; errors: string[] } {
  const errors: string[] = [];
  const lines: LineRec[] = [];
  const maxUnitDp = ctx.unitdp4 ? 4 : 2;
  inputs.forEach((input, i) => {
    const at = `LineItems[${i}]`;
    const before = errors.length;
    const item = input.ItemCode
      ? [...org.items.values()].find((it) => it.Code.toLowerCase() === input.ItemCode!.toLowerCase())
      : undefined;
    if (input.ItemCode && !item) errors.push(`${at}: Item code '${input.ItemCode}' is not valid`);
    const details = item ? (ctx.side === 'sales' ? item.SalesDetails : item.PurchaseDetails) : undefined;

    const description = input.Description ?? (item ? (ctx.side === 'sales' ? item.Description : item.PurchaseDescription) : undefined);
    if (!description || !description.trim()) errors.push(`${at}: The description field is mandatory for each line item.`);

    const quantity = input.Quantity !== undefined ? dec(input.Quantity) : new Decimal(1);
    if (places(quantity) > maxUnitDp) errors.push(`${at}: Quantity ${quantity.toString()} has more than ${maxUnitDp} decimal places${ctx.unitdp4 ? '' : ' (use unitdp=4 for up to 4)'}`);
    const discount = input.DiscountRate !== undefined ? dec(input.DiscountRate) : undefined;

    let unit: Decimal;
    const givenLine = input.LineAmount !== undefined ? dec(input.LineAmount) : undefined;
    if (input.UnitAmount !== undefined) unit = dec(input.UnitAmount);
    else if (details?.UnitPrice !== undefined && givenLine === undefined) unit = dec(details.UnitPrice);
    else if (givenLine !== undefined && !quantity.isZero()) unit = givenLine.dividedBy(quantity).toDecimalPlaces(maxUnitDp, Decimal.ROUND_HALF_UP);
    else unit = new Decimal(0);
    if (places(unit) > maxUnitDp) errors.push(`${at}: UnitAmount ${unit.toString()} has more than ${maxUnitDp} decimal places${ctx.unitdp4 ? '' : ' (use unitdp=4 for up to 4)'}`);

    const expected = lineAmountOf(quantity, unit, discount);
    if (givenLine !== undefined) {
      if (places(givenLine) > 2) errors.push(`${at}: LineAmount ${givenLine.toString()} has more than 2 decimal places`);
      else if (!givenLine.equals(expected)) {
        errors.push(`${at}: The line total ${givenLine.toFixed(2)} does not match the expected line total ${expected.toFixed(2)} (Quantity × UnitAmount rounded to 2 decimal places)`);
      }
    }

    const accountCode = input.AccountCode ?? details?.AccountCode;
    let account;
    if (accountCode) {
      const r = lineAccount(org, accountCode);
      if (r.error) errors.push(`${at}: ${r.error}`);
      account = r.account;
    } else if (input.AccountID) {
      const a = org.accounts.find((x) => x.AccountID === input.AccountID!.toLowerCase());
      if (!a) errors.push(`${at}: AccountID '${input.AccountID}' is not a valid account for this document.`);
      else {
        const r = lineAccount(org, a.Code);
        if (r.error) errors.push(`${at}: ${r.error}`);
        account = r.account;
      }
    } else if (ctx.approving) {
      errors.push(`${at}: An account code must be specified on each line item of an approved document.`);
    }

    const taxType = input.TaxType ?? details?.TaxType ?? account?.TaxType;
    let ratePercent = new Decimal(0);
    let canonicalTax: string | undefined;
    if (taxType) {
      const r = taxRateFor(org, taxType, account);
      if (r.error) errors.push(`${at}: ${r.error}`);
      if (r.rate) {
        ratePercent = dec(r.rate.rate);
        canonicalTax = r.rate.TaxType;
      }
    }
    let tax = lineTax(expected, ratePercent, ctx.types);
    if (input.TaxAmount !== undefined && ctx.types !== 'NoTax') {
      // Xero lets a sender override a line's tax (e.g. to match a source system's rounding).
      const given = dec(input.TaxAmount);
      if (places(given) > 2) errors.push(`${at}: TaxAmount ${given.toString()} has more than 2 decimal places`);
      else tax = round2(given);
    }

    const { tracking, errors: trackingErrors } = resolveTracking(org, input.Tracking, at);
    errors.push(...trackingErrors);
    if (errors.length > before) return;
    const keepId = input.LineItemID && ctx.existing?.some((l) => l.LineItemID === input.LineItemID!.toLowerCase());
    lines.push({
      LineItemID: keepId ? input.LineItemID!.toLowerCase() : newId(),
      Description: description!,
      Quantity: quantity.toString(),
      UnitAmount: unit.toString(),
      ...(item ? { ItemCode: item.Code } : {}),
      ...(account ? { AccountCode: account.Code } : {}),
      ...(canonicalTax ? { TaxType: canonicalTax } : {}),
      TaxAmount: tax.toFixed(2),
      LineAmount: expected.toFixed(2),
      ...(discount ? { DiscountRate: discount.toString() } : {}),
      Tracking: tracking,
    });
  });
  return { lines, errors };
}
