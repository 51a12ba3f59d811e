import { minorUnitDigits } from '../fx/money';
import {
  Consignee,
  DeMinimis,
  Delivery,
  Documents,
  DutyRate,
  Lane,
  Messaging,
  Money,
  OtherDocument,
  ProhibitedItem,
  QuietHours,
  Requirement,
  RuleSetContent,
  ScanGaps,
  DEFAULT_SCAN_GAP_HOURS,
  Threshold,
  ValueBasis,
} from '../rule-set/rule-set-content';
import type { SeedVersion } from './rule-set-seed';

/**
 * Building blocks shared by the seed files: provenance labels, money in minor units, and the facts that repeat
 * across countries (UPU forms and lithium batteries, e-cigarettes, the courtesy SMS window, lane estimates).
 * Everything here is data; the seed files only assemble it.
 */

/** A figure Passage chose without a source (duty averages, transit times): always `unverified`. */
export const ESTIMATE = 'Passage estimate';
/** A rule Passage applies by choice (courtesy quiet hours, conservative opt-out wording). */
export const POLICY = 'Passage policy';

/** Why a version starts on a date the fact sheet does not give. */
export const BASELINE_NOTE = 'Seed baseline: these rules predate this date; Passage models them from here on.';

export const ALL_DAYS = [1, 2, 3, 4, 5, 6, 7];
export const MON_TO_FRI = [1, 2, 3, 4, 5];
export const MON_TO_SAT = [1, 2, 3, 4, 5, 6];
export const SUNDAY = [7];

/** The 27 EU member states (ISO 3166-1; Greece is GR). */
export const EU_MEMBERS = [
  'AT', 'BE', 'BG', 'HR', 'CY', 'CZ', 'DK', 'EE', 'FI', 'FR', 'DE', 'GR', 'HU', 'IE',
  'IT', 'LV', 'LT', 'LU', 'MT', 'NL', 'PL', 'PT', 'RO', 'SK', 'SI', 'ES', 'SE',
];

/** Major units to the currency's minor units (JPY and KRW have none). */
export function money(major: number, currency: string): Money {
  return { amountMinor: Math.round(major * 10 ** minorUnitDigits(currency)), currency };
}

export function threshold(
  major: number,
  currency: string,
  comparison: 'lt' | 'lte',
  basis: ValueBasis = 'goods',
  valueFactor?: number,
): Threshold {
  return { ...money(major, currency), comparison, basis, ...(valueFactor === undefined ? {} : { valueFactor }) };
}

export interface SeedStep {
  effectiveFrom: string;
  /** Only where the law itself sets an end; otherwise the next step supersedes. */
  effectiveTo?: string;
  changeNote: string;
  content: RuleSetContent;
}

/** Numbers a country's steps 1..n in the order given (ascending `effectiveFrom`). */
export function history(country: string, steps: SeedStep[]): SeedVersion[] {
  return steps.map((step, i) => ({
    country,
    version: i + 1,
    effectiveFrom: step.effectiveFrom,
    ...(step.effectiveTo ? { effectiveTo: step.effectiveTo } : {}),
    content: step.content,
    changeNote: step.changeNote,
    author: 'seed',
  }));
}

// ---------------------------------------------------------------------------------------------- customs

export function noRelief(source: string, note?: string, unverified?: boolean): DeMinimis {
  return { kind: 'none', source, ...(note ? { note } : {}), ...(unverified ? { unverified } : {}) };
}

/**
 * An ad-valorem duty estimate: there is no tariff database here, so every rate is a Passage estimate, with
 * overrides for the HS chapters that differ most (apparel 61/62, footwear 64, bags 42, machines and
 * electronics 84/85).
 */
export function dutyEstimate(ratePercent: number, byChapter: Record<string, number> = {}, note?: string): DutyRate {
  return {
    ratePercent,
    source: ESTIMATE,
    unverified: true,
    note: note ?? 'Average ad-valorem rate for consumer goods; the real rate depends on the full tariff code and origin.',
    byHsPrefix: Object.entries(byChapter).map(([prefix, rate]) => ({ prefix, ratePercent: rate, source: ESTIMATE, unverified: true })),
  };
}

// -------------------------------------------------------------------------------------------- documents

const UPU_NOTE =
  'UPU (fact sheet global facts): CN22 for letter-post items under 300 SDR, CN23 for parcels and items of 300 SDR or more; ' +
  '2 kg is the letter-post (small packet) weight limit. The SDR rate is configurable, never fixed.';

/** The UPU CN22/CN23 line and the defaults most destinations share; pass what differs. */
export function documents(overrides: Partial<Documents> = {}): Documents {
  return {
    cn22MaxSdr: 300,
    cn22MaxGrams: 2000,
    commercialInvoice: 'above_cn22',
    hsDigits: 6,
    source: POLICY,
    note: UPU_NOTE,
    ...overrides,
  };
}

export function otherDocument(code: string, description: string, source: string, extra: Partial<OtherDocument> = {}): OtherDocument {
  return { code, description, source, ...extra };
}

// ---------------------------------------------------------------------------------- prohibited items

/** Loose lithium cells and power banks: UPU/ICAO accept them in mail only when installed in equipment. */
export const LOOSE_LITHIUM_BATTERIES: ProhibitedItem = {
  code: 'LOOSE_LITHIUM_BATTERIES',
  name: 'Loose lithium batteries and power banks',
  outcome: 'restricted',
  hsPrefixes: ['850650', '850760'],
  keywords: [
    'lithium battery', 'lithium batteries', 'lithium-ion battery', 'li-ion battery', 'power bank', 'powerbank',
    'Lithium-Batterie', 'Lithiumbatterie', 'Akku', 'batterie au lithium', 'batteria al litio', 'batería de litio', 'bateria de lítio',
  ],
  source: POLICY,
  note:
    'UPU/ICAO (fact sheet global facts): international mail carries lithium batteries only when installed in equipment ' +
    '(max 4 cells or 2 batteries); loose batteries are not accepted. Couriers follow IATA PI 965-970. Review before booking.',
};

const ECIG_HS = ['854340', '240412', '240419'];
const ECIG_KEYWORDS = [
  'e-cigarette', 'e-cigarettes', 'e-cig', 'ecig', 'vape', 'vapes', 'vaping', 'vape pen', 'vaporizer', 'e-liquid', 'e-liquids',
  'e-juice', 'E-Zigarette', 'E-Zigaretten', 'Liquid für E-Zigarette', 'cigarette électronique',
  'cigarettes électroniques', 'sigaretta elettronica', 'cigarrillo electrónico', 'cigarro eletrônico', 'e-sigaret',
  'elektronik sigara', 'e-papieros', 'e-cigarett',
];

/**
 * E-cigarettes, vapes and e-liquids: `blocked` where the fact sheet lists an import or mail ban,
 * `restricted` (excise / tobacco-control review) elsewhere.
 */
export function eCigarettes(outcome: 'blocked' | 'restricted', source: string, note: string, extra: Partial<ProhibitedItem> = {}): ProhibitedItem {
  return {
    code: 'E_CIGARETTES',
    name: 'E-cigarettes, vapes and e-liquids',
    outcome,
    hsPrefixes: [...ECIG_HS, ...(extra.hsPrefixes ?? [])],
    keywords: [...ECIG_KEYWORDS, ...(extra.keywords ?? [])],
    source,
    note,
    ...(extra.unverified ? { unverified: true } : {}),
  };
}

/** Where the sheet has no ban, vapes are excise / tobacco-control goods: review, do not block. */
export function eCigarettesRestricted(unverified = false): ProhibitedItem {
  return eCigarettes('restricted', POLICY, 'No import ban in the fact sheet; nicotine products are excise or tobacco-control goods here, so a person reviews them.', {
    unverified,
  });
}

export const ALCOHOL_HS = ['2203', '2204', '2205', '2206', '2207', '2208'];
export const ALCOHOL_KEYWORDS = ['alcohol', 'wine', 'beer', 'whisky', 'whiskey', 'vodka', 'gin', 'rum', 'liquor', 'liqueur', 'champagne', 'sake'];
export const TOBACCO_HS = ['2401', '2402', '2403'];
export const TOBACCO_KEYWORDS = ['tobacco', 'cigarette', 'cigarettes', 'cigar', 'cigars', 'snus', 'snuff', 'chewing tobacco', 'Tabak', 'tabac'];

/** Copies items with `unverified: true` (countries whose prohibited list the sheet could not confirm). */
export function markUnverified<T extends { unverified?: boolean }>(items: T[]): T[] {
  return items.map((item) => ({ ...item, unverified: true }));
}

// -------------------------------------------------------------------------------------------- messaging

/** No SMS at night, consignee's local time, every day: Passage's courtesy, whatever the law allows. */
export const COURTESY_QUIET_HOURS: QuietHours = {
  days: ALL_DAYS,
  start: '21:00',
  end: '08:00',
  appliesTo: 'all',
  source: POLICY,
  note: 'Courtesy window: no SMS between 21:00 and 08:00 local time, even for delivery updates.',
};

/**
 * Marketing allowed only between `from` and `to` on `days`: the quiet windows are the two same-day halves
 * (00:00–from and to–24:00), so no window crosses into a day it was not meant for.
 */
export function marketingOnlyBetween(days: number[], from: string, to: string, provenance: Partial<QuietHours>): QuietHours[] {
  return [
    { days, start: '00:00', end: from, appliesTo: 'marketing', ...provenance },
    { days, start: to, end: '00:00', appliesTo: 'marketing', ...provenance },
  ];
}

export interface MessagingFacts {
  locales: string[];
  fallback: string[];
  timeZones: string[];
  /** Legal windows on top of the courtesy window. */
  quietHours?: QuietHours[];
  /** Replaces the courtesy window (e.g. to flag it `unverified` where the sheet says quiet hours are). */
  courtesy?: QuietHours;
  smsOptInRequired: boolean;
  smsStopInstructions: boolean;
  senderIdNotes?: string;
  source: string;
  note: string;
  unverified?: boolean;
}

export function messaging(facts: MessagingFacts): Messaging {
  return {
    locales: facts.locales,
    fallback: facts.fallback,
    timeZones: facts.timeZones,
    quietHours: [facts.courtesy ?? COURTESY_QUIET_HOURS, ...(facts.quietHours ?? [])],
    smsOptInRequired: facts.smsOptInRequired,
    smsStopInstructions: facts.smsStopInstructions,
    ...(facts.senderIdNotes ? { senderIdNotes: facts.senderIdNotes } : {}),
    source: facts.source,
    note: facts.note,
    unverified: facts.unverified ?? false,
  };
}

/** For countries whose SMS rules the sheet could not confirm: courtesy window only, conservative opt-out. */
export const SMS_RULES_UNVERIFIED =
  'SMS rules unverified in the fact sheet: only the courtesy window applies. Delivery updates are treated as service messages ' +
  '(no opt-in); every SMS says how to opt out as the conservative choice.';

export const STOP_CONSERVATIVE =
  'Opt-out wording is required by law for marketing SMS only; Passage adds it to every SMS as the conservative choice.';

// -------------------------------------------------------------------------------------------- consignee

export const PHONE_UNVERIFIED: Requirement = {
  required: false,
  source: ESTIMATE,
  unverified: true,
  note: 'The fact sheet could not confirm whether a consignee phone is required; carriers recommend one for delivery SMS.',
};

export function required(isRequired: boolean, source: string, note: string, unverified = false): Requirement {
  return { required: isRequired, source, note, ...(unverified ? { unverified } : {}) };
}

export const POSTCODE_REQUIRED: Requirement = {
  required: true,
  source: POLICY,
  note: 'The format comes from postcode-validator (fact sheet postcode_regex).',
};
export const POSTCODE_NONE: Requirement = {
  required: false,
  source: POLICY,
  note: 'No postcode system (fact sheet postcode_regex: null).',
};

/** A consignee section with only the defaults most destinations share. */
export function consignee(overrides: Partial<Consignee> = {}): Consignee {
  return { phone: PHONE_UNVERIFIED, postcode: POSTCODE_REQUIRED, ...overrides };
}

// --------------------------------------------------------------------------------------------- delivery

/**
 * A lane estimate: transit days door to door (P50, P90), how long a customs hold usually lasts, and the
 * longest silence per status before a delay is suspected (in transit: half the P90, 72–240 h).
 */
export function lane(origin: string, p50: number, p90: number, customsHoldHours: number, gaps: Partial<ScanGaps> = {}): Lane {
  return {
    origin,
    transitDaysP50: p50,
    transitDaysP90: p90,
    customsHoldHours,
    maxScanGapHours: {
      ...DEFAULT_SCAN_GAP_HOURS,
      in_transit: Math.min(240, Math.max(72, Math.round((p90 * 24) / 2))),
      at_customs: customsHoldHours,
      customs_hold: Math.min(2000, customsHoldHours * 2),
      ...gaps,
    },
    source: ESTIMATE,
    unverified: true,
  };
}

export function delivery(lanes: Lane[], note?: string): Delivery {
  return {
    lanes,
    source: ESTIMATE,
    unverified: true,
    note: note ?? 'Transit times and scan gaps are Passage estimates (domestic SLA days unverified in the fact sheet); tune them from observed scans.',
  };
}
