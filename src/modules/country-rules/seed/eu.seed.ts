import { Consignee, Customs, Fee, Lane, ProhibitedItem, QuietHours, RuleSetContent, Vat } from '../rule-set/rule-set-content';
import {
  ALCOHOL_HS,
  ALCOHOL_KEYWORDS,
  BASELINE_NOTE,
  consignee,
  delivery,
  documents,
  dutyEstimate,
  ESTIMATE,
  EU_MEMBERS,
  eCigarettes,
  history,
  lane,
  LOOSE_LITHIUM_BATTERIES,
  marketingOnlyBetween,
  messaging,
  money,
  noRelief,
  otherDocument,
  POLICY,
  required,
  STOP_CONSERVATIVE,
  SUNDAY,
  MON_TO_SAT,
  threshold,
  TOBACCO_HS,
  TOBACCO_KEYWORDS,
} from './common.seed';
import type { SeedVersion } from './rule-set-seed';

/**
 * The EU group (customs union, VAT area) and its member states in the fact sheet. Members inherit the group
 * and state only what is national: VAT rate, currency, national parcel fees, consignee ID, messaging, lanes.
 */

const SRC_RELIEF_ENDS =
  'https://globalimportblog.bakermckenzie.com/2026/07/02/eu-low-value-consignment-relief-abolished-and-eur-3-customs-duty-introduced-from-1-july-2026/';
const SRC_FLAT_DUTY = 'https://fiscalsolutions.co.uk/news/eu-confirms-3-flat-rate-customs-duty-on-low-value-imports-from-july-2026';
const SRC_NATIONAL_FEES = 'https://www.vatupdate.com/2026/01/16/eu-and-member-states-introduce-e2-e5-parcel-customs-fees-ahead-of-2026-reforms';
const SRC_ICS2 = 'https://taxation-customs.ec.europa.eu/customs-4/customs-security/import-control-system-2-ics2-0/import-control-system-2-release-1_da';
/** The sheet cites "repo ibericode/vat-rates (EU VAT rates)". */
const SRC_VAT_RATES = 'https://github.com/ibericode/vat-rates';
const SRC_DE_MINIMIS = 'https://zonos.com/docs/guides/de-minimis-values';
const EU_SOURCES = [SRC_RELIEF_ENDS, SRC_FLAT_DUTY, SRC_NATIONAL_FEES, SRC_ICS2, 'repo ibericode/vat-rates (EU VAT rates)'];

const EU_START = '2021-07-01';
const RELIEF_ENDS = '2026-07-01';
const FLAT_DUTY_ENDS = '2028-07-01';

// ----------------------------------------------------------------------------------------------- group

const EU_DUTY = dutyEstimate(4, { '42': 5, '61': 12, '62': 12, '64': 12, '84': 2, '85': 2, '95': 3 });

const IOSS = {
  code: 'IOSS',
  name: 'Import One-Stop Shop',
  registration: 'ioss' as const,
  upTo: threshold(150, 'EUR', 'lte'),
  collects: ['vat' as const],
  numberInCustomsData: true,
  source: SRC_DE_MINIMIS,
  note:
    'Distance sales of non-excise goods in consignments of intrinsic value ≤ EUR 150: the seller or marketplace charges destination ' +
    'VAT at checkout and puts its IOSS number in the customs data. Without IOSS, VAT (+ carrier fee) is collected from the buyer on import.',
};

/** A placeholder for members without a rule set of their own; each member overrides it. */
const EU_VAT_PLACEHOLDER: Vat = {
  ratePercent: 21,
  name: 'VAT',
  deMinimis: noRelief(SRC_DE_MINIMIS, 'EUR 22 import VAT exemption abolished 2021-07-01.'),
  source: ESTIMATE,
  unverified: true,
  note: 'Placeholder for a member without its own rule set (standard rates run from 17 % to 27 %); every seeded member overrides it.',
};

const HANDLING_FEE_NOTE =
  'A proposed EU-wide EUR 2 handling fee per low-value item is not modelled: its start date is unverified in the fact sheet. ' +
  'Excise goods (alcohol, tobacco, e-liquids) cannot use IOSS or the H7 data set.';

const EU_PROHIBITED: ProhibitedItem[] = [
  {
    code: 'COUNTERFEITS',
    name: 'Counterfeit goods',
    outcome: 'restricted',
    keywords: ['counterfeit', 'counterfeits', 'replica', 'fake designer', 'knockoff', 'knock-off', 'Fälschung', 'Plagiat', 'contrefaçon', 'contraffazione', 'falsificación', 'namaak', 'podróbka'],
    source: POLICY,
    note: 'Fact sheet (EU prohibited): counterfeits are seized at the border.',
  },
  {
    code: 'WEAPONS',
    name: 'Weapons and ammunition',
    outcome: 'restricted',
    hsPrefixes: ['93'],
    keywords: ['firearm', 'firearms', 'handgun', 'pistol', 'revolver', 'rifle', 'ammunition', 'Schusswaffe', 'Munition', 'arme à feu', 'munitions', 'arma da fuoco', 'munizioni', 'arma de fuego'],
    source: POLICY,
    note: 'Fact sheet (EU prohibited): weapons and ammunition need national licences.',
  },
  {
    code: 'NARCOTICS',
    name: 'Narcotics',
    outcome: 'restricted',
    keywords: ['narcotic', 'narcotics', 'cannabis', 'marijuana', 'cocaine', 'heroin', 'Betäubungsmittel', 'stupéfiant', 'stupéfiants', 'stupefacenti', 'estupefacientes'],
    source: POLICY,
    note: 'Fact sheet (EU prohibited): narcotics.',
  },
  LOOSE_LITHIUM_BATTERIES,
  eCigarettes('restricted', POLICY, 'Excise goods: excluded from IOSS and H7, full declaration and national excise rules (fact sheet, EU prohibited).'),
  {
    code: 'ALCOHOL',
    name: 'Alcoholic beverages',
    outcome: 'restricted',
    hsPrefixes: ALCOHOL_HS,
    keywords: [...ALCOHOL_KEYWORDS, 'Wein', 'Bier', 'vin', 'bière', 'vino', 'birra', 'cerveza'],
    source: POLICY,
    note: 'Excise goods: excluded from IOSS and H7; excise duty is due on import (fact sheet, EU prohibited).',
  },
  {
    code: 'TOBACCO',
    name: 'Tobacco products',
    outcome: 'restricted',
    hsPrefixes: TOBACCO_HS,
    keywords: TOBACCO_KEYWORDS,
    source: POLICY,
    note: 'Excise goods: excluded from IOSS and H7; excise duty is due on import (fact sheet, EU prohibited).',
  },
];

const EU_DOCUMENTS_V1 = documents({
  h7UpTo: threshold(150, 'EUR', 'lte'),
  hsDigits: 6,
  other: [
    otherDocument('EU_ICS2', 'ICS2 advance data before loading (R1 2021-03-15 postal/express air, R2 2023-03-01 all air): HS6 and the consignee EORI if assigned.', SRC_ICS2),
    otherDocument('EU_DECLARATION', 'A customs declaration for every import: H7 super-reduced data set ≤ EUR 150, H6 for postal items ≤ EUR 1,000, H1 otherwise.', SRC_ICS2),
    otherDocument('EU_EORI', 'EORI number for business importers (not consumers).', SRC_ICS2, { unverified: true, note: 'EORI format unverified in the fact sheet.' }),
  ],
});

const EU_DOCUMENTS_V2 = documents({
  ...EU_DOCUMENTS_V1,
  other: [
    ...(EU_DOCUMENTS_V1.other ?? []),
    otherDocument(
      'EU_PRODUCT_IDENTIFIERS',
      'Item-level product identifiers for distance sales ≤ EUR 150: voluntary from 2026-07-01, mandatory from 2026-11-01.',
      SRC_RELIEF_ENDS,
      { unverified: true, note: 'Secondary source in the fact sheet.' },
    ),
  ],
});

function euLanes(p50: number, p90: number): Lane[] {
  return [
    lane('*', p50, p90, 48),
    lane('GB', Math.max(2, p50 - 2), Math.max(4, p90 - 3), 36),
    lane('US', p50 + 1, p90 + 2, 48),
    lane('CN', p50 + 4, p90 + 8, 72),
  ];
}

const EU_GROUP_BASE: RuleSetContent = {
  name: 'European Union',
  currency: 'EUR',
  members: EU_MEMBERS,
  consignee: consignee(),
  documents: EU_DOCUMENTS_V1,
  prohibited: EU_PROHIBITED,
  messaging: messaging({
    locales: ['en'],
    fallback: ['en'],
    timeZones: ['Europe/Brussels'],
    smsOptInRequired: false,
    smsStopInstructions: true,
    source: POLICY,
    note:
      'ePrivacy art. 13: marketing SMS needs prior consent or soft opt-in, with opt-out in every message; order and delivery ' +
      'notifications are not marketing. Locale and time zone here are placeholders for members without their own rule set: ' +
      'resolve them from the address. ' + STOP_CONSERVATIVE,
    unverified: true,
  }),
  delivery: delivery(euLanes(6, 12)),
  sources: EU_SOURCES,
};

function euCustoms(overrides: Partial<Customs>): Customs {
  return {
    note: HANDLING_FEE_NOTE,
    duty: EU_DUTY,
    vat: EU_VAT_PLACEHOLDER,
    lowValueScheme: IOSS,
    ...overrides,
  };
}

const EU_FLAT_DUTY = {
  code: 'EU_FLAT_DUTY',
  name: 'EU flat customs duty on low-value consignments',
  amount: money(3, 'EUR'),
  per: 'tariff_line' as const,
  tariffLineDigits: 6,
  upTo: threshold(150, 'EUR', 'lte'),
  replacesDuty: true,
  source: SRC_FLAT_DUTY,
  note:
    'EUR 3 per distinct tariff sub-heading (5 T-shirts = 1 item = EUR 3; shirt + watch = EUR 6) on distance-sale consignments ≤ EUR 150, ' +
    '2026-07-01 to 2028-07-01 (Council Reg. (EU) 2026/382; Commission Del. Reg. (EU) 2026/1022). Goods of preferential origin are excluded.',
};

const EU_SEED: SeedVersion[] = history('EU', [
  {
    effectiveFrom: EU_START,
    changeNote: 'EU e-commerce VAT package: EUR 22 VAT exemption abolished, IOSS for consignments ≤ EUR 150; EUR 150 duty relief (Reg. 1186/2009).',
    content: {
      ...EU_GROUP_BASE,
      customs: euCustoms({
        dutyDeMinimis: {
          kind: 'threshold',
          threshold: threshold(150, 'EUR', 'lte'),
          source: SRC_RELIEF_ENDS,
          note: 'Reg. 1186/2009 relief on the consignment intrinsic value; not for excise goods.',
        },
      }),
    },
  },
  {
    effectiveFrom: RELIEF_ENDS,
    changeNote: 'EUR 150 duty relief abolished; temporary flat EUR 3 duty per tariff line on consignments ≤ EUR 150 until 2028-07-01.',
    content: {
      ...EU_GROUP_BASE,
      documents: EU_DOCUMENTS_V2,
      customs: euCustoms({
        dutyDeMinimis: noRelief(SRC_RELIEF_ENDS, 'EUR 150 duty relief abolished 2026-07-01 (Council Reg. (EU) 2026/382).'),
        flatDuties: [EU_FLAT_DUTY],
      }),
    },
  },
  {
    effectiveFrom: FLAT_DUTY_ENDS,
    changeNote: 'Flat EUR 3 duty ends; normal tariff rates apply to low-value consignments.',
    content: {
      ...EU_GROUP_BASE,
      documents: EU_DOCUMENTS_V2,
      customs: euCustoms({
        dutyDeMinimis: noRelief(SRC_RELIEF_ENDS, 'No duty relief; the temporary flat duty ended 2028-07-01, normal tariff rates apply.'),
      }),
    },
  },
]);

// --------------------------------------------------------------------------------------------- members

function euVat(ratePercent: number, note?: string, extra: Partial<Vat> = {}): Vat {
  return {
    ratePercent,
    name: 'VAT',
    deMinimis: noRelief(SRC_DE_MINIMIS, 'EUR 22 import VAT exemption abolished 2021-07-01.'),
    source: SRC_VAT_RATES,
    ...(note ? { note } : {}),
    ...extra,
  };
}

interface MemberFacts {
  name: string;
  currency: string;
  vat: Vat;
  locales: string[];
  fallback: string[];
  timeZone: string;
  smsSource?: string;
  smsNote?: string;
  quietHours?: QuietHours[];
  senderIdNotes?: string;
  consignee?: Consignee;
  lanes: Lane[];
  sources?: string[];
}

const EU_SMS_NOTE =
  'ePrivacy art. 13: marketing SMS needs prior consent or soft opt-in, with opt-out in every message; order and delivery notifications are not marketing.';

function member(facts: MemberFacts, fees?: Fee[]): RuleSetContent {
  return {
    name: facts.name,
    inherits: 'EU',
    currency: facts.currency,
    customs: { vat: facts.vat, ...(fees ? { fees } : {}) },
    consignee: facts.consignee ?? consignee(),
    messaging: messaging({
      locales: facts.locales,
      fallback: facts.fallback,
      timeZones: [facts.timeZone],
      quietHours: facts.quietHours,
      smsOptInRequired: false,
      smsStopInstructions: true,
      senderIdNotes: facts.senderIdNotes,
      source: facts.smsSource ?? POLICY,
      note: `${facts.smsNote ?? EU_SMS_NOTE} ${STOP_CONSERVATIVE}`,
    }),
    delivery: delivery(facts.lanes),
    sources: [...(facts.sources ?? []), SRC_VAT_RATES],
  };
}

const MEMBER_BASELINE = `Member rules from the EU VAT package (${EU_START}). ${BASELINE_NOTE}`;

function single(code: string, facts: MemberFacts): SeedVersion[] {
  return history(code, [{ effectiveFrom: EU_START, changeNote: MEMBER_BASELINE, content: member(facts) }]);
}

const IE: MemberFacts = {
  name: 'Ireland',
  currency: 'EUR',
  vat: euVat(23),
  locales: ['en-IE'],
  fallback: ['en'],
  timeZone: 'Europe/Dublin',
  consignee: consignee({ postcode: required(false, POLICY, 'Eircode format from postcode-validator; recommended, but many consignees do not give one.') }),
  lanes: euLanes(6, 12),
};

const DE: MemberFacts = {
  name: 'Germany',
  currency: 'EUR',
  vat: euVat(19),
  locales: ['de-DE'],
  fallback: ['de', 'en'],
  timeZone: 'Europe/Berlin',
  smsSource: 'https://lxgesetze.de/uwg/7',
  smsNote: 'UWG s.7: advertising SMS needs prior express consent; soft opt-in for own similar goods. Transactional messages are not advertising.',
  lanes: euLanes(5, 10),
  sources: ['https://lxgesetze.de/uwg/7'],
};

const SRC_CNIL = 'https://cnil.fr./la-prospection-commerciale-par-sms-mms';
const FR: MemberFacts = {
  name: 'France',
  currency: 'EUR',
  vat: euVat(20),
  locales: ['fr-FR'],
  fallback: ['fr', 'en'],
  timeZone: 'Europe/Paris',
  smsSource: SRC_CNIL,
  smsNote:
    'CPCE L34-5: marketing SMS needs prior consent, STOP opt-out and sender identity; no marketing SMS on Sundays, public holidays ' +
    'or at night. Transactional SMS is not covered. Public holidays cannot be expressed as quiet hours yet.',
  quietHours: [
    { days: SUNDAY, start: '00:00', end: '00:00', appliesTo: 'marketing', source: SRC_CNIL, note: 'No marketing SMS on Sundays (public holidays too, not modelled).' },
    ...marketingOnlyBetween(MON_TO_SAT, '10:00', '20:00', {
      source: SRC_CNIL,
      unverified: true,
      note: 'Windows cited Mon–Sat 08:00–20:00 or 10:00–20:00 (exact window unverified); Passage keeps the narrower one.',
    }),
  ],
  senderIdNotes: 'Marketing SMS must identify the sender (CPCE L34-5).',
  lanes: euLanes(5, 11),
  sources: [SRC_CNIL],
};

const FR_LINE_FEE: Fee = {
  code: 'FR_LINE_FEE',
  name: 'French fee per customs-declaration line',
  amount: money(2, 'EUR'),
  per: 'declaration_line',
  upTo: threshold(150, 'EUR', 'lt'),
  exemptOrigins: EU_MEMBERS,
  payer: 'incoterm',
  source: SRC_NATIONAL_FEES,
  unverified: true,
  note: 'EUR 2 per customs-declaration line on imports < EUR 150 from 2026-03-01 (secondary sources).',
};

const NL: MemberFacts = {
  name: 'Netherlands',
  currency: 'EUR',
  vat: euVat(21, 'The Netherlands dropped its planned national parcel fee (fact sheet).'),
  locales: ['nl-NL'],
  fallback: ['nl', 'en'],
  timeZone: 'Europe/Amsterdam',
  lanes: euLanes(5, 10),
};

const ES: MemberFacts = {
  name: 'Spain',
  currency: 'EUR',
  vat: euVat(21, 'The Canary Islands, Ceuta and Melilla are outside the EU VAT area: no Spanish VAT there (not expressible by region yet).'),
  locales: ['es-ES'],
  fallback: ['es', 'en'],
  timeZone: 'Europe/Madrid',
  consignee: consignee({
    taxId: {
      name: 'NIF / NIE',
      formats: [
        { label: 'DNI / NIF', pattern: '^\\d{8}[A-Z]$', checksum: 'es-ES' },
        { label: 'NIE', pattern: '^[XYZ]\\d{7}[A-Z]$', checksum: 'es-ES' },
      ],
      required: 'never',
      source: ESTIMATE,
      unverified: true,
      note: 'Consignee tax ID unverified in the fact sheet: carriers may ask for a NIF/NIE at clearance. Formats (knowledge) are checked when one is given.',
    },
  }),
  lanes: euLanes(6, 13),
};

const IT: MemberFacts = {
  name: 'Italy',
  currency: 'EUR',
  vat: euVat(22),
  locales: ['it-IT'],
  fallback: ['it', 'en'],
  timeZone: 'Europe/Rome',
  consignee: consignee({
    taxId: {
      name: 'Codice Fiscale',
      formats: [{ label: 'Codice Fiscale', pattern: '^[A-Z]{6}\\d{2}[A-Z]\\d{2}[A-Z]\\d{3}[A-Z]$', checksum: 'it-IT' }],
      required: 'above',
      requiredAbove: threshold(150, 'EUR', 'lte'),
      source: ESTIMATE,
      unverified: true,
      note: 'Reported for private consignees when the invoice value is above EUR 150 (carrier guidance); format (knowledge).',
    },
    phone: required(true, ESTIMATE, 'Reported: consignee phone and email on the invoice (carrier guidance).', true),
    email: required(true, ESTIMATE, 'Reported: consignee phone and email on the invoice (carrier guidance).', true),
  }),
  lanes: euLanes(7, 15),
};

const IT_PARCEL_FEE: Fee = {
  code: 'IT_PARCEL_FEE',
  name: 'Italian fee on low-value non-EU consignments',
  amount: money(2, 'EUR'),
  per: 'consignment',
  upTo: threshold(150, 'EUR', 'lt'),
  exemptOrigins: EU_MEMBERS,
  payer: 'incoterm',
  source: SRC_NATIONAL_FEES,
  unverified: true,
  note: 'EUR 2 per consignment (non-EU, < EUR 150), reported postponed to 2026-07-01; final start date unverified.',
};

const BE: MemberFacts = {
  name: 'Belgium',
  currency: 'EUR',
  vat: euVat(21, 'Belgium withdrew its planned national parcel fee (fact sheet).'),
  locales: ['nl-BE', 'fr-BE', 'de-BE'],
  fallback: ['nl', 'fr', 'en'],
  timeZone: 'Europe/Brussels',
  lanes: euLanes(5, 10),
};

const PL: MemberFacts = {
  name: 'Poland',
  currency: 'PLN',
  vat: euVat(23),
  locales: ['pl-PL'],
  fallback: ['pl', 'en'],
  timeZone: 'Europe/Warsaw',
  lanes: euLanes(6, 12),
};

const SE: MemberFacts = {
  name: 'Sweden',
  currency: 'SEK',
  vat: euVat(25),
  locales: ['sv-SE'],
  fallback: ['sv', 'en'],
  timeZone: 'Europe/Stockholm',
  lanes: euLanes(6, 12),
};

const DK: MemberFacts = {
  name: 'Denmark',
  currency: 'DKK',
  vat: euVat(25, 'Greenland (GL) and the Faroe Islands (FO) are outside the EU customs and VAT area.'),
  locales: ['da-DK'],
  fallback: ['da', 'en'],
  timeZone: 'Europe/Copenhagen',
  lanes: euLanes(5, 11),
};

/**
 * Romania has no entry of its own in the fact sheet; it is seeded deliberately for the RO 25 lei parcel fee
 * (fact sheet, EU national fees). Its VAT rates are Passage knowledge, marked unverified.
 */
function ro(vatRate: number, vatNote: string): MemberFacts {
  return {
    name: 'Romania',
    currency: 'RON',
    vat: euVat(vatRate, vatNote, { source: ESTIMATE, unverified: true }),
    locales: ['ro-RO'],
    fallback: ['ro', 'en'],
    timeZone: 'Europe/Bucharest',
    lanes: euLanes(8, 16),
  };
}

const RO_PARCEL_FEE: Fee = {
  code: 'RO_PARCEL_FEE',
  name: 'Romanian fee on low-value non-EU parcels',
  amount: money(25, 'RON'),
  per: 'consignment',
  upTo: threshold(150, 'EUR', 'lte'),
  exemptOrigins: EU_MEMBERS,
  payer: 'incoterm',
  source: SRC_NATIONAL_FEES,
  unverified: true,
  note: '25 lei per non-EU parcel ≤ EUR 150 from 2026-01-01 (secondary sources).',
};

const RO_VAT_19 = 'Not in the fact sheet: 19 % standard rate before 2025-08-01 (Passage knowledge).';
const RO_VAT_21 = 'Not in the fact sheet: standard rate raised to 21 % on 2025-08-01 (Passage knowledge).';

export const EU_SEEDS: SeedVersion[] = [
  ...EU_SEED,
  ...single('IE', IE),
  ...single('DE', DE),
  ...history('FR', [
    { effectiveFrom: EU_START, changeNote: MEMBER_BASELINE, content: member(FR) },
    { effectiveFrom: '2026-03-01', changeNote: 'EUR 2 fee per customs-declaration line on imports < EUR 150 (secondary sources, unverified).', content: member(FR, [FR_LINE_FEE]) },
  ]),
  ...single('NL', NL),
  ...single('ES', ES),
  ...history('IT', [
    { effectiveFrom: EU_START, changeNote: MEMBER_BASELINE, content: member(IT) },
    { effectiveFrom: '2026-07-01', changeNote: 'EUR 2 fee per non-EU consignment < EUR 150, reported postponed to this date (unverified).', content: member(IT, [IT_PARCEL_FEE]) },
  ]),
  ...single('BE', BE),
  ...single('PL', PL),
  ...single('SE', SE),
  ...single('DK', DK),
  ...history('RO', [
    { effectiveFrom: EU_START, changeNote: `${MEMBER_BASELINE} Seeded for the national parcel fee; VAT rate is Passage knowledge.`, content: member(ro(19, RO_VAT_19)) },
    { effectiveFrom: '2025-08-01', changeNote: 'Standard VAT rate 19 % → 21 % (Passage knowledge, unverified).', content: member(ro(21, RO_VAT_21)) },
    { effectiveFrom: '2026-01-01', changeNote: '25 lei fee per non-EU parcel ≤ EUR 150 (secondary sources, unverified).', content: member(ro(21, RO_VAT_21), [RO_PARCEL_FEE]) },
  ]),
];
