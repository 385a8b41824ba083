// ConnectWise tax codes → Xero tax types. The admin's map wins; otherwise a
// taxable line takes the organisation's active revenue tax rate with the same
// percentage as CW's sales-tax line for that code (GST 10 % → OUTPUT in AU,
// NZGST 15 % → OUTPUT2 in NZ), and a non-taxable line the 0 % revenue rate
// (EXEMPTOUTPUT, ZERORATED). Bills resolve the same way on the purchases side
// (INPUT, INPUT2, EXEMPTEXPENSES; side 'expenses', with the procurement
// settings' input tax map). Anything we cannot decide is a blocking problem
// naming the code and where to map it.
import type { InvoiceMappingSettings } from '../../shared/invoice-settings.js';
import { type Dec, ZERO } from './money.js';
import { type ProblemList, WHERE } from './problems.js';
import { type TaxSide, type XeroRefs, findTaxRate, resolveTaxType, taxRatePercent } from './xero-refs.js';

export interface TaxQuestion {
  /** CW tax code name, e.g. "GST"; null when CW gave none. */
  taxCode: string | null;
  taxable: boolean;
  /** CW's percentage for the code (from its sales-tax line), when known. */
  cwRatePercent: Dec | null;
  field: string;
  line: number;
}

export interface TaxAnswer {
  taxType: string;
  ratePercent: Dec;
}

export interface TaxMapperOptions {
  /** Sales documents (default) or bills. */
  side?: TaxSide;
  /** Where a person fixes the tax map and the ConnectWise record (defaults: the invoice settings, the invoice). */
  where?: { settings: string; record: string };
}

export class TaxMapper {
  private readonly cache = new Map<string, TaxAnswer | null>();

  constructor(
    private readonly settings: Pick<InvoiceMappingSettings, 'taxMap' | 'nonTaxableTaxType'>,
    private readonly refs: XeroRefs,
    private readonly problems: ProblemList,
    private readonly opts: TaxMapperOptions = {},
  ) {}

  private get side(): TaxSide {
    return this.opts.side ?? 'revenue';
  }
  private get whereSettings(): string {
    return this.opts.where?.settings ?? WHERE.settingsTax;
  }
  private get whereRecord(): string {
    return this.opts.where?.record ?? WHERE.cwInvoice;
  }

  /** "revenue" / "purchase", for the messages. */
  private get word(): string {
    return this.side === 'revenue' ? 'revenue' : 'purchase';
  }

  resolve(q: TaxQuestion): TaxAnswer | null {
    const key = `${q.taxable}|${q.taxCode ?? ''}`;
    if (this.cache.has(key)) return this.cache.get(key) ?? null;
    const answer = q.taxable ? this.taxable(q) : this.nonTaxable(q);
    this.cache.set(key, answer);
    return answer;
  }

  private nonTaxable(q: TaxQuestion): TaxAnswer | null {
    const mapped = q.taxCode ? this.settings.taxMap[q.taxCode] : undefined;
    // An exempt customer's own code (e.g. EXEMPT → EXEMPTOUTPUT) is honoured when it maps to a 0 % rate.
    if (mapped) {
      const rate = findTaxRate(this.refs, mapped);
      if (rate && taxRatePercent(rate)?.isZero()) return this.checked(mapped, q, 'settings');
    }
    if (this.settings.nonTaxableTaxType) return this.checked(this.settings.nonTaxableTaxType, q, 'settings');
    const r = resolveTaxType(this.refs, ZERO, this.side);
    if (r.ok) return this.checked(r.taxType, q, 'default');
    this.problems.blocking({
      code: r.reason === 'ambiguous' ? 'tax-type-ambiguous' : 'tax-type-missing',
      message:
        r.reason === 'ambiguous'
          ? `Several 0% ${this.word} tax rates fit non-taxable lines (${r.candidates.join(', ')}); choose one in the settings.`
          : `The Xero organisation has no active 0% ${this.word} tax rate for non-taxable lines; choose one in the settings.`,
      where: this.whereSettings,
      area: 'settings',
      field: q.field,
      line: q.line,
    });
    return null;
  }

  private taxable(q: TaxQuestion): TaxAnswer | null {
    if (!q.taxCode) {
      this.problems.blocking({
        code: 'tax-code-missing',
        message: 'A taxable line has no ConnectWise tax code.',
        where: this.whereRecord,
        area: 'connectwise',
        field: q.field,
        line: q.line,
      });
      return null;
    }
    const mapped = this.settings.taxMap[q.taxCode];
    if (mapped) return this.checked(mapped, q, 'settings');
    if (!q.cwRatePercent) {
      this.problems.blocking({
        code: 'tax-code-unmapped',
        message: `ConnectWise tax code "${q.taxCode}" has no Xero tax type, and the invoice does not show its rate; map it in the settings.`,
        where: this.whereSettings,
        area: 'settings',
        field: q.field,
        line: q.line,
      });
      return null;
    }
    const r = resolveTaxType(this.refs, q.cwRatePercent, this.side);
    if (r.ok) return this.checked(r.taxType, q, 'default');
    this.problems.blocking({
      code: 'tax-code-unmapped',
      message:
        r.reason === 'ambiguous'
          ? `ConnectWise tax code "${q.taxCode}" could be any of ${r.candidates.join(', ')} in Xero; map it in the settings.`
          : `ConnectWise tax code "${q.taxCode}" (${q.cwRatePercent.toString()}%) has no active Xero ${this.word} tax rate of that percentage; map it in the settings or add the rate in Xero.`,
      where: this.whereSettings,
      area: 'settings',
      field: q.field,
      line: q.line,
    });
    return null;
  }

  /** The chosen tax type must exist, be active, and (when CW says) charge CW's percentage. */
  private checked(taxType: string, q: TaxQuestion, from: 'settings' | 'default'): TaxAnswer | null {
    const rate = findTaxRate(this.refs, taxType);
    const pct = rate ? taxRatePercent(rate) : null;
    if (!rate || !pct) {
      this.problems.blocking({
        code: 'tax-type-unknown',
        message: `Xero tax type "${taxType}" does not exist in this organisation.`,
        where: from === 'settings' ? this.whereSettings : WHERE.xeroTaxRates,
        area: from === 'settings' ? 'settings' : 'xero',
        field: q.field,
        line: q.line,
      });
      return null;
    }
    if (rate.Status !== 'ACTIVE') {
      this.problems.blocking({
        code: 'tax-type-inactive',
        message: `Xero tax type "${taxType}" is ${rate.Status.toLowerCase()}.`,
        where: WHERE.xeroTaxRates,
        area: 'xero',
        field: q.field,
        line: q.line,
      });
      return null;
    }
    if (q.taxable && q.cwRatePercent && !q.cwRatePercent.equals(pct)) {
      this.problems.blocking({
        code: 'tax-rate-differs',
        message: `ConnectWise tax code "${q.taxCode ?? ''}" charges ${q.cwRatePercent.toString()}% but Xero tax type "${taxType}" charges ${pct.toString()}%.`,
        where: this.whereSettings,
        area: 'settings',
        field: q.field,
        line: q.line,
      });
      return null;
    }
    return { taxType, ratePercent: pct };
  }
}
