import { Charge, DeMinimis, HsRate, IdFormat, RateBand, Sourced, TaxIdRule, Threshold, ValueBasis } from '../rule-set/rule-set-content';
import { convertAmount, formatMoney, isoDate, percentOf, roundHalfAway } from './amounts';
import {
  appliesToOrigin,
  checksumValid,
  cn22Threshold,
  digitsOnly,
  foldWords,
  hsRates,
  idPattern,
  normalizeId,
  phraseAt,
  prohibitedMatcher,
  rejectedIds,
} from './matchers';
import { ResolvedRuleSet, resolveRuleSet } from './resolve-rule-set';
import {
  ChargeLine,
  ComplianceInput,
  Conversion,
  DocumentRequirement,
  ExplanationStep,
  FxTable,
  Payer,
  RuleRef,
  RuleSetCatalog,
  Verdict,
  VerdictIssue,
} from './verdict';

/*
 * The pure evaluator of per-country rules (issue 3 §3). The decisions it makes where the schema is silent:
 *
 * - Money: integer minor units of the destination's currency. Percentages and conversions round half away from
 *   zero to the minor unit, per charge (ad-valorem duty per item line, then summed). Each item line
 *   (quantity × unit value) is converted on its own, then summed.
 * - Thresholds compare in the threshold's own currency when every amount measured is natively in it (USD goods
 *   against a USD threshold: exact); otherwise the threshold is converted to the destination currency, rounded
 *   to its minor unit, and compared there. A value that cannot be measured (missing FX rate) counts as beyond
 *   every threshold: no relief, scheme or simplified document is granted on a guess, and "required above" rules
 *   apply. `above` (rate bands, `requiredAbove`) is the negation of the threshold's own test.
 * - Bases: `goods` = Σ item lines; `cif` = goods + shipping (0 when absent, and the verdict says so);
 *   `taxable_value` = goods × valueFactor; `item` = each unit's value (unit value, line ÷ quantity when
 *   converted) on its own, all must pass; `tax_amount` = the duty (duty de minimis) or the VAT (VAT de minimis)
 *   computed first; elsewhere (a scheme's limit) the VAT on goods + shipping, duty not yet known.
 * - Rate bands tax the value their limit measures (goods, CIF or taxable value); a band without limits taxes CIF.
 * - Duty: a rate band replacing duty wins; else flat duties whose test holds (one `replacesDuty` suppresses the
 *   ad-valorem duty); else the de minimis decides; else ad-valorem per item at the longest matching HS prefix
 *   (base rate without an HS code), always an estimate, on the goods value (no freight: the schema has no
 *   valuation basis), or on the taxable value when the de minimis measures one (JP 60 %).
 * - VAT: rate × (goods + shipping + every duty line), fees excluded; a band replacing VAT replaces it.
 * - Low-value scheme: applies when its test holds and the retailer holds the registration. The charges it
 *   collects are computed without the border de minimis (the seller charges them at checkout) and payer
 *   `collected_at_checkout`; the charges it waives are not charged. Other charges: DDP → shipper, DAP → consignee.
 * - A band replacing both duty and VAT is one line among duties.
 * - Missing FX rate: our data gap, not the retailer's, so a `warning` (`FX_RATE_MISSING`); the amount is left
 *   out of totals, thresholds it feeds count as exceeded, and the landed cost is an estimate.
 * - Restricted items: an issue of severity `restricted` ("needs review"); the status is unaffected.
 * - No rule set for the destination: status `ok` with a `NO_RULE_SET` warning and an estimated landed cost of
 *   goods + shipping in the first item's currency; blocking would stop every lane not yet seeded.
 * - Tax IDs: a given ID is checked even when not required (it travels on the declaration): a malformed,
 *   rejected or bad-checksum ID is `needs_information` when the ID is required, a `warning` otherwise;
 *   `alternative: 'phone'` stands in only for a missing ID. Messages never echo the consignee's values.
 * - Weight: `weightGrams` is per unit (like `unitValue`), total = Σ quantity × weight.
 * - Fees per `declaration_line` count the input's item lines; flat duties per tariff line count distinct first
 *   `tariffLineDigits` digits, an item with fewer digits (or none) counting as a line of its own.
 * - Dates: the UTC calendar date of `at` selects the versions in force.
 */

const CHARGES_ORDER: readonly Charge[] = ['duty', 'vat'];

/** Names the rule behind an output line: rule set, version, path, source, unverified. */
type Ref = Readonly<RuleRef>;

interface Measure {
  /** In the destination currency; undefined when some part could not be converted. */
  dest: number | undefined;
  /** The same value in one original currency, when every part was natively in it. */
  native?: { currency: string; amount: number };
}

/** The outcome of a threshold test; `text` (e.g. `goods value EUR 120.00 ≤ EUR 150.00`) is built on demand. */
class Test {
  readonly holds: boolean;

  constructor(
    private readonly basis: ValueBasis,
    private readonly threshold: Threshold,
    /** Undefined when the value or the limit could not be measured (missing rate): counts as exceeded. */
    readonly value: number | undefined,
    readonly limit: number | undefined,
    readonly currency: string,
    /** For the item basis: the failing item, or -1 when every item passed. */
    private readonly item = -1,
  ) {
    this.holds = value !== undefined && limit !== undefined && (threshold.comparison === 'lt' ? value < limit : value <= limit);
  }

  /** `goods value EUR 120.00 ≤ EUR 150.00`. */
  get text(): string {
    return this.describe(false);
  }

  /** The same, capitalised to open a sentence. */
  get sentence(): string {
    return this.describe(true);
  }

  private describe(capital: boolean): string {
    const t = this.threshold;
    const label =
      this.basis === 'item'
        ? this.item < 0 ? `${capital ? 'E' : 'e'}very item's value` : `${capital ? 'I' : 'i'}tem ${this.item + 1} value`
        : this.basis === 'taxable_value'
          ? `${capital ? 'T' : 't'}axable value (${Math.round((t.valueFactor ?? 1) * 1000) / 10} % of goods)`
          : (capital ? BASIS_SENTENCE : BASIS_LABEL)[this.basis];
    const original = formatMoney(t.amountMinor, t.currency);
    if (this.value === undefined || this.limit === undefined) return `${label} cannot be compared with ${original} (no exchange rate): counted as exceeded`;
    const op = this.holds ? (t.comparison === 'lt' ? '<' : '≤') : t.comparison === 'lt' ? '≥' : '>';
    if (this.basis === 'item' && this.item < 0) return `${label} ${op} ${original}`;
    const converted = this.currency !== t.currency ? ` (${original})` : '';
    return `${label} ${formatMoney(this.value, this.currency)} ${op} ${formatMoney(this.limit, this.currency)}${converted}`;
  }
}

interface ItemFacts {
  /** Line value (quantity × unit value) in the destination currency, undefined when not convertible. */
  value: number | undefined;
  /** The HS code's digits, `''` without one. */
  hs: string;
}

const refCache = new WeakMap<ResolvedRuleSet, Map<string | object, Ref>>();
/** Documents whose wording depends only on their rule, by that rule's reference (one per resolved rule set). */
const fixedDocuments = new WeakMap<Ref, DocumentRequirement>();

function tag(ref: Ref): string {
  return `(${ref.ruleSet} v${ref.version} ${ref.rule})`;
}

const BASIS_LABEL: Record<ValueBasis, string> = {
  goods: 'goods value',
  cif: 'goods + shipping',
  taxable_value: 'taxable value',
  tax_amount: 'tax amount',
  item: 'item value',
};
const BASIS_SENTENCE: Record<ValueBasis, string> = {
  goods: 'Goods value',
  cif: 'Goods + shipping',
  taxable_value: 'Taxable value',
  tax_amount: 'Tax amount',
  item: 'Item value',
};

/**
 * Evaluates a shipment against the rules in force for its destination on `at`'s date. Pure and deterministic:
 * no I/O, no clock; every country difference comes from the catalog's data.
 */
export function evaluate(input: ComplianceInput, catalog: RuleSetCatalog, fx: FxTable, at: Date): Verdict {
  const on = isoDate(at);
  const destination = input.consignee.address.country;
  const rules = resolveRuleSet(catalog, destination, on);
  return new Evaluation(input, rules, fx, on, destination).run();
}

class Evaluation {
  private readonly currency: string;
  private readonly defaultPayer: Payer;
  private readonly issues: VerdictIssue[] = [];
  private readonly explanation: ExplanationStep[] = [];
  private readonly documents: DocumentRequirement[] = [];
  private readonly conversions: Conversion[] = [];
  private readonly duties: ChargeLine[] = [];
  private readonly taxes: ChargeLine[] = [];
  private readonly fees: ChargeLine[] = [];
  private readonly items: ItemFacts[] = [];
  private thresholdMemo?: Map<string, number | undefined>;
  private missingRates?: Set<string>;
  private estimate = false;
  private goods = 0;
  private goodsKnown = true;
  /** The single original currency of every item, if there is one. */
  private goodsNative?: { currency: string; amount: number };
  private shipping = 0;
  private shippingKnown = true;
  private shippingNative?: { currency: string; amount: number };
  private scheme: Verdict['scheme'] = null;
  private schemeRef?: Ref;
  private schemeCollects: readonly Charge[] = [];
  private schemeWaives: readonly Charge[] = [];
  private readonly refs: Map<string | object, Ref>;

  constructor(
    private readonly input: ComplianceInput,
    private readonly rules: ResolvedRuleSet | undefined,
    private readonly fx: FxTable,
    private readonly on: string,
    private readonly destination: string,
  ) {
    this.currency = rules?.content.currency ?? input.items[0]?.currency ?? input.shipping?.currency ?? 'EUR';
    this.defaultPayer = input.incoterm === 'DDP' ? 'shipper' : 'consignee';
    let refs = rules ? refCache.get(rules) : undefined;
    if (!refs) {
      refs = new Map();
      if (rules) refCache.set(rules, refs);
    }
    this.refs = refs;
  }

  run(): Verdict {
    const content = this.rules?.content;
    if (!content) return this.withoutRuleSet();
    if (!content.currency) {
      this.issue(this.ref('currency', 'currency'), 'CURRENCY_MISSING', 'warning', undefined,
        `The rule set names no currency; amounts are stated in ${this.currency}.`);
    }
    if (this.rules!.missingGroup) {
      const ref = this.ref('inherits', 'inherits');
      this.issue(ref, 'GROUP_RULE_SET_MISSING', 'warning', undefined,
        `${this.destination} inherits ${this.rules!.missingGroup}, which has no version in force on ${this.on}; ` +
          `only ${this.destination}'s own rules were applied.`);
      this.estimate = true;
    }
    this.measureValues();
    const internal = this.internalMove();
    if (!internal) {
      this.decideScheme();
      this.computeCharges();
      this.computeFees();
    }
    this.checkConsignee(internal);
    this.checkProhibited();
    if (!internal) this.requireDocuments();
    return this.finish();
  }

  /**
   * A parcel that stays inside one customs territory (same country, or origin and destination both members of
   * the destination's group, e.g. DE → FR in the EU) is not an import: no duty, tax, fee, customs document or
   * customs ID. Carriage restrictions and contact requirements still apply.
   */
  private internalMove(): boolean {
    const origin = this.input.origin.country;
    const group = this.rules!.group;
    const sameCountry = origin === this.destination;
    const sameUnion = !!group?.content.members?.includes(origin) && group.content.members.includes(this.destination);
    if (!sameCountry && !sameUnion) return false;
    const ref: Ref = sameUnion && group
      ? { ruleSet: group.country, version: group.version, rule: 'members', source: undefined, unverified: false }
      : this.ref('currency', 'currency');
    const territory = sameUnion ? group!.country : this.destination;
    this.explain(ref, `${origin} → ${this.destination} stays inside ${territory} ${tag(ref)}: no import, so no duty, tax, fee or customs document.`);
    return true;
  }

  // ——— values ———

  private measureValues(): void {
    const items = this.input.items;
    let nativeCurrency: string | undefined = items[0]?.currency;
    let nativeAmount = 0;
    for (let i = 0; i < items.length; i++) {
      const item = items[i];
      const line = Math.round(item.quantity * item.unitValue);
      if (item.currency !== nativeCurrency) nativeCurrency = undefined;
      else nativeAmount += line;
      const value = this.toDest(line, item.currency, `items.${i}.currency`);
      if (value === undefined) this.goodsKnown = false;
      else this.goods += value;
      this.items.push({ value, hs: digitsOnly(item.hsCode) });
    }
    if (nativeCurrency !== undefined) this.goodsNative = { currency: nativeCurrency, amount: nativeAmount };
    const ref = this.ref('currency', 'currency');
    this.explain(ref, `Goods value ${this.fmt(this.goods)}${this.goodsKnown ? '' : ' (items without an exchange rate left out)'}${
      this.goodsNative && this.goodsNative.currency !== this.currency ? `, from ${formatMoney(this.goodsNative.amount, this.goodsNative.currency)}` : ''
    } ${tag(ref)}.`);

    const shipping = this.input.shipping;
    if (!shipping) {
      this.explain(ref, `No shipping cost given: CIF values use no freight (shipping ${this.fmt(0)}) ${tag(ref)}.`);
      this.shippingNative = undefined;
      return;
    }
    const value = this.toDest(shipping.amountMinor, shipping.currency, 'shipping.currency');
    if (value === undefined) this.shippingKnown = false;
    else this.shipping = value;
    this.shippingNative = { currency: shipping.currency, amount: shipping.amountMinor };
    const stated = this.shippingKnown ? this.fmt(this.shipping) : `${formatMoney(shipping.amountMinor, shipping.currency)} (no exchange rate)`;
    this.explain(ref, `Shipping ${stated} ${tag(ref)}.`);
  }

  /** Converts to the destination currency, recording the conversion; `undefined` (and a warning) without a rate. */
  private toDest(amountMinor: number, currency: string, field?: string): number | undefined {
    if (currency === this.currency) return amountMinor;
    const from = this.fx.get(currency);
    const to = this.fx.get(this.currency);
    if (!from || !to) {
      this.rateMissing(!from ? currency : this.currency, field);
      return undefined;
    }
    const converted = convertAmount(amountMinor, from, to);
    this.conversions.push({
      from: { amountMinor, currency },
      to: { amountMinor: converted.amountMinor, currency: this.currency },
      rate: converted.rate,
      rates: [
        { currency: from.currency, unitsPerEur: from.unitsPerEur, asOf: from.asOf, unverified: from.unverified },
        { currency: to.currency, unitsPerEur: to.unitsPerEur, asOf: to.asOf, unverified: to.unverified },
      ],
    });
    if (from.unverified || to.unverified) this.estimate = true;
    return converted.amountMinor;
  }

  private rateMissing(currency: string, field?: string): void {
    this.estimate = true;
    this.missingRates ??= new Set();
    if (this.missingRates.has(currency)) return;
    this.missingRates.add(currency);
    this.issue(this.ref('currency', 'currency'), 'FX_RATE_MISSING', 'warning', field,
      `No exchange rate for ${currency} on ${this.on}: amounts in ${currency} are left out and the thresholds they feed count as exceeded.`);
  }

  private measure(basis: ValueBasis, factor?: number): Measure {
    switch (basis) {
      case 'cif': {
        const dest = this.goodsKnown && this.shippingKnown ? this.goods + this.shipping : undefined;
        const g = this.goodsNative;
        const s = this.shippingNative;
        if (g && (!s || s.currency === g.currency)) return { dest, native: { currency: g.currency, amount: g.amount + (s?.amount ?? 0) } };
        return { dest };
      }
      case 'taxable_value': {
        const f = factor ?? 1;
        const dest = this.goodsKnown ? roundHalfAway(this.goods * f) : undefined;
        const g = this.goodsNative;
        return g ? { dest, native: { currency: g.currency, amount: roundHalfAway(g.amount * f) } } : { dest };
      }
      default:
        return { dest: this.goodsKnown ? this.goods : undefined, native: this.goodsNative };
    }
  }

  /** The threshold in the destination currency (memoised per evaluation, each conversion recorded once). */
  private thresholdInDest(t: { amountMinor: number; currency: string }): number | undefined {
    if (t.currency === this.currency) return t.amountMinor;
    const key = `${t.amountMinor} ${t.currency}`;
    this.thresholdMemo ??= new Map();
    if (this.thresholdMemo.has(key)) return this.thresholdMemo.get(key);
    const value = this.toDest(t.amountMinor, t.currency);
    this.thresholdMemo.set(key, value);
    return value;
  }

  /**
   * Runs a threshold test. `taxAmount` is the measured tax for `tax_amount` bases (de minimis on a tax);
   * without it that basis measures the provisional VAT. The sentence is built only when asked for.
   */
  private test(t: Threshold, taxAmount?: number): Test {
    if (t.basis === 'item') return this.testItems(t);
    const basis = t.basis;
    const m: Measure = basis === 'tax_amount' ? { dest: taxAmount ?? this.provisionalVat() } : this.measure(basis, t.valueFactor);
    if (m.native && m.native.currency === t.currency) {
      return new Test(basis, t, m.native.amount, t.amountMinor, t.currency);
    }
    const limit = this.thresholdInDest(t);
    if (m.dest === undefined || limit === undefined) return new Test(basis, t, undefined, undefined, this.currency);
    return new Test(basis, t, m.dest, limit, this.currency);
  }

  /**
   * The VAT on goods + shipping, for `tax_amount` tests outside the de minimis (a scheme's limit, CH): duty is
   * not known yet when the scheme is decided, so it is left out.
   */
  private provisionalVat(): number | undefined {
    const vat = this.rules?.content.customs?.vat;
    if (!this.goodsKnown || !this.shippingKnown) return undefined;
    return vat ? percentOf(this.goods + this.shipping, vat.ratePercent) : 0;
  }

  /** Every unit's value on its own (NO VOEC: each item < NOK 3,000); the first failing item decides. */
  private testItems(t: Threshold): Test {
    const items = this.input.items;
    let limit: number | undefined;
    let last: Test | undefined;
    for (let i = 0; i < items.length; i++) {
      const item = items[i];
      if (item.currency === t.currency) {
        last = new Test('item', t, item.unitValue, t.amountMinor, t.currency, i);
      } else {
        const line = this.items[i].value;
        limit ??= this.thresholdInDest(t);
        const value = line === undefined ? undefined : roundHalfAway(line / item.quantity);
        last = new Test('item', t, value, value === undefined ? undefined : limit, this.currency, i);
      }
      if (!last.holds) return last;
    }
    return last ? new Test('item', t, last.value, last.limit, last.currency, -1) : new Test('item', t, 0, t.amountMinor, t.currency, -1);
  }

  // ——— low-value scheme ———

  private decideScheme(): void {
    const s = this.rules!.content.customs?.lowValueScheme;
    if (!s) return;
    const ref = this.moneyRef('customs.lowValueScheme', 'customs.lowValueScheme', s, this.rules!.content.customs);
    const within = this.test(s.upTo);
    const number = this.input.registrations[s.registration]?.trim();
    if (within.holds && number) {
      this.scheme = {
        ruleSet: ref.ruleSet,
        version: ref.version,
        rule: ref.rule,
        source: ref.source,
        unverified: ref.unverified,
        code: s.code,
        name: s.name,
        registrationNumber: number,
      };
      this.schemeRef = ref;
      this.schemeCollects = s.collects;
      this.schemeWaives = s.waives ?? [];
      const waived = s.waives?.length ? `; ${this.chargeNames(s.waives)} waived` : '';
      const collects = this.chargeNames(s.collects);
      this.explain(ref, `${within.sentence} and the retailer is registered for ${s.name} ${tag(ref)}: ${collects} collected at checkout${waived}.`);
      if (s.numberInCustomsData) {
        this.fixedDocument(ref, () => [`${upperSnake(s.registration)}_NUMBER`, `The ${s.name} registration number must travel in the customs data.`]);
      }
    } else if (within.holds) {
      this.explain(ref, `${within.sentence} but the retailer is not registered for ${s.name} ${tag(ref)}: nothing is collected at checkout.`);
    } else {
      this.explain(ref, `${within.sentence} ${tag(ref)}: ${s.name} is not usable; ${this.chargeNames(s.collects)} due at the border.`);
    }
  }

  private payerFor(kind: Charge): Payer {
    return this.scheme && this.schemeCollects.includes(kind) ? 'collected_at_checkout' : this.defaultPayer;
  }

  private collected(kind: Charge): boolean {
    return this.scheme !== null && this.schemeCollects.includes(kind);
  }

  // ——— duty and VAT ———

  private computeCharges(): void {
    const customs = this.rules!.content.customs;
    if (!customs) {
      this.explain(this.ref('customs', 'customs'), `No customs rules for ${this.destination}: no duty or tax computed ${tag(this.ref('customs', 'customs'))}.`);
      this.estimate = true;
      return;
    }
    const bands: Partial<Record<Charge, RateBand>> = {};
    for (const band of customs.rateBands ?? []) {
      const missing = CHARGES_ORDER.filter((c) => band.replaces.includes(c) && !bands[c]);
      if (missing.length === 0 || !this.bandApplies(band)) continue;
      for (const c of missing) bands[c] = band;
    }
    const dutyBand = bands.duty;
    const vatBand = bands.vat;

    if (this.waived('duty')) {
      this.explainWaived('duty');
    } else if (dutyBand) {
      this.chargeBand(dutyBand, 'duty', this.duties);
    } else {
      this.computeDuty();
    }

    if (vatBand && vatBand === dutyBand) {
      // One line in lieu of both, already among duties.
    } else if (this.waived('vat')) {
      this.explainWaived('vat');
    } else if (vatBand) {
      this.chargeBand(vatBand, 'vat', this.taxes);
    } else {
      this.computeVat();
    }
    this.explainBorderWithoutScheme();
  }

  private waived(kind: Charge): boolean {
    return this.scheme !== null && this.schemeWaives.includes(kind);
  }

  private explainWaived(kind: Charge): void {
    const ref = this.schemeRef!;
    this.explain(ref, `${capitalize(kind === 'vat' ? this.vatName() : 'duty')} waived under ${this.scheme!.name}: ${this.fmt(0)} ${tag(ref)}.`);
  }

  private bandApplies(band: RateBand): boolean {
    const origin = this.input.origin.country;
    if (band.origins && !band.origins.includes(origin)) return false;
    if (band.excludedOrigins?.includes(origin)) return false;
    if (band.requiresRegistration && !this.input.registrations[band.requiresRegistration]) return false;
    if (band.withoutRegistration && this.input.registrations[band.withoutRegistration]) return false;
    if (band.above && this.test(band.above).holds) return false;
    if (band.upTo && !this.test(band.upTo).holds) return false;
    return true;
  }

  private chargeBand(band: RateBand, kind: Charge, into: ChargeLine[]): void {
    const ref = this.money(this.keyedRef('customs.rateBands', band, this.rules!.content.customs));
    // The band's rate applies to the value its limits measure; without limits, to the CIF value (the customs
    // value of most destinations); item and tax-amount limits do not name a value to tax, so goods.
    const basisThreshold = band.upTo ?? band.above;
    const basis: ValueBasis = !basisThreshold
      ? 'cif'
      : basisThreshold.basis === 'cif' || basisThreshold.basis === 'taxable_value'
        ? basisThreshold.basis
        : 'goods';
    const base = this.measure(basis, basisThreshold?.valueFactor).dest ?? (basis === 'cif' ? this.goods + this.shipping : this.goods);
    const gross = percentOf(base, band.ratePercent);
    let amount = gross;
    let deduction = '';
    if (band.deduction) {
      const d = this.thresholdInDest(band.deduction);
      if (d === undefined) this.estimate = true;
      else {
        amount = Math.max(0, gross - d);
        const original = band.deduction.currency !== this.currency ? ` (${formatMoney(band.deduction.amountMinor, band.deduction.currency)})` : '';
        deduction = ` minus ${this.fmt(d)}${original} = ${this.fmt(amount)}`;
      }
    }
    const replaces = this.chargeNames(band.replaces);
    const conditions = [
      band.above ? this.test(band.above).text : '',
      band.upTo ? this.test(band.upTo).text : '',
      band.origins ? `shipped from ${this.input.origin.country}` : '',
      band.requiresRegistration ? `retailer holds ${band.requiresRegistration}` : '',
      band.withoutRegistration ? `retailer without ${band.withoutRegistration}` : '',
    ].filter(Boolean).join(', ');
    const line = this.charge(ref, band.code, band.name, amount, this.payerFor(kind), !band.exact);
    into.push(line);
    const computed = `${band.ratePercent} % of ${BASIS_LABEL[basis]} ${this.fmt(base)} = ${this.fmt(gross)}${deduction}`;
    this.explain(ref, `${band.name}${conditions ? ` (${conditions})` : ''} ${tag(ref)}: ${computed} in lieu of ${replaces}, paid by ${payerText(line.payer)}.`);
  }

  private computeDuty(): void {
    const customs = this.rules!.content.customs!;
    let replaced = false;
    for (const flat of customs.flatDuties ?? []) {
      const ref = this.money(this.keyedRef('customs.flatDuties', flat, customs));
      const within = flat.upTo ? this.test(flat.upTo) : undefined;
      if (within && !within.holds) {
        this.explain(ref, `${within.sentence} ${tag(ref)}: no ${flat.name}.`);
        continue;
      }
      const unit = this.thresholdInDest(flat.amount);
      if (unit === undefined) continue;
      const count = flat.per === 'consignment' ? 1 : this.tariffLines(flat.tariffLineDigits ?? 6);
      const line = this.charge(ref, flat.code, flat.name, unit * count, this.payerFor('duty'), false);
      this.duties.push(line);
      replaced ||= flat.replacesDuty === true;
      const per = flat.per === 'consignment' ? 'per consignment' : `× ${count} tariff line${count === 1 ? '' : 's'} (HS ${flat.tariffLineDigits ?? 6} digits)`;
      const instead = flat.replacesDuty ? ', in place of the ad-valorem duty' : '';
      const charged = `${flat.name} ${this.fmt(unit)} ${per} = ${this.fmt(line.amountMinor)}, paid by ${payerText(line.payer)}${instead}`;
      this.explain(ref, `${within ? `${within.sentence}: ` : ''}${charged} ${tag(ref)}.`);
    }
    if (replaced) return;

    const dm = customs.dutyDeMinimis;
    const dmRef = dm ? this.moneyRef('customs.dutyDeMinimis', 'customs.dutyDeMinimis', dm, customs) : undefined;
    const collected = this.collected('duty');
    if (dm && dmRef && !collected) {
      if (dm.kind === 'not_charged') {
        this.explain(dmRef, `No customs duty is charged on these goods ${tag(dmRef)}.`);
        return;
      }
      if (dm.kind === 'threshold' && dm.threshold && dm.threshold.basis !== 'tax_amount') {
        const t = this.test(dm.threshold);
        if (t.holds) {
          this.explain(dmRef, `${t.sentence} ${tag(dmRef)}: no duty.`);
          return;
        }
        this.explain(dmRef, `${t.sentence} ${tag(dmRef)}: duty is due.`);
      } else if (dm.kind === 'none') {
        this.explain(dmRef, `No duty de minimis ${tag(dmRef)}: duty from the first unit.`);
      }
    }
    const adValorem = this.adValorem(dm);
    if (!adValorem) return;
    if (dm && dmRef && !collected && dm.kind === 'threshold' && dm.threshold?.basis === 'tax_amount') {
      const t = this.test(dm.threshold, adValorem.amountMinor);
      this.explain(dmRef, `Duty: ${t.text} ${tag(dmRef)}: ${t.holds ? 'not levied' : 'levied'}.`);
      if (t.holds) return;
    }
    if (collected) {
      const ref = this.schemeRef!;
      this.explain(ref, `Duty collected at checkout under ${this.scheme!.name}: the border de minimis does not apply ${tag(ref)}.`);
    }
    this.duties.push(adValorem);
  }

  /** Distinct tariff lines: first `digits` HS digits; an item with fewer digits is a line of its own. */
  private tariffLines(digits: number): number {
    const lines = new Set<string>();
    let unclassified = 0;
    for (const item of this.items) {
      if (item.hs.length >= digits) lines.add(item.hs.slice(0, digits));
      else unclassified++;
    }
    return lines.size + unclassified;
  }

  /** The estimated ad-valorem duty, one line; `undefined` when the rule set has no duty rate. */
  private adValorem(dm: DeMinimis | undefined): ChargeLine | undefined {
    const customs = this.rules!.content.customs!;
    const duty = customs.duty;
    if (!duty) {
      const ref = this.ref('customs.duty', 'customs.duty', undefined, customs);
      this.explain(ref, `No duty rate in the rule set: duty not estimated ${tag(ref)}.`);
      this.estimate = true;
      return undefined;
    }
    const ref = this.moneyRef('customs.duty', 'customs.duty', duty, customs);
    const factor = dm?.threshold?.basis === 'taxable_value' ? dm.threshold.valueFactor : undefined;
    const { byPrefix, lengths } = hsRates(duty);
    const noHsDigits = !(this.rules!.content.documents?.hsDigits ?? 0);
    let total = 0;
    const parts: string[] = [];
    for (let i = 0; i < this.items.length; i++) {
      const item = this.items[i];
      if (item.value === undefined) continue;
      let rate: HsRate | undefined;
      for (const len of lengths) {
        if (len > item.hs.length) continue;
        rate = byPrefix.get(item.hs.slice(0, len));
        if (rate) break;
      }
      const base = factor === undefined ? item.value : roundHalfAway(item.value * factor);
      const percent = rate ? rate.ratePercent : duty.ratePercent;
      const amount = percentOf(base, percent);
      total += amount;
      if (rate?.unverified) this.estimate = true;
      parts.push(`item ${i + 1} ${percent} % of ${this.fmt(base)}${rate ? ` (HS ${rate.prefix})` : item.hs ? '' : ' (no HS code: base rate)'} = ${this.fmt(amount)}`);
      if (!item.hs && noHsDigits) {
        this.issue(ref, 'DUTY_BASE_RATE_USED', 'warning', `items.${i}.hsCode`,
          `Item ${i + 1} has no HS code: its duty is estimated at the base rate of ${duty.ratePercent} %.`);
      }
    }
    const line = this.charge(ref, 'DUTY', 'Customs duty (estimate)', total, this.payerFor('duty'), true);
    const onTaxable = factor !== undefined ? ` on the taxable value (${Math.round(factor * 1000) / 10} % of goods)` : '';
    const perItem = parts.join('; ') || 'no item with a known value';
    this.explain(ref, `Duty estimate${onTaxable}: ${perItem}; total ${this.fmt(total)}, paid by ${payerText(line.payer)} ${tag(ref)}.`);
    return line;
  }

  /** `VAT`, `duty and GST`. */
  private chargeNames(charges: readonly Charge[], joiner = 'and'): string {
    return charges.map((c) => (c === 'vat' ? this.vatName() : c)).join(` ${joiner} `);
  }

  private vatName(): string {
    return this.rules!.content.customs?.vat?.name ?? 'VAT';
  }

  private computeVat(): void {
    const customs = this.rules!.content.customs!;
    const vat = customs.vat;
    if (!vat) {
      const ref = this.ref('customs.vat', 'customs.vat', undefined, customs);
      this.explain(ref, `No import VAT in the rule set ${tag(ref)}.`);
      return;
    }
    const ref = this.moneyRef('customs.vat', 'customs.vat', vat, customs);
    const name = vat.name ?? 'VAT';
    if (vat.ratePercent === 0) {
      this.explain(ref, `No import ${name === 'none' ? 'VAT' : name} (rate 0 %) ${tag(ref)}.`);
      return;
    }
    const dm = vat.deMinimis;
    const dmRef = dm ? this.moneyRef('customs.vat', 'customs.vat.deMinimis', dm, customs) : undefined;
    const collected = this.collected('vat');
    if (dm && dmRef && !collected) {
      if (dm.kind === 'not_charged') {
        this.explain(dmRef, `No ${name} is charged on these goods ${tag(dmRef)}.`);
        return;
      }
      if (dm.kind === 'threshold' && dm.threshold && dm.threshold.basis !== 'tax_amount') {
        const t = this.test(dm.threshold);
        this.explain(dmRef, `${t.sentence} ${tag(dmRef)}: ${t.holds ? `no ${name}` : `${name} is due`}.`);
        if (t.holds) return;
      } else if (dm.kind === 'none') {
        this.explain(dmRef, `No ${name} de minimis ${tag(dmRef)}: ${name} from the first unit.`);
      }
    }
    const factor = dm?.threshold?.basis === 'taxable_value' ? dm.threshold.valueFactor : undefined;
    const goods = factor === undefined ? this.goods : roundHalfAway(this.goods * factor);
    let duties = 0;
    for (const d of this.duties) duties += d.amountMinor;
    const base = goods + this.shipping + duties;
    const amount = percentOf(base, vat.ratePercent);
    if (dm && dmRef && !collected && dm.kind === 'threshold' && dm.threshold?.basis === 'tax_amount') {
      const t = this.test(dm.threshold, amount);
      this.explain(dmRef, `${name} ${vat.ratePercent} % of ${this.fmt(base)}: ${t.text} ${tag(dmRef)}: ${t.holds ? 'not levied' : 'levied'}.`);
      if (t.holds) return;
    }
    const line = this.charge(ref, 'VAT', name, amount, this.payerFor('vat'), false);
    this.taxes.push(line);
    const how = collected ? `collected at checkout under ${this.scheme!.name} (the border de minimis does not apply)` : `paid by ${payerText(line.payer)}`;
    const sumText = `${factor !== undefined ? 'taxable goods' : 'goods'} ${this.fmt(goods)} + shipping ${this.fmt(this.shipping)} + duties ${this.fmt(duties)}`;
    this.explain(ref, `${name} ${vat.ratePercent} % of ${sumText} = ${this.fmt(base)}: ${this.fmt(amount)}, ${how} ${tag(ref)}.`);
  }

  /** Without the scheme's registration, says what the border collects instead. */
  private explainBorderWithoutScheme(): void {
    const s = this.rules!.content.customs?.lowValueScheme;
    if (!s || this.scheme) return;
    const ref = this.ref('customs.lowValueScheme', 'customs.lowValueScheme', s, this.rules!.content.customs);
    const lines = [...(s.collects.includes('duty') ? this.duties : []), ...(s.collects.includes('vat') ? this.taxes : [])];
    const total = lines.reduce((sum, l) => sum + l.amountMinor, 0);
    let what = `no ${this.chargeNames(s.collects, 'or')} (relieved at the border)`;
    if (lines.length) {
      what = lines.map((l) => `${l.name} ${this.fmt(l.amountMinor)}`).join(' + ');
      if (lines.length > 1) what += ` = ${this.fmt(total)}`;
      what += ` from ${payerText(this.defaultPayer)} (${this.input.incoterm})`;
    }
    this.explain(ref, `Without ${s.name}, the border collects ${what} ${tag(ref)}.`);
  }

  // ——— fees ———

  private computeFees(): void {
    const customs = this.rules!.content.customs;
    for (const fee of customs?.fees ?? []) {
      const ref = this.money(this.keyedRef('customs.fees', fee, customs));
      if (fee.exemptOrigins?.includes(this.input.origin.country)) {
        this.explain(ref, `${fee.name}: not charged on goods shipped from ${this.input.origin.country} ${tag(ref)}.`);
        continue;
      }
      const within = fee.upTo ? this.test(fee.upTo) : undefined;
      if (within && !within.holds) {
        this.explain(ref, `${within.sentence} ${tag(ref)}: no ${fee.name}.`);
        continue;
      }
      const unit = this.thresholdInDest(fee.amount);
      if (unit === undefined) continue;
      const count = fee.per === 'consignment' ? 1 : this.input.items.length;
      const payer: Payer = fee.payer === 'incoterm' ? this.defaultPayer : fee.payer;
      const line = this.charge(ref, fee.code, fee.name, unit * count, payer, false);
      this.fees.push(line);
      const per = fee.per === 'consignment' ? 'per consignment' : `× ${count} declaration line${count === 1 ? '' : 's'}`;
      const charged = `${fee.name} ${this.fmt(unit)} ${per} = ${this.fmt(line.amountMinor)}, paid by ${payerText(payer)}`;
      this.explain(ref, `${within ? `${within.sentence}: ` : ''}${charged} ${tag(ref)}.`);
    }
  }

  // ——— consignee ———

  private checkConsignee(internal: boolean): void {
    const rules = this.rules!.content.consignee;
    if (!rules) return;
    const c = this.input.consignee;
    const phone = c.phone?.trim();
    if (rules.taxId && !internal) this.checkTaxId(rules.taxId, phone);
    if (rules.phone?.required && !phone) {
      const ref = this.ref('consignee.phone', 'consignee.phone', rules.phone, rules);
      this.issue(ref, 'PHONE_REQUIRED', 'needs_information', 'consignee.phone', `${this.destination} requires the consignee's phone number.`);
    }
    if (rules.email?.required && !c.email?.trim()) {
      const ref = this.ref('consignee.email', 'consignee.email', rules.email, rules);
      this.issue(ref, 'EMAIL_REQUIRED', 'needs_information', 'consignee.email', `${this.destination} requires the consignee's email address.`);
    }
    if (rules.postcode?.required && !c.address.postcode?.trim()) {
      const ref = this.ref('consignee.postcode', 'consignee.postcode', rules.postcode, rules);
      this.issue(ref, 'POSTCODE_REQUIRED', 'needs_information', 'consignee.address.postcode', `${this.destination} requires a postcode.`);
    }
    const address = rules.address;
    if (address) {
      const ref = this.ref('consignee.address', 'consignee.address', address, rules);
      const lines = c.address.lines;
      let filled = 0;
      for (let i = 0; i < lines.length; i++) {
        const line = lines[i]?.trim() ?? '';
        if (line) filled++;
        if (address.maxLineLength && line.length > address.maxLineLength) {
          this.issue(ref, 'ADDRESS_LINE_TOO_LONG', 'needs_information', `consignee.address.lines.${i}`,
            `Address line ${i + 1} is longer than the ${address.maxLineLength} characters ${this.destination} accepts.`);
        }
      }
      if (filled < address.minLines) {
        this.issue(ref, 'ADDRESS_LINES_REQUIRED', 'needs_information', 'consignee.address.lines',
          `${this.destination} requires at least ${address.minLines} address line${address.minLines === 1 ? '' : 's'}.`);
      }
      if (address.regionRequired && !c.address.region?.trim()) {
        this.issue(ref, 'REGION_REQUIRED', 'needs_information', 'consignee.address.region', `${this.destination} requires the region (state or province).`);
      }
    }
  }

  private checkTaxId(rule: TaxIdRule, phone: string | undefined): void {
    const ref = this.ref('consignee.taxId', 'consignee.taxId', rule, this.rules!.content.consignee);
    const value = this.input.consignee.taxId?.trim();
    let required = rule.required === 'always';
    let why = '';
    if (rule.required === 'above' && rule.requiredAbove) {
      const t = this.test(rule.requiredAbove);
      required = !t.holds;
      why = ` (${t.text})`;
      this.explain(ref, `${t.sentence} ${tag(ref)}: the ${rule.name} is ${required ? 'required' : 'not required'}.`);
    }
    if (value) {
      // An ID that is given travels on the declaration, so it must be right; when it is not required a bad
      // one is only a warning.
      const severity = required ? 'needs_information' : 'warning';
      const upper = value.toUpperCase();
      if (rejectedIds(rule).has(normalizeId(upper))) {
        this.issue(ref, 'TAX_ID_REJECTED', severity, 'consignee.taxId',
          `The consignee's ${rule.name} is a generic value that ${this.destination} customs refuses; give the consignee's own.`);
        return;
      }
      let matched: IdFormat | undefined;
      for (const f of rule.formats) {
        if (idPattern(f)?.test(upper)) {
          matched = f;
          break;
        }
      }
      if (!matched) {
        this.issue(ref, 'TAX_ID_INVALID', severity, 'consignee.taxId',
          `The consignee's ${rule.name} is not in a valid format (${rule.formats.map((f) => f.label).join(' or ')}).`);
        return;
      }
      if (matched.checksum) {
        const ok = checksumValid(upper, matched.checksum);
        if (ok === false) {
          this.issue(ref, 'TAX_ID_INVALID', severity, 'consignee.taxId', `The consignee's ${matched.label} fails its check digits.`);
          return;
        }
        if (ok === undefined) this.explain(ref, `The ${matched.label} check digits cannot be verified (checksum ${matched.checksum} unknown) ${tag(ref)}.`);
      }
      this.explain(ref, `The consignee's ${matched.label} is well formed ${tag(ref)}.`);
      return;
    }
    if (!required) return;
    if (rule.alternative === 'phone' && phone) {
      this.explain(ref, `No ${rule.name}; the consignee's phone number stands in for it ${tag(ref)}.`);
      return;
    }
    this.issue(ref, 'TAX_ID_REQUIRED', 'needs_information', 'consignee.taxId',
      `${this.destination} requires the consignee's ${rule.name}${rule.alternative === 'phone' ? ' or a mobile phone number' : ''}${why}.`);
  }

  // ——— prohibited and restricted goods ———

  private checkProhibited(): void {
    const list = this.rules!.content.prohibited;
    if (!list?.length) return;
    const matcher = prohibitedMatcher(list);
    const items = this.input.items;
    const hits: Array<{ rule: number; item: number; field: string; how: string }> = [];
    for (let i = 0; i < items.length; i++) {
      const first = hits.length;
      const hs = this.items[i].hs;
      for (const len of matcher.prefixLengths) {
        if (len > hs.length) continue;
        const rules = matcher.byPrefix.get(hs.slice(0, len));
        if (!rules) continue;
        for (const r of rules) {
          if (hitSince(hits, first, r) || !appliesToOrigin(list[r], items[i].originCountry)) continue;
          hits.push({ rule: r, item: i, field: `items.${i}.hsCode`, how: `HS code starts with ${hs.slice(0, len)}` });
        }
      }
      if (matcher.byFirstWord.size === 0) continue;
      const words = foldWords(items[i].description);
      for (let w = 0; w < words.length; w++) {
        const phrases = matcher.byFirstWord.get(words[w]);
        if (!phrases) continue;
        for (const phrase of phrases) {
          if (!phraseAt(words, w, phrase.words)) continue;
          for (const r of phrase.rules) {
            if (hitSince(hits, first, r) || !appliesToOrigin(list[r], items[i].originCountry)) continue;
            hits.push({ rule: r, item: i, field: `items.${i}.description`, how: `description mentions "${phrase.keyword}"` });
          }
        }
      }
    }
    if (hits.length === 0) return;
    hits.sort((a, b) => a.rule - b.rule || a.item - b.item);
    for (const hit of hits) {
      const rule = list[hit.rule];
      const ref = this.keyedRef('prohibited', rule);
      const n = hit.item + 1;
      if (rule.outcome === 'blocked') {
        this.issue(ref, 'PROHIBITED_ITEM', 'blocked', hit.field, `Item ${n}: ${rule.name} cannot be shipped to ${this.destination} (${hit.how}).`);
      } else {
        this.issue(
          ref,
          'RESTRICTED_ITEM',
          'restricted',
          hit.field,
          `Item ${n}: ${rule.name} is restricted in ${this.destination} and needs review (${hit.how}).`,
        );
      }
    }
  }

  // ——— documents ———

  private requireDocuments(): void {
    const d = this.rules!.content.documents;
    if (!d) return;
    let cn23 = false;
    if (d.cn22MaxSdr !== undefined) {
      const ref = this.ref('documents.cn22MaxSdr', 'documents.cn22MaxSdr', undefined, d);
      const t = this.test(cn22Threshold(d.cn22MaxSdr));
      let grams = 0;
      for (const item of this.input.items) grams += item.quantity * item.weightGrams;
      const heavy = d.cn22MaxGrams !== undefined && grams > d.cn22MaxGrams;
      cn23 = !t.holds || heavy;
      const weight = d.cn22MaxGrams !== undefined ? `, weight ${grams} g ${heavy ? '>' : '≤'} ${d.cn22MaxGrams} g` : '';
      this.document(ref, cn23 ? 'CN23' : 'CN22', `${t.sentence}${weight}: ${cn23 ? 'CN23' : 'CN22'} ${tag(ref)}.`);
    }
    if (d.commercialInvoice && d.commercialInvoice !== 'never') {
      const ref = this.ref('documents.commercialInvoice', 'documents.commercialInvoice', undefined, d);
      if (d.commercialInvoice === 'always' || cn23 || d.cn22MaxSdr === undefined) {
        this.fixedDocument(ref, () => ['COMMERCIAL_INVOICE', `${d.commercialInvoice === 'always' ? 'Always required' : 'Required with a CN23'} ${tag(ref)}.`]);
      }
    }
    if (d.h7UpTo) {
      const ref = this.ref('documents.h7UpTo', 'documents.h7UpTo', undefined, d);
      const t = this.test(d.h7UpTo);
      if (t.holds) this.document(ref, 'EU_H7', `${t.sentence}: the H7 super-reduced data set applies ${tag(ref)}.`);
      else this.explain(ref, `${t.sentence}: a full customs declaration (not H7) ${tag(ref)}.`);
    }
    const digits = d.hsDigits ?? 0;
    if (digits > 0) {
      const ref = this.ref('documents.hsDigits', 'documents.hsDigits', undefined, d);
      this.fixedDocument(ref, () => ['HS_CODES', `An HS code of at least ${digits} digits on every item ${tag(ref)}.`]);
      for (let i = 0; i < this.items.length; i++) {
        const hs = this.items[i].hs;
        if (!hs) {
          this.issue(ref, 'HS_CODE_REQUIRED', 'needs_information', `items.${i}.hsCode`,
            `${this.destination} requires an HS code of at least ${digits} digits on item ${i + 1}.`);
        } else if (hs.length < digits) {
          this.issue(ref, 'HS_CODE_TOO_SHORT', 'needs_information', `items.${i}.hsCode`,
            `Item ${i + 1}'s HS code has ${hs.length} digits; ${this.destination} requires at least ${digits}.`);
        }
      }
    }
    for (const other of d.other ?? []) {
      this.fixedDocument(this.keyedRef('documents.other', other, d), () => [other.code, other.description]);
    }
  }

  // ——— output ———

  private finish(): Verdict {
    let status: Verdict['status'] = 'ok';
    for (const i of this.issues) {
      if (i.severity === 'blocked') {
        status = 'blocked';
        break;
      }
      if (i.severity === 'needs_information') status = 'needs_information';
    }
    const duties = sum(this.duties);
    const taxes = sum(this.taxes);
    const fees = sum(this.fees);
    let due = 0;
    for (const lines of [this.duties, this.taxes, this.fees]) {
      for (const l of lines) {
        if (l.payer === 'consignee') due += l.amountMinor;
        if (l.estimate || l.unverified) this.estimate = true;
      }
    }
    return {
      status,
      destination: this.destination,
      evaluatedOn: this.on,
      ruleSets: this.rules!.ruleSets.map((r) => ({ ruleSet: r.ruleSet, version: r.version, effectiveFrom: r.effectiveFrom })),
      documents: this.documents,
      scheme: this.scheme,
      duties: this.duties,
      taxes: this.taxes,
      fees: this.fees,
      landedCost: {
        currency: this.currency,
        goods: this.goods,
        shipping: this.shipping,
        duties,
        taxes,
        fees,
        total: this.goods + this.shipping + duties + taxes + fees,
        dueFromConsignee: due,
        estimate: this.estimate,
      },
      issues: this.issues,
      explanation: this.explanation,
      conversions: this.conversions,
    };
  }

  private withoutRuleSet(): Verdict {
    const ref: Ref = { ruleSet: this.destination, version: 0, rule: '' };
    this.issue(ref, 'NO_RULE_SET', 'warning', 'consignee.address.country',
      `Passage has no rules for ${this.destination} on ${this.on}: duties, taxes, documents and requirements were not checked.`);
    for (let i = 0; i < this.input.items.length; i++) {
      const item = this.input.items[i];
      const v = this.toDest(Math.round(item.quantity * item.unitValue), item.currency, `items.${i}.currency`);
      if (v !== undefined) this.goods += v;
    }
    if (this.input.shipping) this.shipping = this.toDest(this.input.shipping.amountMinor, this.input.shipping.currency, 'shipping.currency') ?? 0;
    const landed = `goods ${this.fmt(this.goods)} + shipping ${this.fmt(this.shipping)}`;
    this.explain(ref, `No rule set for ${this.destination} in force on ${this.on}: the landed cost is ${landed}, without duties or taxes.`);
    return {
      status: 'ok',
      destination: this.destination,
      evaluatedOn: this.on,
      ruleSets: [],
      documents: [],
      scheme: null,
      duties: [],
      taxes: [],
      fees: [],
      landedCost: {
        currency: this.currency,
        goods: this.goods,
        shipping: this.shipping,
        duties: 0,
        taxes: 0,
        fees: 0,
        total: this.goods + this.shipping,
        dueFromConsignee: 0,
        estimate: true,
      },
      issues: this.issues,
      explanation: this.explanation,
      conversions: this.conversions,
    };
  }

  // ——— helpers ———

  /**
   * The reference for a rule: `key` finds its version in the provenance (a second-level field or a keyed list
   * entry), `path` is the rule's own path. A rule is unverified when it or its section says so.
   */
  private ref(key: string, path: string, rule?: Sourced, section?: Sourced): Ref {
    let ref = this.refs.get(path);
    if (!ref) {
      const origin = this.rules?.provenance[key] ?? this.rules?.ruleSets[0] ?? { ruleSet: this.destination, version: 0 };
      ref = {
        ruleSet: origin.ruleSet,
        version: origin.version,
        rule: path,
        source: rule?.source ?? section?.source,
        unverified: rule?.unverified === true || section?.unverified === true,
      };
      this.refs.set(path, ref);
    }
    return ref;
  }

  /** The reference of an entry of a list keyed by `code` (`customs.fees.FR_LINE_FEE`), cached by the entry. */
  private keyedRef(list: string, entry: Sourced & { code: string }, section?: Sourced): Ref {
    let ref = this.refs.get(entry);
    if (!ref) {
      const path = `${list}.${entry.code}`;
      ref = this.ref(path, path, entry, section);
      this.refs.set(entry, ref);
    }
    return ref;
  }

  /** A reference whose rule decides money: an unverified one makes the landed cost an estimate. */
  private moneyRef(key: string, path: string, rule?: Sourced, section?: Sourced): Ref {
    return this.money(this.ref(key, path, rule, section));
  }

  private money(ref: Ref): Ref {
    if (ref.unverified) this.estimate = true;
    return ref;
  }

  // Explicit literals rather than spreads: one hidden class per output type keeps these calls cheap.
  private charge(ref: Ref, code: string, name: string, amountMinor: number, payer: Payer, estimate: boolean): ChargeLine {
    return {
      ruleSet: ref.ruleSet,
      version: ref.version,
      rule: ref.rule,
      source: ref.source,
      unverified: ref.unverified,
      code,
      name,
      amountMinor,
      currency: this.currency,
      payer,
      estimate,
    };
  }

  private issue(ref: Ref, code: string, severity: VerdictIssue['severity'], field: string | undefined, message: string): void {
    this.issues.push({
      ruleSet: ref.ruleSet,
      version: ref.version,
      rule: ref.rule,
      source: ref.source,
      unverified: ref.unverified,
      code,
      field,
      message,
      severity,
    });
  }

  private document(ref: Ref, code: string, reason: string): void {
    this.documents.push({ ruleSet: ref.ruleSet, version: ref.version, rule: ref.rule, source: ref.source, unverified: ref.unverified, code, reason });
  }

  /**
   * A document whose wording depends only on the rule: built once per rule reference and shared, frozen,
   * between verdicts.
   */
  private fixedDocument(ref: Ref, build: () => [code: string, reason: string]): void {
    let doc = fixedDocuments.get(ref);
    if (!doc) {
      const [code, reason] = build();
      doc = Object.freeze({ ruleSet: ref.ruleSet, version: ref.version, rule: ref.rule, source: ref.source, unverified: ref.unverified, code, reason });
      fixedDocuments.set(ref, doc);
    }
    this.documents.push(doc);
  }

  private explain(ref: Ref, text: string): void {
    this.explanation.push({ ruleSet: ref.ruleSet, version: ref.version, rule: ref.rule, source: ref.source, unverified: ref.unverified, text });
  }

  private fmt(amountMinor: number): string {
    return formatMoney(amountMinor, this.currency);
  }
}

/** Whether rule `r` already hit the current item (its hits start at `first`). */
function hitSince(hits: ReadonlyArray<{ rule: number }>, first: number, r: number): boolean {
  for (let h = first; h < hits.length; h++) if (hits[h].rule === r) return true;
  return false;
}

function sum(lines: ChargeLine[]): number {
  let total = 0;
  for (const l of lines) total += l.amountMinor;
  return total;
}

function payerText(payer: Payer): string {
  return payer === 'collected_at_checkout' ? 'the seller at checkout' : `the ${payer}`;
}

function capitalize(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}

/** `ukVat` → `UK_VAT`, `VAT` → `VAT`, `GST` → `GST`. */
function upperSnake(text: string): string {
  return text.replace(/([a-z0-9])([A-Z])/g, '$1_$2').replace(/[^A-Za-z0-9]+/g, '_').toUpperCase();
}
