import { FxRate } from '../fx/money';
import { Registration, RuleSetContent } from '../rule-set/rule-set-content';

/** One immutable version of a country's (or group's) rules, as stored. */
export interface RuleSetVersion {
  /** ISO 3166-1 alpha-2, or a group code (`EU`). */
  country: string;
  version: number;
  /** Inclusive, `YYYY-MM-DD`. */
  effectiveFrom: string;
  /** Exclusive, `YYYY-MM-DD`; open-ended when absent. */
  effectiveTo?: string;
  content: RuleSetContent;
}

/**
 * Every version of every rule set, by country or group code, sorted by `effectiveFrom` ascending. The version
 * in force at an instant is the latest whose `effectiveFrom` ≤ that date (and before its `effectiveTo`).
 */
export type RuleSetCatalog = ReadonlyMap<string, readonly RuleSetVersion[]>;

/** The rates in force for the evaluation date, by currency (EUR included; XDR is the SDR). */
export type FxTable = ReadonlyMap<string, FxRate>;

export interface MoneyAmount {
  amountMinor: number;
  currency: string;
}

/** The shipment as evaluate sees it: the booking body's shape, plus the retailer's registrations. */
export interface ComplianceInput {
  incoterm: 'DDP' | 'DAP';
  origin: { country: string };
  consignee: {
    name?: string;
    email?: string;
    phone?: string;
    taxId?: string;
    address: { lines: string[]; city?: string; postcode?: string; region?: string; country: string };
  };
  items: Array<{
    description: string;
    hsCode?: string;
    quantity: number;
    /** Value of one unit, minor units of `currency`. */
    unitValue: number;
    currency: string;
    originCountry: string;
    weightGrams: number;
  }>;
  /** Freight (and insurance) for CIF bases; 0 when not given (the verdict says so). */
  shipping?: MoneyAmount;
  /** Registration numbers the retailer holds (retailer settings). */
  registrations: Partial<Record<Registration, string>>;
}

export type VerdictStatus = 'ok' | 'needs_information' | 'blocked';
/** `collected_at_checkout`: the seller charges it in the checkout under a low-value scheme. */
export type Payer = 'shipper' | 'consignee' | 'collected_at_checkout';

/** Names the rule behind a step: the rule set (country or group), its version, and the field path. */
export interface RuleRef {
  /** e.g. `DE`, `EU`. */
  ruleSet: string;
  version: number;
  /** Dotted path in the content, e.g. `customs.vat`. */
  rule: string;
  source?: string;
  unverified?: boolean;
}

export interface ChargeLine extends MoneyAmount, RuleRef {
  code: string;
  name: string;
  payer: Payer;
  /** True when the amount rests on an estimated rate (ad-valorem duty without a tariff database). */
  estimate: boolean;
}

export interface VerdictIssue extends RuleRef {
  /** Machine-readable, e.g. `TAX_ID_REQUIRED`, `TAX_ID_INVALID`, `PHONE_REQUIRED`, `PROHIBITED_ITEM`. */
  code: string;
  /** The input field, e.g. `consignee.taxId`, `items.0.description`. */
  field?: string;
  message: string;
  /** `blocked` issues block the booking; `needs_information` ones can be fixed by a patch; `restricted` needs review. */
  severity: 'blocked' | 'needs_information' | 'restricted' | 'warning';
}

export interface DocumentRequirement extends RuleRef {
  /** `CN22`, `CN23`, `COMMERCIAL_INVOICE`, `EU_H7`, `IOSS_NUMBER`, `VOEC_NUMBER`, `UK_VAT_NUMBER`, `HS_CODES`… */
  code: string;
  reason: string;
}

export interface Conversion {
  from: MoneyAmount;
  to: MoneyAmount;
  rate: number;
  /** The dated rates used, e.g. `[{ currency: 'USD', unitsPerEur: 1.08, asOf: '2026-01-01' }]`. */
  rates: Array<{ currency: string; unitsPerEur: number; asOf: string; unverified: boolean }>;
}

export interface ExplanationStep extends RuleRef {
  /** A plain-language sentence naming the numbers it used. */
  text: string;
}

export interface Verdict {
  status: VerdictStatus;
  destination: string;
  /** The instant evaluated (`YYYY-MM-DD` date used for effective dates). */
  evaluatedOn: string;
  /** The versions that applied, child first (`[{ ruleSet: 'DE', version: 1 }, { ruleSet: 'EU', version: 2 }]`). */
  ruleSets: Array<{ ruleSet: string; version: number; effectiveFrom: string }>;
  documents: DocumentRequirement[];
  scheme: null | (RuleRef & { code: string; name: string; registrationNumber: string });
  duties: ChargeLine[];
  taxes: ChargeLine[];
  fees: ChargeLine[];
  /** In the destination currency: goods + shipping + duties + taxes + fees. */
  landedCost: {
    currency: string;
    goods: number;
    shipping: number;
    duties: number;
    taxes: number;
    fees: number;
    total: number;
    /** What the consignee pays at the door (DAP duties and taxes, fees they bear). */
    dueFromConsignee: number;
    /** True when any part rests on an estimate or an unverified rule or rate. */
    estimate: boolean;
  };
  issues: VerdictIssue[];
  explanation: ExplanationStep[];
  conversions: Conversion[];
}
