import { Customs, QuietHours, RateBand, RuleSetContent } from '../rule-set/rule-set-content';
import {
  ALL_DAYS,
  BASELINE_NOTE,
  consignee,
  delivery,
  documents,
  dutyEstimate,
  ESTIMATE,
  EU_MEMBERS,
  eCigarettes,
  eCigarettesRestricted,
  history,
  lane,
  LOOSE_LITHIUM_BATTERIES,
  messaging,
  MON_TO_SAT,
  money,
  noRelief,
  otherDocument,
  POLICY,
  required,
  SMS_RULES_UNVERIFIED,
  STOP_CONSERVATIVE,
  SUNDAY,
  threshold,
} from './common.seed';
import type { SeedVersion } from './rule-set-seed';

const SRC_DE_MINIMIS = 'https://zonos.com/docs/guides/de-minimis-values';

// ------------------------------------------------------------------------------------------------- US

const SRC_US_SUSPENDED =
  'https://www.mondaq.com/unitedstates/international-trade-investment/1660726/trump-administration-indefinitely-suspends-de-minimis-exemption-for-commercial-shipments-globally';
const SRC_US_REPEAL = 'https://www.beneschlaw.com/resources/customs-de-minimis-ending-in-2027-big-beautiful-bill-impact-analysis-for-supply-chains.html';
const SRC_USPS_ENDS = 'https://news.usps.com/2021/10/21/electronic-smoking-devices-2';

const US_STATE_WINDOWS = 'Stricter state windows (secondary source, table unverified).';

function stateWindow(region: string, start: string, end: string, days = ALL_DAYS): QuietHours {
  return { days, start, end, appliesTo: 'marketing', region, source: POLICY, unverified: true, note: US_STATE_WINDOWS };
}

const US_BASE: RuleSetContent = {
  name: 'United States',
  currency: 'USD',
  consignee: consignee(),
  documents: documents({
    other: [
      otherDocument('US_STOP_ACT_AED', 'Postal: STOP Act advance electronic data for every item, with CN22/CN23.', SRC_US_SUSPENDED),
      otherDocument('US_ACE_ENTRY', 'Non-postal low-value goods need an ACE entry and pay all duties; formal entries use the 10-digit HTS.', SRC_US_SUSPENDED),
    ],
  }),
  prohibited: [
    eCigarettes('blocked', SRC_USPS_ENDS, 'ENDS (vapes, e-liquids, parts) are nonmailable in international USPS mail since 2021-10-21.'),
    {
      code: 'US_TOBACCO_BY_MAIL',
      name: 'Cigarettes and smokeless tobacco',
      outcome: 'blocked',
      hsPrefixes: ['240220', '240399'],
      keywords: ['cigarette', 'cigarettes', 'smokeless tobacco', 'chewing tobacco', 'snuff', 'snus'],
      source: SRC_USPS_ENDS,
      note: 'Fact sheet: cigarettes and smokeless tobacco by mail are prohibited. Cigars are not covered.',
    },
    LOOSE_LITHIUM_BATTERIES,
  ],
  messaging: messaging({
    locales: ['en-US'],
    fallback: ['en'],
    timeZones: ['America/New_York', 'America/Chicago', 'America/Denver', 'America/Phoenix', 'America/Los_Angeles', 'America/Anchorage', 'Pacific/Honolulu'],
    quietHours: [
      { days: ALL_DAYS, start: '21:00', end: '08:00', appliesTo: 'marketing', source: POLICY, note: 'TCPA: marketing texts only 08:00–21:00 recipient local time, with prior express written consent.' },
      ...['US-FL', 'US-OK', 'US-MD', 'US-MS', 'US-NJ'].map((region) => stateWindow(region, '20:00', '08:00')),
      stateWindow('US-CT', '20:00', '09:00'),
      stateWindow('US-TX', '21:00', '00:00'),
      stateWindow('US-TX', '00:00', '09:00', MON_TO_SAT),
      stateWindow('US-TX', '00:00', '12:00', SUNDAY),
    ],
    smsOptInRequired: false,
    smsStopInstructions: true,
    source: POLICY,
    note:
      'TCPA governs marketing texts (prior express written consent, 08:00–21:00 local). Delivery updates go to the number the consignee ' +
      'gave for the order. Many zones: resolve the time zone from the address where possible. US carriers expect STOP handling on A2P SMS; ' +
      STOP_CONSERVATIVE,
  }),
  delivery: delivery([lane('*', 7, 14, 48), lane('CA', 4, 8, 24), lane('MX', 5, 10, 36), lane('GB', 6, 12, 48), lane('CN', 10, 20, 72)]),
  sources: [SRC_US_SUSPENDED, SRC_US_REPEAL, SRC_USPS_ENDS],
};

const US_DUTY = dutyEstimate(
  4,
  { '42': 8, '61': 15, '62': 15, '64': 12, '84': 1, '85': 1 },
  'MFN average estimate; origin-specific additional duties (IEEPA 2025, Section 301) are not modelled.',
);

function usCustoms(overrides: Partial<Customs>): Customs {
  return {
    duty: US_DUTY,
    vat: { ratePercent: 0, name: 'none', source: SRC_DE_MINIMIS, note: 'No federal VAT; state sales tax is not collected at import.' },
    ...overrides,
  };
}

const US_800 = threshold(800, 'USD', 'lte');
const US_SUSPENDED_NOTE =
  'De minimis suspended for all countries since 2025-08-29; kept after the 2026-02-20 Supreme Court IEEPA ruling by a new executive order; ' +
  'codified by CBP interim rules of 2026-06-24. Gifts ≤ USD 100 are still duty-free (not modelled).';

const US_SECTION_122: RateBand = {
  code: 'US_SECTION_122',
  name: 'Temporary Section 122 import surcharge',
  ratePercent: 10,
  replaces: ['duty'],
  source: SRC_US_SUSPENDED,
  unverified: true,
  note:
    'Temporary 10 % Section 122 surcharge from 2026-02-24 (IEEPA duties end), to 2026-07-24 unless extended. It is due on top of normal ' +
    'duty, but bands replace duty, so the MFN estimate (about 4 %, apparel about 15 %) is not added while it applies.',
};

const US_SEED = history('US', [
  {
    effectiveFrom: '2021-01-01',
    changeNote: `Statutory USD 800 de minimis (19 USC 1321). ${BASELINE_NOTE}`,
    content: {
      ...US_BASE,
      customs: usCustoms({ dutyDeMinimis: { kind: 'threshold', threshold: US_800, source: SRC_DE_MINIMIS, note: 'USD 800 fair retail value per person per day (19 USC 1321).' } }),
    },
  },
  {
    effectiveFrom: '2025-05-02',
    changeNote: 'De minimis suspended for goods from CN and HK (origin-specific: recorded in the note, not yet expressible).',
    content: {
      ...US_BASE,
      customs: usCustoms({
        dutyDeMinimis: {
          kind: 'threshold',
          threshold: US_800,
          source: SRC_US_SUSPENDED,
          note: 'USD 800 still applies to other origins. Suspended for goods from CN and HK since 2025-05-02: those pay duty from the first dollar (not expressible per origin yet).',
        },
      }),
    },
  },
  {
    effectiveFrom: '2025-08-29',
    changeNote: 'De minimis suspended for all countries.',
    content: { ...US_BASE, customs: usCustoms({ dutyDeMinimis: noRelief(SRC_US_SUSPENDED, US_SUSPENDED_NOTE) }) },
  },
  {
    effectiveFrom: '2026-02-24',
    changeNote: 'IEEPA duties end; temporary 10 % Section 122 surcharge (unverified) modelled as a rate band.',
    content: { ...US_BASE, customs: usCustoms({ dutyDeMinimis: noRelief(SRC_US_SUSPENDED, US_SUSPENDED_NOTE), rateBands: [US_SECTION_122] }) },
  },
  {
    effectiveFrom: '2026-07-24',
    changeNote: 'Section 122 surcharge ends after 150 days unless extended (status after 2026-07-24 unverified).',
    content: {
      ...US_BASE,
      customs: usCustoms({
        dutyDeMinimis: noRelief(SRC_US_SUSPENDED, US_SUSPENDED_NOTE),
        duty: { ...US_DUTY, note: `${US_DUTY.note} The Section 122 surcharge is assumed to have ended on 2026-07-24: its status after that date is unverified.` },
      }),
    },
  },
  {
    effectiveFrom: '2027-07-01',
    changeNote: 'De minimis statute repealed for commercial shipments (the suspension already applied).',
    content: {
      ...US_BASE,
      customs: usCustoms({ dutyDeMinimis: noRelief(SRC_US_REPEAL, 'Statutory de minimis repealed for commercial shipments from 2027-07-01. Gifts ≤ USD 100 are not modelled.') }),
    },
  },
]);

// ------------------------------------------------------------------------------------------------- CA

const SRC_CBSA = 'https://cbsa-asfc.gc.ca/services/cusma-aceum/lvs-efv-eng.html';
const SRC_CUSMA = 'https://argocustoms.com/implementation-of-the-cusma-de-minimis-threshold/';
const COURIER_ONLY = 'Courier only: postal shipments from US/MX keep the CAD 20 threshold (the schema cannot tell courier from post yet).';

const CA_SEED = history('CA', [
  {
    effectiveFrom: '2021-01-01',
    changeNote: `CAD 20 postal/courier thresholds; CUSMA courier thresholds for US/MX (CAD 150 duty, CAD 40 tax). ${BASELINE_NOTE}`,
    content: {
      name: 'Canada',
      currency: 'CAD',
      customs: {
        dutyDeMinimis: {
          kind: 'threshold',
          threshold: threshold(20, 'CAD', 'lte'),
          source: SRC_CBSA,
          note: 'CAD 20 value for duty: postal from any country, courier from outside US/MX.',
        },
        duty: dutyEstimate(5, { '42': 9, '61': 17, '62': 17, '64': 16, '84': 1, '85': 1 }, 'MFN average estimate; CUSMA-originating goods are usually duty-free (not modelled beyond the bands).'),
        vat: {
          ratePercent: 5,
          name: 'GST',
          deMinimis: { kind: 'threshold', threshold: threshold(20, 'CAD', 'lte'), source: SRC_CBSA, note: 'CAD 20; courier from US/MX: tax-free ≤ CAD 40 (band below).' },
          source: SRC_CBSA,
          unverified: true,
          note: 'GST 5 % + provincial HST/PST/QST: provincial rates are unverified and not modelled (HST provinces pay 13–15 % in total).',
        },
        rateBands: [
          {
            code: 'CA_CUSMA_DUTY_FREE',
            name: 'CUSMA courier duty-free threshold',
            origins: ['US', 'MX'],
            upTo: threshold(150, 'CAD', 'lte'),
            ratePercent: 0,
            replaces: ['duty'],
            exact: true,
            source: SRC_CUSMA,
            note: `Courier shipments from US/MX (CUSMA) are duty-free up to CAD 150. ${COURIER_ONLY}`,
          },
          {
            code: 'CA_CUSMA_TAX_FREE',
            name: 'CUSMA courier tax-free threshold',
            origins: ['US', 'MX'],
            upTo: threshold(40, 'CAD', 'lte'),
            ratePercent: 0,
            replaces: ['vat'],
            exact: true,
            source: SRC_CUSMA,
            note: `Courier shipments from US/MX are tax-free up to CAD 40. ${COURIER_ONLY}`,
          },
        ],
      },
      consignee: consignee(),
      documents: documents({
        commercialInvoice: 'always',
        note: 'Courier: commercial invoice (CLVS). Postal: CN22 under 300 SDR / 2 kg, CN23 above; the invoice rule here is the courier one.',
        source: SRC_CBSA,
        other: [
          otherDocument('CA_CLVS', 'Courier Low Value Shipment program: courier commercial invoice with value for duty.', SRC_CBSA),
          otherDocument('CA_E14', 'Postal: duties and taxes are collected on delivery with a Form E14.', SRC_CBSA),
        ],
      }),
      prohibited: [LOOSE_LITHIUM_BATTERIES, eCigarettesRestricted()],
      messaging: messaging({
        locales: ['en-CA', 'fr-CA'],
        fallback: ['en', 'fr'],
        timeZones: ['America/Toronto', 'America/Vancouver', 'America/Edmonton', 'America/Winnipeg', 'America/Regina', 'America/Halifax', 'America/St_Johns'],
        smsOptInRequired: false,
        smsStopInstructions: true,
        source: POLICY,
        note: `CASL: commercial messages need consent, identification and an unsubscribe; messages about an ordered delivery are exempt from consent. ${STOP_CONSERVATIVE}`,
        senderIdNotes: 'CASL: identify the sender (the retailer) in commercial messages.',
      }),
      delivery: delivery([lane('*', 7, 14, 48), lane('US', 4, 8, 24), lane('CN', 11, 22, 72)]),
      sources: [SRC_CBSA, SRC_CUSMA],
    },
  },
]);

// ------------------------------------------------------------------------------------------------- BR

const SRC_BR_TAX_ID = 'https://support.pirateship.com/en/articles/4457315-what-is-a-recipient-tax-id-for-international-shipments-and-is-it-required';
const SRC_BR_RC = 'https://oliveiraalves.com.br/en/receita-federal-disciplina-programa-de-conformidade-para-marketplaces-estrangeiros';
const BR_BASIS_NOTE = 'Value basis (customs value incl. freight and insurance) is Passage knowledge, not in the fact sheet.';

const BR_BANDS: RateBand[] = [
  {
    code: 'BR_RC_UP_TO_50',
    name: 'Remessa Conforme import tax up to USD 50',
    upTo: threshold(50, 'USD', 'lte', 'cif'),
    ratePercent: 20,
    replaces: ['duty'],
    requiresRegistration: 'brRemessaConforme',
    exact: true,
    source: SRC_BR_RC,
    unverified: true,
    note: `Certified platforms (taxes prepaid at checkout): 20 % import tax on consignments ≤ USD 50 since 2024-08-01. ${BR_BASIS_NOTE}`,
  },
  {
    code: 'BR_RC_ABOVE_50',
    name: 'Remessa Conforme import tax above USD 50',
    above: threshold(50, 'USD', 'lte', 'cif'),
    ratePercent: 60,
    deduction: money(20, 'USD'),
    replaces: ['duty'],
    requiresRegistration: 'brRemessaConforme',
    exact: true,
    source: SRC_BR_RC,
    unverified: true,
    note: `Certified platforms: 60 % minus USD 20 above USD 50. ${BR_BASIS_NOTE}`,
  },
  {
    code: 'BR_NOT_CERTIFIED',
    name: 'Simplified import tax, non-certified senders',
    ratePercent: 60,
    replaces: ['duty'],
    withoutRegistration: 'brRemessaConforme',
    exact: true,
    source: SRC_BR_RC,
    note: 'Non-certified senders: 60 % import tax from the first dollar.',
  },
];

function brContent(vatNote: string, vatUnverified: boolean): RuleSetContent {
  return {
    name: 'Brazil',
    currency: 'BRL',
    customs: {
      dutyDeMinimis: noRelief(SRC_BR_RC, 'No exemption: import tax from the first dollar (rates in the bands).'),
      duty: { ratePercent: 60, source: SRC_BR_RC, note: 'Simplified regime import tax (60 %); the Remessa Conforme bands replace it for certified platforms.' },
      vat: {
        ratePercent: 17,
        name: 'ICMS',
        deMinimis: noRelief(SRC_BR_RC, 'State ICMS is due on every import.'),
        source: SRC_BR_RC,
        note: vatNote,
        ...(vatUnverified ? { unverified: true } : {}),
      },
      lowValueScheme: {
        code: 'BR_REMESSA_CONFORME',
        name: 'Remessa Conforme',
        registration: 'brRemessaConforme',
        upTo: threshold(3000, 'USD', 'lte', 'cif'),
        collects: ['duty', 'vat'],
        source: SRC_BR_RC,
        unverified: true,
        note: 'Certified platforms prepay import tax and ICMS at checkout. The USD 3,000 ceiling and CIF basis are Passage knowledge, not in the fact sheet.',
      },
      rateBands: BR_BANDS,
    },
    consignee: consignee({
      taxId: {
        name: 'CPF (individual) / CNPJ (company)',
        formats: [
          { label: 'CPF', pattern: '^\\d{3}\\.?\\d{3}\\.?\\d{3}-?\\d{2}$', checksum: 'pt-BR' },
          { label: 'CNPJ', pattern: '^\\d{2}\\.?\\d{3}\\.?\\d{3}/?\\d{4}-?\\d{2}$', checksum: 'pt-BR' },
        ],
        required: 'always',
        source: SRC_BR_TAX_ID,
        note: 'Required on all shipments.',
      },
    }),
    documents: documents(),
    prohibited: [eCigarettes('blocked', POLICY, 'Fact sheet: e-cigarettes are prohibited imports.'), LOOSE_LITHIUM_BATTERIES],
    messaging: messaging({
      locales: ['pt-BR'],
      fallback: ['pt', 'en'],
      timeZones: ['America/Sao_Paulo', 'America/Manaus', 'America/Bahia', 'America/Fortaleza', 'America/Belem', 'America/Cuiaba', 'America/Rio_Branco', 'America/Noronha'],
      smsOptInRequired: false,
      smsStopInstructions: true,
      source: POLICY,
      note: SMS_RULES_UNVERIFIED,
      unverified: true,
    }),
    delivery: delivery([lane('*', 12, 25, 120), lane('US', 10, 20, 96), lane('CN', 12, 25, 120)]),
    sources: [SRC_BR_TAX_ID, SRC_BR_RC],
  };
}

const BR_SEED = history('BR', [
  {
    effectiveFrom: '2024-08-01',
    changeNote: 'Remessa Conforme: 20 % import tax ≤ USD 50, 60 % minus USD 20 above; non-certified senders 60 %. Passage models BR from this date.',
    content: brContent('State ICMS 17 %.', false),
  },
  {
    effectiveFrom: '2025-04-01',
    changeNote: 'ICMS 20 % in about 10 states (state list unverified; 17 % kept as the national rate).',
    content: brContent(
      'State ICMS 17 %; 20 % in about 10 states from 2025-04-01. The state list is unverified and VAT by state is not expressible yet, so 17 % is used.',
      true,
    ),
  },
]);

// ------------------------------------------------------------------------------------------------- MX

const SRC_MX_RULES = 'https://support.pirateship.com/en/articles/10204380-new-customs-rules-for-shipments-going-to-mexico';
const SRC_MX_RATES =
  'https://www.internationaltradecomplianceupdate.com/2025/07/29/mexico-increase-to-the-rates-of-duty-applicable-upon-importation-through-courier-companies';
const USMCA = ['US', 'CA'];
/** Mexico's other trade-agreement partners (Passage knowledge, unverified): they keep the 19 % courier rate. */
const MX_FTA_PARTNERS = [
  ...EU_MEMBERS, 'GB', 'CH', 'NO', 'IS', 'LI', 'JP', 'IL', 'AU', 'NZ', 'SG', 'MY', 'VN', 'BN', 'PE', 'CL', 'CO',
  'CR', 'SV', 'GT', 'HN', 'NI', 'PA', 'UY',
];
const UP_TO_2500 = threshold(2500, 'USD', 'lte');

function usmcaBands(unverified: boolean): RateBand[] {
  const common = { origins: USMCA, replaces: ['duty', 'vat'] as ('duty' | 'vat')[], exact: true, source: SRC_MX_RATES, ...(unverified ? { unverified, note: '2026 rates unverified.' } : {}) };
  return [
    { ...common, code: 'MX_USMCA_FREE', name: 'Courier, US/CA origin, up to USD 50', upTo: threshold(50, 'USD', 'lte'), ratePercent: 0 },
    { ...common, code: 'MX_USMCA_17', name: 'Courier, US/CA origin, USD 50–117', above: threshold(50, 'USD', 'lte'), upTo: threshold(117, 'USD', 'lte'), ratePercent: 17 },
    {
      ...common,
      code: 'MX_USMCA_19',
      name: 'Courier, US/CA origin, above USD 117',
      above: threshold(117, 'USD', 'lte'),
      upTo: UP_TO_2500,
      ratePercent: 19,
      note: `Global rate in lieu of duty and IVA; the courier regime ends at USD 2,500.${unverified ? ' 2026 rates unverified.' : ''}`,
    },
  ];
}

function mxContent(bands: RateBand[]): RuleSetContent {
  return {
    name: 'Mexico',
    currency: 'MXN',
    customs: {
      dutyDeMinimis: noRelief(SRC_MX_RATES, 'Only US/CA-origin courier goods ≤ USD 50 are free of duty and IVA: expressed as a 0 % band.'),
      duty: dutyEstimate(10, { '61': 25, '62': 25, '64': 25, '84': 5, '85': 5 }, 'Estimate for imports outside the courier regime (above USD 2,500).'),
      vat: { ratePercent: 16, name: 'IVA', deMinimis: noRelief(SRC_MX_RATES), source: SRC_MX_RATES },
      rateBands: bands,
    },
    consignee: consignee({
      taxId: {
        name: 'RFC or CURP',
        formats: [
          { label: 'RFC', pattern: '^[A-Z&Ñ]{3,4}\\d{6}[A-Z0-9]{3}$' },
          { label: 'CURP', pattern: '^[A-Z]{4}\\d{6}[HM][A-Z]{5}[A-Z0-9]\\d$' },
        ],
        required: 'always',
        rejectedValues: ['XAXX010101000'],
        source: SRC_MX_RULES,
        unverified: true,
        note: 'RFC (13 characters for individuals, 12 for companies) or CURP (18) on all imports incl. low-value courier since 2025-01-01; the generic RFC XAXX010101000 is rejected. CURP regex (knowledge) unverified.',
      },
      phone: required(true, SRC_MX_RULES, 'Recipient full name, email and phone (carrier guidance).'),
      email: required(true, SRC_MX_RULES, 'Recipient full name, email and phone (carrier guidance).'),
    }),
    documents: documents({
      other: [otherDocument('MX_DETAILED_DESCRIPTIONS', "Detailed item descriptions: generic words such as 'gift' or 'clothes' are refused.", SRC_MX_RULES)],
    }),
    prohibited: [eCigarettes('blocked', POLICY, 'Fact sheet: vaping devices are prohibited imports.'), LOOSE_LITHIUM_BATTERIES],
    messaging: messaging({
      locales: ['es-MX'],
      fallback: ['es', 'en'],
      timeZones: ['America/Mexico_City', 'America/Monterrey', 'America/Cancun', 'America/Chihuahua', 'America/Hermosillo', 'America/Mazatlan', 'America/Tijuana'],
      smsOptInRequired: false,
      smsStopInstructions: true,
      source: POLICY,
      note: SMS_RULES_UNVERIFIED,
      unverified: true,
    }),
    delivery: delivery([lane('*', 8, 16, 72), lane('US', 5, 10, 48), lane('CN', 12, 24, 96)]),
    sources: [SRC_MX_RULES, SRC_MX_RATES],
  };
}

const MX_SEED = history('MX', [
  {
    effectiveFrom: '2025-01-01',
    changeNote: 'RFC/CURP mandatory for all imports incl. low-value courier; courier global rates. Passage models MX from this date.',
    content: mxContent([
      ...usmcaBands(false),
      {
        code: 'MX_COURIER_OTHER',
        name: 'Courier, other origins',
        excludedOrigins: USMCA,
        upTo: UP_TO_2500,
        ratePercent: 19,
        replaces: ['duty', 'vat'],
        source: ESTIMATE,
        unverified: true,
        note: 'Not in the fact sheet: 19 % global courier rate for other origins before 2025-08-15 (Passage knowledge).',
      },
    ]),
  },
  {
    effectiveFrom: '2025-08-15',
    changeNote: '33.5 % courier global rate for origins without a trade agreement (goods ≤ USD 2,500); 2026 rates unverified.',
    content: mxContent([
      ...usmcaBands(true),
      {
        code: 'MX_COURIER_FTA',
        name: 'Courier, other trade-agreement origins',
        origins: MX_FTA_PARTNERS,
        upTo: UP_TO_2500,
        ratePercent: 19,
        replaces: ['duty', 'vat'],
        source: ESTIMATE,
        unverified: true,
        note: 'Passage knowledge: partners with a trade agreement keep 19 % (proof of origin may be asked). Partner list unverified.',
      },
      {
        code: 'MX_COURIER_OTHER',
        name: 'Courier, origins without a trade agreement',
        excludedOrigins: [...USMCA, ...MX_FTA_PARTNERS],
        upTo: UP_TO_2500,
        ratePercent: 33.5,
        replaces: ['duty', 'vat'],
        exact: true,
        source: SRC_MX_RATES,
        unverified: true,
        note: 'Other origins (e.g. CN): 33.5 % global rate on goods ≤ USD 2,500 from 2025-08-15. 2026 rates unverified.',
      },
    ]),
  },
]);

export const AMERICAS_SEEDS: SeedVersion[] = [...US_SEED, ...CA_SEED, ...BR_SEED, ...MX_SEED];
