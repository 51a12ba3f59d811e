import { Customs, RuleSetContent } from '../rule-set/rule-set-content';
import {
  ALCOHOL_HS,
  ALCOHOL_KEYWORDS,
  ALL_DAYS,
  BASELINE_NOTE,
  consignee,
  delivery,
  documents,
  dutyEstimate,
  ESTIMATE,
  eCigarettesRestricted,
  history,
  lane,
  LOOSE_LITHIUM_BATTERIES,
  markUnverified,
  marketingOnlyBetween,
  messaging,
  MON_TO_FRI,
  money,
  noRelief,
  POLICY,
  POSTCODE_NONE,
  SMS_RULES_UNVERIFIED,
  STOP_CONSERVATIVE,
  SUNDAY,
  threshold,
} from './common.seed';
import type { SeedVersion } from './rule-set-seed';

/** The Gulf, Israel and South Africa: AE, SA, IL, ZA. */

// ------------------------------------------------------------------------------------------------- AE

const SRC_AE = 'https://taxnews.ey.com/news/2023-0485-dubai-reinstates-former-import-value-threshold-of-consignments';

const AE: RuleSetContent = {
  name: 'United Arab Emirates',
  currency: 'AED',
  customs: {
    dutyDeMinimis: {
      kind: 'threshold',
      threshold: threshold(1000, 'AED', 'lte', 'cif'),
      source: SRC_AE,
      unverified: true,
      note: 'GCC threshold (SAR 1,000); not for tobacco, e-cigarettes or alcohol (not expressible yet). The exact AED figure is unverified.',
    },
    duty: dutyEstimate(5, {}, 'GCC common external tariff, about 5 % on most goods (estimate).'),
    vat: { ratePercent: 5, name: 'VAT', deMinimis: noRelief(SRC_AE, '5 % VAT on all non-document imports.'), source: SRC_AE },
  },
  consignee: consignee({ postcode: POSTCODE_NONE }),
  documents: documents(),
  prohibited: [LOOSE_LITHIUM_BATTERIES, eCigarettesRestricted()],
  messaging: messaging({
    locales: ['ar-AE', 'en-AE'],
    fallback: ['ar', 'en'],
    timeZones: ['Asia/Dubai'],
    quietHours: [
      {
        days: ALL_DAYS,
        start: '21:00',
        end: '08:00',
        appliesTo: 'marketing',
        source: POLICY,
        unverified: true,
        note: 'TDRA: promotional SMS 07:00–21:00 (some say 08:00; start hour unverified): Passage starts at 08:00.',
      },
    ],
    smsOptInRequired: false,
    smsStopInstructions: true,
    senderIdNotes: "TDRA: promotional SMS only from registered sender IDs prefixed 'AD-', with opt-in; delivery updates are allowed at any time.",
    source: POLICY,
    note: `TDRA: promotional SMS needs opt-in and an 'AD-' sender ID; delivery updates are allowed at any time. ${STOP_CONSERVATIVE}`,
  }),
  delivery: delivery([lane('*', 5, 10, 48), lane('IN', 4, 8, 48), lane('GB', 5, 10, 48), lane('CN', 7, 14, 72)]),
  sources: [SRC_AE],
};

// ------------------------------------------------------------------------------------------------- SA

const SRC_SA_2021 = 'https://saudigazette.com.sa/article/611390';
const SRC_SA_FEE = 'https://www.deloitte.com/middle-east/en/services/tax/perspectives/ksa-customs-global-trade-advisory-news-revised-customs-services-fees.html';
const SA_1000 = threshold(1000, 'SAR', 'lt', 'cif');

function saContent(customs: Customs): RuleSetContent {
  return {
    name: 'Saudi Arabia',
    currency: 'SAR',
    customs,
    consignee: consignee({
      taxId: {
        name: 'National ID / Iqama number',
        formats: [{ label: 'National ID / Iqama', pattern: '^[12]\\d{9}$' }],
        required: 'never',
        source: ESTIMATE,
        unverified: true,
        note: 'Consignee ID unverified in the fact sheet: carriers may ask for it. The format (10 digits, 1 citizens / 2 residents) is Passage knowledge.',
      },
    }),
    documents: documents(),
    prohibited: [
      {
        code: 'ALCOHOL',
        name: 'Alcoholic beverages',
        outcome: 'blocked',
        hsPrefixes: ALCOHOL_HS,
        keywords: ALCOHOL_KEYWORDS,
        source: POLICY,
        note: 'Fact sheet: alcohol is a prohibited import.',
      },
      {
        code: 'PORK',
        name: 'Pork products',
        outcome: 'blocked',
        hsPrefixes: ['0203', '020630', '020641', '020649', '021011', '021012', '021019', '1601', '160241', '160242', '160249'],
        keywords: ['pork', 'bacon', 'ham', 'prosciutto', 'lard', 'pepperoni', 'Schweinefleisch', 'porc', 'maiale', 'cerdo'],
        source: POLICY,
        note: 'Fact sheet: pork products are prohibited imports. HS 1601 covers all sausages: a non-pork sausage is blocked too until reviewed.',
      },
      {
        code: 'NARCOTICS',
        name: 'Narcotics',
        outcome: 'blocked',
        keywords: ['narcotic', 'narcotics', 'cannabis', 'marijuana', 'cocaine', 'heroin', 'CBD'],
        source: POLICY,
        note: 'Fact sheet: narcotics are prohibited imports.',
      },
      LOOSE_LITHIUM_BATTERIES,
      eCigarettesRestricted(),
    ],
    messaging: messaging({
      locales: ['ar-SA'],
      fallback: ['ar', 'en'],
      timeZones: ['Asia/Riyadh'],
      smsOptInRequired: false,
      smsStopInstructions: true,
      source: POLICY,
      note: SMS_RULES_UNVERIFIED,
      unverified: true,
    }),
    delivery: delivery([lane('*', 6, 12, 72), lane('AE', 3, 6, 48), lane('CN', 8, 16, 96)]),
    sources: [SRC_SA_2021, SRC_SA_FEE],
  };
}

const SA_CUSTOMS: Customs = {
  dutyDeMinimis: {
    kind: 'threshold',
    threshold: SA_1000,
    source: SRC_SA_2021,
    unverified: true,
    note: 'Personal shipments < SAR 1,000 (goods + shipping) exempt (2021). Whether the exemption still applies is unverified.',
  },
  duty: dutyEstimate(5, {}, 'GCC common external tariff, about 5 % on most goods (estimate).'),
  vat: { ratePercent: 15, name: 'VAT', deMinimis: noRelief(SRC_SA_2021), source: SRC_SA_2021 },
};

const SA_SEED = history('SA', [
  { effectiveFrom: '2021-01-01', changeNote: 'Personal shipments < SAR 1,000 exempt from duty (2021); VAT 15 % on all imports.', content: saContent(SA_CUSTOMS) },
  {
    effectiveFrom: '2024-10-06',
    changeNote: 'Customs service fee: SAR 15 per e-commerce shipment < SAR 1,000.',
    content: saContent({
      ...SA_CUSTOMS,
      fees: [
        {
          code: 'SA_CUSTOMS_SERVICE_FEE',
          name: 'Customs service fee on e-commerce shipments',
          amount: money(15, 'SAR'),
          per: 'consignment',
          upTo: SA_1000,
          payer: 'incoterm',
          source: SRC_SA_FEE,
          note: 'SAR 15 per e-commerce shipment < SAR 1,000 since 2024-10-06.',
        },
      ],
    }),
  },
]);

// ------------------------------------------------------------------------------------------------- ZA

const SRC_ZA_VAT = 'https://vatcalc.com/south-africa/south-africa-vat-on-b2c-low-value-goods-imports-sept-2024';
const SRC_ZA_CPA = 'https://www.acts.co.za/consumer-protection-act-2008/r293_prohibited_time_for_contacting_consumers';
const ZA_CPA_NOTE = 'Consumer Protection Act regulations: no direct marketing at these times (public holidays too, not expressible yet).';

function zaContent(customs: Customs): RuleSetContent {
  return {
    name: 'South Africa',
    currency: 'ZAR',
    customs,
    consignee: consignee({
      taxId: {
        name: 'South African ID number',
        formats: [{ label: 'ID number', pattern: '^\\d{13}$' }],
        required: 'never',
        source: ESTIMATE,
        unverified: true,
        note: 'Consignee ID unverified in the fact sheet; the 13-digit format is Passage knowledge.',
      },
    }),
    documents: documents(),
    prohibited: markUnverified([LOOSE_LITHIUM_BATTERIES, eCigarettesRestricted()]),
    messaging: messaging({
      locales: ['en-ZA'],
      fallback: ['en'],
      timeZones: ['Africa/Johannesburg'],
      quietHours: [
        { days: SUNDAY, start: '00:00', end: '00:00', appliesTo: 'marketing', source: SRC_ZA_CPA, note: ZA_CPA_NOTE },
        ...marketingOnlyBetween([6], '09:00', '13:00', { source: SRC_ZA_CPA, note: ZA_CPA_NOTE }),
        ...marketingOnlyBetween(MON_TO_FRI, '08:00', '20:00', { source: SRC_ZA_CPA, note: ZA_CPA_NOTE }),
      ],
      smsOptInRequired: false,
      smsStopInstructions: true,
      source: SRC_ZA_CPA,
      note: `Consumer Protection Act: the time limits bind direct marketing only. ${STOP_CONSERVATIVE}`,
    }),
    delivery: delivery([lane('*', 10, 20, 96), lane('GB', 8, 16, 96), lane('US', 10, 20, 96), lane('CN', 12, 24, 120)]),
    sources: [SRC_ZA_VAT, SRC_ZA_CPA],
  };
}

const ZA_DUTY = dutyEstimate(15, { '61': 40, '62': 40, '64': 30, '84': 0, '85': 5 }, 'Estimate for consignments above ZAR 500 (normal duty).');
const ZA_500 = threshold(500, 'ZAR', 'lte');

const ZA_SEED = history('ZA', [
  {
    effectiveFrom: '2021-01-01',
    changeNote: `20 % flat rate in lieu of duty and VAT on consignments ≤ ZAR 500. ${BASELINE_NOTE}`,
    content: zaContent({
      dutyDeMinimis: noRelief(SRC_ZA_VAT, 'No relief: ≤ ZAR 500 pays the flat rate (band), above it normal duty.'),
      duty: ZA_DUTY,
      vat: { ratePercent: 15, name: 'VAT', deMinimis: noRelief(SRC_ZA_VAT), source: SRC_ZA_VAT },
      rateBands: [
        {
          code: 'ZA_FLAT_RATE',
          name: 'Flat rate on low-value consignments',
          upTo: ZA_500,
          ratePercent: 20,
          replaces: ['duty', 'vat'],
          exact: true,
          source: SRC_ZA_VAT,
          unverified: true,
          note: 'Before 2024-09-01 the 20 % flat rate stood in lieu of duty and VAT (implied by the fact sheet: VAT on all B2C consignments only from 2024-09-01).',
        },
      ],
    }),
  },
  {
    effectiveFrom: '2024-09-01',
    changeNote: '15 % VAT on all B2C consignments; the 20 % flat rate ≤ ZAR 500 now replaces duty only.',
    content: zaContent({
      dutyDeMinimis: noRelief(SRC_ZA_VAT, 'No relief: ≤ ZAR 500 pays the 20 % flat rate in lieu of duty (band), above it normal duty.'),
      duty: ZA_DUTY,
      vat: { ratePercent: 15, name: 'VAT', deMinimis: noRelief(SRC_ZA_VAT, '15 % VAT on all B2C consignments from 2024-09-01.'), source: SRC_ZA_VAT },
      rateBands: [
        {
          code: 'ZA_FLAT_RATE',
          name: 'Flat rate in lieu of duty on low-value consignments',
          upTo: ZA_500,
          ratePercent: 20,
          replaces: ['duty'],
          exact: true,
          source: SRC_ZA_VAT,
          unverified: true,
          note: 'Consignments ≤ ZAR 500: 20 % flat rate in lieu of duty; VAT on top. The structure after 2024-11 is unverified.',
        },
      ],
    }),
  },
]);

// ------------------------------------------------------------------------------------------------- IL

const SRC_IL_TAX = 'https://unitedxp.co.il/payment-of-taxes-on-personal-imports/5';
const SRC_IL_ID = 'https://services.israelpost.co.il/content.nsf/misparide/question3-';

function ilContent(vatDeMinimis: Customs['vat']): RuleSetContent {
  return {
    name: 'Israel',
    currency: 'ILS',
    customs: {
      dutyDeMinimis: { kind: 'threshold', threshold: threshold(500, 'USD', 'lte'), source: SRC_IL_TAX, note: 'Personal imports: no customs duty ≤ USD 500.' },
      duty: dutyEstimate(8, { '61': 12, '62': 12, '64': 12, '84': 0, '85': 0 }),
      vat: vatDeMinimis,
    },
    consignee: consignee({
      taxId: {
        name: 'ID number (Teudat Zehut)',
        formats: [{ label: 'Teudat Zehut', pattern: '^\\d{9}$' }],
        required: 'always',
        source: SRC_IL_ID,
        unverified: true,
        note: 'On the customs declaration for goods to private persons. Format (knowledge) unverified.',
      },
    }),
    documents: documents(),
    prohibited: markUnverified([LOOSE_LITHIUM_BATTERIES, eCigarettesRestricted()]),
    messaging: messaging({
      locales: ['he-IL'],
      fallback: ['he', 'en'],
      timeZones: ['Asia/Jerusalem'],
      smsOptInRequired: false,
      smsStopInstructions: true,
      source: POLICY,
      note: SMS_RULES_UNVERIFIED,
      unverified: true,
    }),
    delivery: delivery([lane('*', 8, 16, 72), lane('US', 7, 14, 72), lane('CN', 10, 20, 96)]),
    sources: [SRC_IL_TAX, SRC_IL_ID],
  };
}

const IL_SEED = history('IL', [
  {
    effectiveFrom: '2025-01-01',
    changeNote: 'VAT-free limit USD 75; VAT 18 % (the rate since 2025-01-01, Passage knowledge). Passage models IL from this date.',
    content: ilContent({
      ratePercent: 18,
      name: 'VAT',
      deMinimis: { kind: 'threshold', threshold: threshold(75, 'USD', 'lte'), source: SRC_IL_TAX, note: 'VAT-free limit USD 75.' },
      source: SRC_IL_TAX,
    }),
  },
  {
    effectiveFrom: '2025-12-24',
    changeNote: 'VAT-free limit raised from USD 75 to USD 150 (about 2025-12-24; contested in court, unverified).',
    content: ilContent({
      ratePercent: 18,
      name: 'VAT',
      deMinimis: {
        kind: 'threshold',
        threshold: threshold(150, 'USD', 'lte'),
        source: SRC_IL_TAX,
        unverified: true,
        note: 'Raised from USD 75 on about 2025-12-24; contested in court. Whether USD 150 is still in force is unverified.',
      },
      source: SRC_IL_TAX,
    }),
  },
]);

export const MIDDLE_EAST_AFRICA_SEEDS: SeedVersion[] = [
  ...history('AE', [{ effectiveFrom: '2021-01-01', changeNote: `GCC AED 1,000 duty threshold; 5 % VAT on all imports. ${BASELINE_NOTE}`, content: AE }]),
  ...SA_SEED,
  ...ZA_SEED,
  ...IL_SEED,
];
