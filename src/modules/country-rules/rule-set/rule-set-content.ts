import { plainToInstance, Type } from 'class-transformer';
import {
  ArrayMaxSize,
  ArrayMinSize,
  IsArray,
  IsBoolean,
  IsIn,
  IsInt,
  IsNotEmpty,
  IsNumber,
  IsObject,
  IsOptional,
  IsString,
  Matches,
  Max,
  MaxLength,
  Min,
  ValidateBy,
  ValidateNested,
  ValidationOptions,
  validateSync,
} from 'class-validator';
import { ErrorDetail } from '../../../common/errors/app-error';
import { toErrorDetails } from '../../../common/http/validation';
import { IsIsoCountry, IsIsoCurrency } from '../../../common/http/validators';

/**
 * The content of one rule-set version: data only, evaluated by generic code (`evaluate`). Every section is
 * optional so that a member state can inherit from its group (`inherits: 'EU'`) and override one field.
 *
 * Inheritance merges section by section: a child's field replaces the parent's field of the same name whole
 * (`customs.vat` replaces `customs.vat`); lists keyed by `code` (fees, prohibited items, flat duties, rate
 * bands) merge by code, the child's entry replacing the parent's.
 *
 * Every rule carries where it came from (`source`), a `note`, and `unverified` when the fact sheet could not
 * confirm it, so CX sees how sure Passage is. Money is integer minor units plus an ISO 4217 currency.
 */

const HH_MM = /^([01]\d|2[0-3]):[0-5]\d$/;

function isRegExpSource(value: unknown): boolean {
  if (typeof value !== 'string' || value.length === 0 || value.length > 300) return false;
  try {
    new RegExp(value);
    return true;
  } catch {
    return false;
  }
}

const IsRegExpSource = () =>
  ValidateBy({ name: 'isRegExpSource', validator: { validate: isRegExpSource, defaultMessage: () => 'must be a valid regular expression (at most 300 characters)' } });

function isIanaTimeZone(value: unknown): boolean {
  if (typeof value !== 'string' || value.length > 64) return false;
  try {
    new Intl.DateTimeFormat('en', { timeZone: value });
    return true;
  } catch {
    return false;
  }
}

const IsIanaTimeZone = (options?: ValidationOptions) =>
  ValidateBy(
    { name: 'isIanaTimeZone', validator: { validate: isIanaTimeZone, defaultMessage: () => 'must be an IANA time zone such as Europe/Paris' } },
    options,
  );

/** Provenance carried by every rule. */
export class Sourced {
  /** A URL or citation. */
  @IsOptional() @IsString() @MaxLength(500) source?: string;
  @IsOptional() @IsString() @MaxLength(1000) note?: string;
  /** True when the figure is a placeholder an operator should confirm. */
  @IsOptional() @IsBoolean() unverified?: boolean;
}

export class Money {
  @IsInt() @Min(0) @Max(1e12) amountMinor: number;
  @IsIsoCurrency() currency: string;
}

export const VALUE_BASES = ['goods', 'cif', 'taxable_value', 'tax_amount', 'item'] as const;
export type ValueBasis = (typeof VALUE_BASES)[number];

/**
 * A threshold test: "the value measured on `basis`, compared with `comparison`, against the amount".
 * - `goods`: intrinsic value of the consignment (goods only);
 * - `cif`: goods + shipping (+ insurance);
 * - `taxable_value`: goods × `valueFactor` (JP: 60 % of the overseas retail price for personal imports);
 * - `tax_amount`: the tax that would be due (CH: VAT ≤ CHF 5 is not levied; CN: tax ≤ CNY 50 waived);
 * - `item`: each item's value on its own (NO VOEC: per item < NOK 3,000).
 */
export class Threshold extends Money {
  @IsIn(['lt', 'lte']) comparison: 'lt' | 'lte';
  @IsIn(VALUE_BASES) basis: ValueBasis;
  @IsOptional() @IsNumber() @Min(0) @Max(10) valueFactor?: number;
}

/**
 * De minimis relief: `threshold` (relief when the test holds), `none` (no relief: charged from the first
 * unit, e.g. US since 2025-08-29, NO since 2024-01-01), or `not_charged` (the charge does not exist for
 * these goods, e.g. CH duties on industrial products, HK).
 */
export class DeMinimis extends Sourced {
  @IsIn(['threshold', 'none', 'not_charged']) kind: 'threshold' | 'none' | 'not_charged';
  @IsOptional() @IsObject() @ValidateNested() @Type(() => Threshold) threshold?: Threshold;
}

export class HsRate extends Sourced {
  /** HS chapter (2 digits), heading (4) or subheading (6+). The longest matching prefix wins. */
  @Matches(/^\d{2,10}$/) prefix: string;
  @IsNumber() @Min(0) @Max(1000) ratePercent: number;
}

/** Ad-valorem duty: always an estimate here (no tariff database), with overrides by HS prefix. */
export class DutyRate extends Sourced {
  @IsNumber() @Min(0) @Max(1000) ratePercent: number;
  @IsOptional() @IsArray() @ArrayMaxSize(500) @ValidateNested({ each: true }) @Type(() => HsRate) byHsPrefix?: HsRate[];
}

export class Vat extends Sourced {
  /** The standard rate applied to imports. */
  @IsNumber() @Min(0) @Max(100) ratePercent: number;
  /** A short name for the tax (VAT, GST, IVA, ICMS…). */
  @IsOptional() @IsString() @MaxLength(40) name?: string;
  @IsOptional() @IsObject() @ValidateNested() @Type(() => DeMinimis) deMinimis?: DeMinimis;
}

export const REGISTRATIONS = ['ioss', 'ukVat', 'voec', 'auGst', 'nzGst', 'sgGst', 'chVat', 'brRemessaConforme'] as const;
export type Registration = (typeof REGISTRATIONS)[number];
export const CHARGES = ['duty', 'vat'] as const;
export type Charge = (typeof CHARGES)[number];

/**
 * A low-value scheme: when the retailer holds `registration` and the consignment passes `upTo`, the seller
 * collects `collects` at checkout and the border charges nothing for them; `waives` are relieved outright
 * (VOEC goods are duty-free). Without the registration the verdict says what the border collects instead.
 */
export class LowValueScheme extends Sourced {
  @IsString() @Matches(/^[A-Z0-9_]{2,40}$/) code: string;
  @IsString() @IsNotEmpty() @MaxLength(100) name: string;
  @IsIn(REGISTRATIONS) registration: Registration;
  @IsObject() @ValidateNested() @Type(() => Threshold) upTo: Threshold;
  @IsArray() @ArrayMinSize(1) @IsIn(CHARGES, { each: true }) collects: Charge[];
  @IsOptional() @IsArray() @IsIn(CHARGES, { each: true }) waives?: Charge[];
  /** Whether the registration number must travel in the customs data (IOSS, VOEC, UK VAT). */
  @IsOptional() @IsBoolean() numberInCustomsData?: boolean;
}

/**
 * A rate in lieu of duty and/or VAT on a value band (BR 20 % ≤ USD 50 and 60 % minus USD 20 above; ZA 20 % ≤
 * ZAR 500; MX courier rates by origin). `above` is exclusive, `upTo` follows its comparison.
 */
export class RateBand extends Sourced {
  @IsString() @Matches(/^[A-Z0-9_]{2,40}$/) code: string;
  @IsString() @IsNotEmpty() @MaxLength(100) name: string;
  @IsOptional() @IsObject() @ValidateNested() @Type(() => Threshold) above?: Threshold;
  @IsOptional() @IsObject() @ValidateNested() @Type(() => Threshold) upTo?: Threshold;
  @IsNumber() @Min(0) @Max(1000) ratePercent: number;
  /** Subtracted from the computed amount, never below zero (BR: 60 % minus USD 20). */
  @IsOptional() @IsObject() @ValidateNested() @Type(() => Money) deduction?: Money;
  @IsArray() @ArrayMinSize(1) @IsIn(CHARGES, { each: true }) replaces: Charge[];
  /** Applies only to goods shipped from these countries / not from these. */
  @IsOptional() @IsArray() @IsIsoCountry({ each: true }) origins?: string[];
  @IsOptional() @IsArray() @IsIsoCountry({ each: true }) excludedOrigins?: string[];
  /** Applies only when the retailer holds this registration (BR Remessa Conforme), or only when it does not. */
  @IsOptional() @IsIn(REGISTRATIONS) requiresRegistration?: Registration;
  @IsOptional() @IsIn(REGISTRATIONS) withoutRegistration?: Registration;
  /** True when the rate is exact law rather than an estimate. */
  @IsOptional() @IsBoolean() exact?: boolean;
}

/** A fixed duty (EU: EUR 3 per distinct tariff line on consignments ≤ EUR 150, 2026-07-01 to 2028-07-01). */
export class FlatDuty extends Sourced {
  @IsString() @Matches(/^[A-Z0-9_]{2,40}$/) code: string;
  @IsString() @IsNotEmpty() @MaxLength(100) name: string;
  @IsObject() @ValidateNested() @Type(() => Money) amount: Money;
  /** `tariff_line`: per distinct HS subheading (`tariffLineDigits`, default 6). */
  @IsIn(['tariff_line', 'consignment']) per: 'tariff_line' | 'consignment';
  @IsOptional() @IsInt() @Min(4) @Max(10) tariffLineDigits?: number;
  @IsOptional() @IsObject() @ValidateNested() @Type(() => Threshold) upTo?: Threshold;
  /** Whether it replaces the ad-valorem duty (it does in the EU). */
  @IsOptional() @IsBoolean() replacesDuty?: boolean;
}

/** A per-parcel or per-line fee (FR EUR 2 per declaration line, SA SAR 15 per shipment, RO, IT). */
export class Fee extends Sourced {
  @IsString() @Matches(/^[A-Z0-9_]{2,40}$/) code: string;
  @IsString() @IsNotEmpty() @MaxLength(100) name: string;
  @IsObject() @ValidateNested() @Type(() => Money) amount: Money;
  @IsIn(['consignment', 'declaration_line']) per: 'consignment' | 'declaration_line';
  @IsOptional() @IsObject() @ValidateNested() @Type(() => Threshold) upTo?: Threshold;
  /** Fees charged only when goods come from outside this group of countries (e.g. non-EU parcels). */
  @IsOptional() @IsArray() @IsIsoCountry({ each: true }) exemptOrigins?: string[];
  /** `incoterm`: the shipper under DDP, the consignee under DAP. */
  @IsIn(['incoterm', 'shipper', 'consignee']) payer: 'incoterm' | 'shipper' | 'consignee';
}

export class Customs extends Sourced {
  @IsOptional() @IsObject() @ValidateNested() @Type(() => DeMinimis) dutyDeMinimis?: DeMinimis;
  @IsOptional() @IsObject() @ValidateNested() @Type(() => DutyRate) duty?: DutyRate;
  @IsOptional() @IsObject() @ValidateNested() @Type(() => Vat) vat?: Vat;
  @IsOptional() @IsObject() @ValidateNested() @Type(() => LowValueScheme) lowValueScheme?: LowValueScheme;
  @IsOptional() @IsArray() @ArrayMaxSize(50) @ValidateNested({ each: true }) @Type(() => RateBand) rateBands?: RateBand[];
  @IsOptional() @IsArray() @ArrayMaxSize(50) @ValidateNested({ each: true }) @Type(() => FlatDuty) flatDuties?: FlatDuty[];
  @IsOptional() @IsArray() @ArrayMaxSize(50) @ValidateNested({ each: true }) @Type(() => Fee) fees?: Fee[];
}

export class IdFormat {
  @IsString() @IsNotEmpty() @MaxLength(40) label: string;
  @IsRegExpSource() pattern: string;
  /** A checksum the `validator` package knows (`isTaxID` locale, e.g. `pt-BR` for CPF/CNPJ, `it-IT`). */
  @IsOptional() @IsString() @MaxLength(10) checksum?: string;
}

export class TaxIdRule extends Sourced {
  @IsString() @IsNotEmpty() @MaxLength(100) name: string;
  @IsArray() @ArrayMinSize(1) @ArrayMaxSize(10) @ValidateNested({ each: true }) @Type(() => IdFormat) formats: IdFormat[];
  /** `above`: required only when the consignment passes `requiredAbove` (IT Codice Fiscale above EUR 150). */
  @IsIn(['always', 'above', 'never']) required: 'always' | 'above' | 'never';
  @IsOptional() @IsObject() @ValidateNested() @Type(() => Threshold) requiredAbove?: Threshold;
  /** A consignee field that may stand in for the ID (TR: TCKN or a mobile phone). */
  @IsOptional() @IsIn(['phone']) alternative?: 'phone';
  /** Values that match a format but are refused (MX generic RFC XAXX010101000). */
  @IsOptional() @IsArray() @IsString({ each: true }) rejectedValues?: string[];
}

export class Requirement extends Sourced {
  @IsBoolean() required: boolean;
}

export class AddressRule extends Sourced {
  @IsInt() @Min(1) @Max(4) minLines: number;
  @IsOptional() @IsInt() @Min(1) @Max(200) maxLineLength?: number;
  @IsOptional() @IsBoolean() regionRequired?: boolean;
}

export class Consignee extends Sourced {
  @IsOptional() @IsObject() @ValidateNested() @Type(() => TaxIdRule) taxId?: TaxIdRule;
  @IsOptional() @IsObject() @ValidateNested() @Type(() => Requirement) phone?: Requirement;
  @IsOptional() @IsObject() @ValidateNested() @Type(() => Requirement) email?: Requirement;
  /** The postcode's format comes from postcode-validator; this says whether one is required at all. */
  @IsOptional() @IsObject() @ValidateNested() @Type(() => Requirement) postcode?: Requirement;
  @IsOptional() @IsObject() @ValidateNested() @Type(() => AddressRule) address?: AddressRule;
}

export class Documents extends Sourced {
  /** CN22 below this many SDR (and within `cn22MaxGrams`), CN23 otherwise (UPU: 300 SDR). */
  @IsOptional() @IsNumber() @Min(0) cn22MaxSdr?: number;
  @IsOptional() @IsInt() @Min(1) cn22MaxGrams?: number;
  @IsOptional() @IsIn(['always', 'above_cn22', 'never']) commercialInvoice?: 'always' | 'above_cn22' | 'never';
  /** EU H7 super-reduced data set for consignments within this value. */
  @IsOptional() @IsObject() @ValidateNested() @Type(() => Threshold) h7UpTo?: Threshold;
  /** HS-code digits the destination wants on the declaration (EU ICS2: 6). 0 = none required. */
  @IsOptional() @IsInt() @Min(0) @Max(10) hsDigits?: number;
  /** Other documents, as codes with a sentence (e.g. `US_STOP_ACT_AED`). */
  @IsOptional() @IsArray() @ArrayMaxSize(20) @ValidateNested({ each: true }) @Type(() => OtherDocument) other?: OtherDocument[];
}

export class OtherDocument extends Sourced {
  @IsString() @Matches(/^[A-Z0-9_]{2,40}$/) code: string;
  @IsString() @IsNotEmpty() @MaxLength(300) description: string;
}

export class ProhibitedItem extends Sourced {
  @IsString() @Matches(/^[A-Z0-9_]{2,40}$/) code: string;
  @IsString() @IsNotEmpty() @MaxLength(100) name: string;
  @IsIn(['blocked', 'restricted']) outcome: 'blocked' | 'restricted';
  @IsOptional() @IsArray() @ArrayMaxSize(100) @Matches(/^\d{2,10}$/, { each: true }) hsPrefixes?: string[];
  /** Whole-word, case-insensitive matches in item descriptions (several languages welcome). */
  @IsOptional() @IsArray() @ArrayMaxSize(100) @IsString({ each: true }) @MaxLength(60, { each: true }) keywords?: string[];
  /** Only for goods from these origins / not for these (rare). */
  @IsOptional() @IsArray() @IsIsoCountry({ each: true }) origins?: string[];
}

export class QuietHours extends Sourced {
  /** ISO weekdays 1 (Monday) to 7 (Sunday) the window applies on. */
  @IsArray() @ArrayMinSize(1) @IsInt({ each: true }) @Min(1, { each: true }) @Max(7, { each: true }) days: number[];
  /** Local time; a window whose end is before its start runs past midnight. `00:00`–`00:00` is the whole day. */
  @Matches(HH_MM) start: string;
  @Matches(HH_MM) end: string;
  /** Whom it binds: every SMS, or marketing only (transactional updates may still go). */
  @IsIn(['all', 'marketing']) appliesTo: 'all' | 'marketing';
  /** A subdivision (ISO 3166-2, e.g. `US-FL`) when the window is regional. */
  @IsOptional() @Matches(/^[A-Z]{2}-[A-Z0-9]{1,3}$/) region?: string;
}

export class Messaging extends Sourced {
  @IsArray() @ArrayMinSize(1) @IsString({ each: true }) locales: string[];
  /** Tried in order after the consignee's own locale and `locales` (e.g. `['fr', 'en']`). */
  @IsOptional() @IsArray() @IsString({ each: true }) fallback?: string[];
  @IsArray() @ArrayMinSize(1) @IsIanaTimeZone({ each: true }) timeZones: string[];
  @IsOptional() @IsArray() @ArrayMaxSize(20) @ValidateNested({ each: true }) @Type(() => QuietHours) quietHours?: QuietHours[];
  /** Whether transactional SMS needs an explicit opt-in in this country. */
  @IsOptional() @IsBoolean() smsOptInRequired?: boolean;
  /** Whether each SMS must say how to opt out. */
  @IsOptional() @IsBoolean() smsStopInstructions?: boolean;
  @IsOptional() @IsString() @MaxLength(1000) senderIdNotes?: string;
}

export class ScanGaps {
  @IsOptional() @IsInt() @Min(1) @Max(2000) booked?: number;
  @IsOptional() @IsInt() @Min(1) @Max(2000) collected?: number;
  @IsOptional() @IsInt() @Min(1) @Max(2000) in_transit?: number;
  @IsOptional() @IsInt() @Min(1) @Max(2000) at_customs?: number;
  @IsOptional() @IsInt() @Min(1) @Max(2000) customs_hold?: number;
  @IsOptional() @IsInt() @Min(1) @Max(2000) cleared?: number;
  @IsOptional() @IsInt() @Min(1) @Max(2000) out_for_delivery?: number;
  @IsOptional() @IsInt() @Min(1) @Max(2000) delivery_attempted?: number;
  @IsOptional() @IsInt() @Min(1) @Max(2000) available_for_pickup?: number;
  @IsOptional() @IsInt() @Min(1) @Max(2000) return_requested?: number;
  @IsOptional() @IsInt() @Min(1) @Max(2000) return_in_transit?: number;
}

/**
 * Passage's default maximum scan gap per status, in hours: what the seeded lanes start from, and what the
 * detectors use when a destination has no rule set or its lane leaves a status unsaid.
 */
export const DEFAULT_SCAN_GAP_HOURS: Required<ScanGaps> = {
  booked: 72,
  collected: 48,
  in_transit: 96,
  at_customs: 48,
  customs_hold: 96,
  cleared: 48,
  out_for_delivery: 24,
  delivery_attempted: 48,
  available_for_pickup: 168,
  return_requested: 168,
  return_in_transit: 240,
};

export class Lane extends Sourced {
  /** Origin country, or `*` for any origin not listed. */
  @Matches(/^([A-Z]{2}|\*)$/) origin: string;
  @IsNumber() @Min(0) @Max(120) transitDaysP50: number;
  @IsNumber() @Min(0) @Max(120) transitDaysP90: number;
  @IsInt() @Min(1) @Max(2000) customsHoldHours: number;
  /** The longest silence allowed per status before a delay is suspected, in hours. */
  @IsObject() @ValidateNested() @Type(() => ScanGaps) maxScanGapHours: ScanGaps;
}

export class Delivery extends Sourced {
  @IsArray() @ArrayMinSize(1) @ArrayMaxSize(100) @ValidateNested({ each: true }) @Type(() => Lane) lanes: Lane[];
}

export class RuleSetContent {
  @IsOptional() @IsString() @MaxLength(100) name?: string;
  /** The group this rule set inherits from (only `EU` exists today). */
  @IsOptional() @IsIn(['EU']) inherits?: 'EU';
  /** The destination's currency, in which verdict amounts are stated. */
  @IsOptional() @IsIsoCurrency() currency?: string;
  /** Member countries, for a group. */
  @IsOptional() @IsArray() @IsIsoCountry({ each: true }) members?: string[];
  @IsOptional() @IsObject() @ValidateNested() @Type(() => Consignee) consignee?: Consignee;
  @IsOptional() @IsObject() @ValidateNested() @Type(() => Customs) customs?: Customs;
  @IsOptional() @IsObject() @ValidateNested() @Type(() => Documents) documents?: Documents;
  @IsOptional() @IsArray() @ArrayMaxSize(100) @ValidateNested({ each: true }) @Type(() => ProhibitedItem) prohibited?: ProhibitedItem[];
  @IsOptional() @IsObject() @ValidateNested() @Type(() => Messaging) messaging?: Messaging;
  @IsOptional() @IsObject() @ValidateNested() @Type(() => Delivery) delivery?: Delivery;
  @IsOptional() @IsArray() @IsString({ each: true }) @MaxLength(500, { each: true }) sources?: string[];
}

/**
 * Validates raw JSON as rule-set content: unknown fields and wrong types are field-level errors
 * (`customs.vat.ratePercent`). Returns the typed content when valid.
 */
export function validateRuleSetContent(raw: unknown, field = 'content'): { content?: RuleSetContent; errors: ErrorDetail[] } {
  if (raw === null || typeof raw !== 'object' || Array.isArray(raw)) {
    return { errors: [{ field, issue: 'must be an object' }] };
  }
  const content = plainToInstance(RuleSetContent, raw);
  const errors = validateSync(content, { whitelist: true, forbidNonWhitelisted: true, forbidUnknownValues: true });
  if (errors.length > 0) return { errors: toErrorDetails(errors, field) };
  return { content: JSON.parse(JSON.stringify(content)) as RuleSetContent, errors: [] };
}
