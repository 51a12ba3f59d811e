import { Customs, RateBand, RuleSetContent } from '../rule-set/rule-set-content';
import {
  ALCOHOL_HS,
  ALCOHOL_KEYWORDS,
  BASELINE_NOTE,
  consignee,
  COURTESY_QUIET_HOURS,
  delivery,
  documents,
  dutyEstimate,
  EU_MEMBERS,
  eCigarettes,
  eCigarettesRestricted,
  history,
  lane,
  LOOSE_LITHIUM_BATTERIES,
  markUnverified,
  messaging,
  noRelief,
  otherDocument,
  POLICY,
  required,
  SMS_RULES_UNVERIFIED,
  STOP_CONSERVATIVE,
  threshold,
  TOBACCO_HS,
  TOBACCO_KEYWORDS,
} from './common.seed';
import type { SeedVersion } from './rule-set-seed';

/** Europe outside the EU: GB, CH, NO, and TR. */

// ------------------------------------------------------------------------------------------------- GB

const SRC_GB_BUDGET = 'https://taxscape.deloitte.com/measures-autumn-budget-2025/customs-duty-relief-for-low-value-imports.aspx';
const SRC_GB_CUSTOMS = 'https://www.trade.gov/country-commercial-guides/united-kingdom-customs-regulations';

const GB_BASE: RuleSetContent = {
  name: 'United Kingdom',
  currency: 'GBP',
  consignee: consignee(),
  documents: documents({
    commercialInvoice: 'always',
    source: SRC_GB_CUSTOMS,
    note: 'CN22/CN23 for postal items (also UK↔EU since 2021); commercial invoice for courier (the invoice rule here is the courier one).',
    other: [
      otherDocument('GB_SELLER_VAT_NUMBER', "The seller's UK VAT number on consignments ≤ GBP 135.", SRC_GB_CUSTOMS),
      otherDocument('GB_EORI', 'GB EORI number for business importers (not consumers).', SRC_GB_CUSTOMS),
    ],
  }),
  prohibited: [LOOSE_LITHIUM_BATTERIES, eCigarettesRestricted()],
  messaging: messaging({
    locales: ['en-GB'],
    fallback: ['en'],
    timeZones: ['Europe/London'],
    courtesy: { ...COURTESY_QUIET_HOURS, unverified: true, note: `${COURTESY_QUIET_HOURS.note} No statutory quiet hours found (unverified in the fact sheet).` },
    smsOptInRequired: false,
    smsStopInstructions: true,
    source: POLICY,
    note: `PECR: marketing SMS needs consent or soft opt-in; service messages (order, delivery) are not direct marketing. ${STOP_CONSERVATIVE}`,
  }),
  delivery: delivery([
    lane('*', 5, 10, 48),
    ...['DE', 'FR', 'NL', 'IE', 'BE'].map((origin) => lane(origin, 4, 8, 36)),
    lane('US', 6, 12, 48),
    lane('CN', 9, 18, 72),
  ]),
  sources: [SRC_GB_BUDGET, SRC_GB_CUSTOMS],
};

function gbCustoms(overrides: Partial<Customs>): Customs {
  return {
    duty: dutyEstimate(4, { '42': 4, '61': 12, '62': 12, '64': 12, '84': 2, '85': 2 }),
    vat: {
      ratePercent: 20,
      name: 'VAT',
      deMinimis: noRelief(SRC_GB_CUSTOMS, 'LVCR GBP 15 removed 2021-01-01; gifts between individuals ≤ GBP 39 are VAT-free (not modelled).'),
      source: SRC_GB_CUSTOMS,
    },
    lowValueScheme: {
      code: 'UK_VAT_POS',
      name: 'UK point-of-sale VAT (≤ GBP 135)',
      registration: 'ukVat',
      upTo: threshold(135, 'GBP', 'lte'),
      collects: ['vat'],
      numberInCustomsData: true,
      source: SRC_GB_CUSTOMS,
      note: '≤ GBP 135: UK VAT charged at the point of sale by the overseas seller or marketplace (UK VAT registered). Above: import VAT and duty at the border via the carrier.',
    },
    ...overrides,
  };
}

const GB_SEED = history('GB', [
  {
    effectiveFrom: '2021-01-01',
    changeNote: 'Post-Brexit regime: LVCR removed, UK VAT at the point of sale ≤ GBP 135, no duty ≤ GBP 135 (except excise goods).',
    content: {
      ...GB_BASE,
      customs: gbCustoms({
        dutyDeMinimis: {
          kind: 'threshold',
          threshold: threshold(135, 'GBP', 'lte'),
          source: SRC_GB_CUSTOMS,
          note: 'No customs duty on consignments ≤ GBP 135 except excise goods; to be abolished by March 2029 at the latest (Budget 2025-11-26).',
        },
      }),
    },
  },
  {
    effectiveFrom: '2029-03-01',
    changeNote: 'GBP 135 duty relief abolished (by March 2029 at the latest; exact date unverified).',
    content: {
      ...GB_BASE,
      customs: gbCustoms({
        dutyDeMinimis: noRelief(SRC_GB_BUDGET, 'Relief abolished by March 2029 at the latest (Budget 2025-11-26); it may end earlier. Date unverified.', true),
      }),
    },
  },
]);

// ------------------------------------------------------------------------------------------------- CH

const SRC_CH =
  'https://bazg.admin.ch/bazg/en/home/information-individuals/online-shopping--mail-and-courier-consignments/importation-into-switzerland/receipt-of-letters-and-parcels.html';

const CH_SEED = history('CH', [
  {
    effectiveFrom: '2024-01-01',
    changeNote: 'Customs duties on industrial products abolished; VAT 8.1 %. Passage models CH from this date.',
    content: {
      name: 'Switzerland',
      currency: 'CHF',
      customs: {
        dutyDeMinimis: {
          kind: 'not_charged',
          source: SRC_CH,
          note: 'Customs duties on industrial products abolished 2024-01-01. Agricultural goods (HS 01–24) remain dutiable: not expressible per HS range yet, so no duty is computed for them.',
        },
        duty: { ratePercent: 0, source: SRC_CH, note: 'Industrial goods 0 %; agricultural goods carry specific duties by weight (not modelled).' },
        vat: {
          ratePercent: 8.1,
          name: 'MWST/TVA/IVA',
          deMinimis: {
            kind: 'threshold',
            threshold: threshold(5, 'CHF', 'lte', 'tax_amount'),
            source: SRC_CH,
            note: 'Tax ≤ CHF 5 is not levied (assessment basis about CHF 62 at 8.1 %); the basis includes all costs to destination and duties.',
          },
          source: SRC_CH,
        },
        lowValueScheme: {
          code: 'CH_MAIL_ORDER_VAT',
          name: 'Swiss VAT registration of foreign mail-order sellers',
          registration: 'chVat',
          upTo: threshold(5, 'CHF', 'lte', 'tax_amount'),
          collects: ['vat'],
          source: SRC_CH,
          note: 'Foreign mail-order sellers with ≥ CHF 100,000 a year of small consignments register for Swiss VAT and charge it (the CHF 5 rule then does not apply). Platforms are deemed suppliers since 2025-01-01.',
        },
      },
      consignee: consignee(),
      documents: documents(),
      prohibited: markUnverified([LOOSE_LITHIUM_BATTERIES, eCigarettesRestricted()]),
      messaging: messaging({
        locales: ['de-CH', 'fr-CH', 'it-CH'],
        fallback: ['de', 'fr', 'it', 'en'],
        timeZones: ['Europe/Zurich'],
        smsOptInRequired: false,
        smsStopInstructions: true,
        source: POLICY,
        note: SMS_RULES_UNVERIFIED,
        unverified: true,
      }),
      delivery: delivery([lane('*', 5, 10, 48), lane('DE', 3, 6, 24), lane('FR', 3, 6, 24), lane('IT', 4, 7, 24), lane('CN', 9, 18, 72)]),
      sources: [SRC_CH],
    },
  },
]);

// ------------------------------------------------------------------------------------------------- NO

const SRC_NO_VOEC = 'https://toll.no/en/online-shopping/the-voec-scheme';
const SRC_NO_VAT = 'https://www.skatteetaten.no/en/business-and-organisation/vat-and-duties/vat/foreign/e-commerce-voec/low-value/';

const VOEC_NOTE =
  'Per-item value < NOK 3,000 (excl. shipping): the seller charges 25 % VAT at checkout and marks the parcel with its VOEC number; no duty ' +
  'and no carrier fee. Excluded: food/supplements, restricted and excise goods (not expressible yet).';

function voec(unverified: boolean): Customs['lowValueScheme'] {
  return {
    code: 'VOEC',
    name: 'VAT On E-Commerce',
    registration: 'voec',
    upTo: threshold(3000, 'NOK', 'lt', 'item'),
    collects: ['vat'],
    waives: ['duty'],
    numberInCustomsData: true,
    source: SRC_NO_VOEC,
    note: unverified ? `${VOEC_NOTE} In force since 2020-04-01 (Passage knowledge, unverified).` : VOEC_NOTE,
    ...(unverified ? { unverified } : {}),
  };
}

const NO_DUTY = dutyEstimate(0, { '61': 8, '62': 8 }, 'Industrial goods mostly duty-free; clothing and agricultural goods are dutiable (agriculture not modelled).');
const NO_350 = {
  kind: 'threshold' as const,
  threshold: threshold(350, 'NOK', 'lte', 'cif'),
  source: SRC_NO_VAT,
  unverified: true,
  note: 'NOK 350 limit, abolished 2024-01-01. Comparison and basis (shipping included) are Passage knowledge, unverified.',
};

const NO_BASE: RuleSetContent = {
  name: 'Norway',
  currency: 'NOK',
  consignee: consignee(),
  documents: documents(),
  prohibited: [
    {
      code: 'TOBACCO',
      name: 'Tobacco products',
      outcome: 'restricted',
      hsPrefixes: TOBACCO_HS,
      keywords: [...TOBACCO_KEYWORDS, 'tobakk', 'sigaretter'],
      source: SRC_NO_VOEC,
      note: 'Tobacco needs an import permit.',
    },
    { code: 'ALCOHOL', name: 'Alcoholic beverages', outcome: 'restricted', hsPrefixes: ALCOHOL_HS, keywords: [...ALCOHOL_KEYWORDS, 'øl', 'vin', 'brennevin'], source: SRC_NO_VOEC, note: 'Restricted (fact sheet).' },
    {
      code: 'MEDICINES',
      name: 'Medicines',
      outcome: 'restricted',
      hsPrefixes: ['3003', '3004'],
      keywords: ['medicine', 'medicines', 'medication', 'prescription drug', 'legemiddel', 'legemidler'],
      source: SRC_NO_VOEC,
      note: 'Restricted (fact sheet).',
    },
    { code: 'WEAPONS', name: 'Weapons and ammunition', outcome: 'restricted', hsPrefixes: ['93'], keywords: ['firearm', 'pistol', 'rifle', 'ammunition', 'våpen'], source: SRC_NO_VOEC, note: 'Restricted (fact sheet).' },
    LOOSE_LITHIUM_BATTERIES,
    eCigarettesRestricted(),
  ],
  messaging: messaging({
    locales: ['nb-NO'],
    fallback: ['nb', 'no', 'en'],
    timeZones: ['Europe/Oslo'],
    smsOptInRequired: false,
    smsStopInstructions: true,
    source: POLICY,
    note: SMS_RULES_UNVERIFIED,
    unverified: true,
  }),
  delivery: delivery([lane('*', 6, 12, 48), lane('SE', 3, 6, 24), lane('DK', 3, 6, 24), lane('GB', 5, 10, 48), lane('CN', 10, 20, 72)]),
  sources: [SRC_NO_VOEC, SRC_NO_VAT],
};

const NO_SEED = history('NO', [
  {
    effectiveFrom: '2021-01-01',
    changeNote: `NOK 350 duty and VAT limit; VOEC for items < NOK 3,000. ${BASELINE_NOTE}`,
    content: {
      ...NO_BASE,
      customs: { dutyDeMinimis: NO_350, duty: NO_DUTY, vat: { ratePercent: 25, name: 'MVA', deMinimis: NO_350, source: SRC_NO_VAT }, lowValueScheme: voec(true) },
    },
  },
  {
    effectiveFrom: '2024-01-01',
    changeNote: 'NOK 350 limit abolished: VAT and duty from the first krone; VOEC goods stay duty-free.',
    content: {
      ...NO_BASE,
      customs: {
        dutyDeMinimis: noRelief(SRC_NO_VOEC, 'NOK 350 limit abolished 2024-01-01; VOEC goods are exempt from customs duty.'),
        duty: NO_DUTY,
        vat: { ratePercent: 25, name: 'MVA', deMinimis: noRelief(SRC_NO_VAT, 'VAT from the first krone since 2024-01-01.'), source: SRC_NO_VAT },
        lowValueScheme: voec(false),
      },
    },
  },
]);

// ------------------------------------------------------------------------------------------------- TR

const SRC_TR_LIMIT = 'https://www.hurriyetdailynews.com/30-euro-limit-lifted-for-overseas-mail-orders-217573';
const SRC_TR_IYS = 'https://www.iletimerkezi.com/en/docs/guides/iys-rehberi';

function trBands(unverified: boolean): RateBand[] {
  const caveat = unverified ? ' Wording changed by decree 2026-01-07 (unclear): the treatment below EUR 30 after 2026-02 is unverified.' : '';
  const common = {
    upTo: threshold(30, 'EUR', 'lte'),
    replaces: ['duty', 'vat'] as ('duty' | 'vat')[],
    exact: true,
    source: SRC_TR_LIMIT,
    ...(unverified ? { unverified } : {}),
  };
  return [
    { ...common, code: 'TR_SIMPLIFIED_EU', name: 'Simplified post/express regime, EU origin', origins: EU_MEMBERS, ratePercent: 30, note: `Flat 30 % on consignments within EUR 30 from the EU.${caveat}` },
    { ...common, code: 'TR_SIMPLIFIED_OTHER', name: 'Simplified post/express regime, other origins', excludedOrigins: EU_MEMBERS, ratePercent: 60, note: `Flat 60 % on consignments within EUR 30 from outside the EU.${caveat}` },
  ];
}

function trContent(bands: RateBand[]): RuleSetContent {
  return {
    name: 'Türkiye',
    currency: 'TRY',
    customs: {
      dutyDeMinimis: noRelief(SRC_TR_LIMIT, 'No duty-free de minimis: the simplified regime (bands) applies within EUR 30, the normal regime above.'),
      duty: dutyEstimate(10, { '61': 20, '62': 20, '64': 20, '84': 3, '85': 3 }, 'Estimate for the normal regime above EUR 30; additional duties by origin are not modelled.'),
      vat: { ratePercent: 20, name: 'KDV', deMinimis: noRelief(SRC_TR_LIMIT), source: SRC_TR_LIMIT },
      rateBands: bands,
    },
    consignee: consignee({
      taxId: {
        name: 'TCKN (T.C. Kimlik No.)',
        formats: [{ label: 'TCKN', pattern: '^[1-9]\\d{9}[02468]$' }],
        required: 'always',
        alternative: 'phone',
        source: SRC_TR_LIMIT,
        note: 'All B2C express shipments: TCKN or a mobile phone on the simplified declaration.',
      },
      phone: required(false, SRC_TR_LIMIT, 'TCKN or mobile phone mandatory: a phone stands in for the TCKN (taxId.alternative).'),
    }),
    documents: documents(),
    prohibited: [eCigarettes('blocked', POLICY, 'Fact sheet: e-cigarettes are prohibited imports.'), LOOSE_LITHIUM_BATTERIES],
    messaging: messaging({
      locales: ['tr-TR'],
      fallback: ['tr', 'en'],
      timeZones: ['Europe/Istanbul'],
      smsOptInRequired: false,
      smsStopInstructions: true,
      senderIdNotes: 'Law 6563: commercial messages need consent registered in IYS (İleti Yönetim Sistemi); informational messages (order, delivery) are exempt.',
      source: SRC_TR_IYS,
      note: `Law 6563: commercial messages need consent registered in IYS; informational messages (order, delivery) are exempt. ${STOP_CONSERVATIVE}`,
    }),
    delivery: delivery([lane('*', 6, 12, 72), lane('DE', 4, 8, 48), lane('CN', 9, 18, 96)]),
    sources: [SRC_TR_LIMIT, SRC_TR_IYS],
  };
}

const TR_SEED = history('TR', [
  {
    effectiveFrom: '2024-08-01',
    changeNote: 'EUR 30 limit for the simplified post/express regime (30 % EU origin, 60 % other). Passage models TR from this date.',
    content: trContent(trBands(false)),
  },
  {
    effectiveFrom: '2026-01-07',
    changeNote: 'Decree changes the wording of the EUR 30 regime (unclear); treatment below EUR 30 after 2026-02 unverified.',
    content: trContent(trBands(true)),
  },
]);

export const EUROPE_SEEDS: SeedVersion[] = [...GB_SEED, ...CH_SEED, ...NO_SEED, ...TR_SEED];
