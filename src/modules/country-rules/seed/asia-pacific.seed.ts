import { Customs, ProhibitedItem, RuleSetContent } from '../rule-set/rule-set-content';
import {
  ALCOHOL_HS,
  ALCOHOL_KEYWORDS,
  ALL_DAYS,
  BASELINE_NOTE,
  consignee,
  delivery,
  documents,
  dutyEstimate,
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
  POSTCODE_NONE,
  POSTCODE_REQUIRED,
  required,
  SMS_RULES_UNVERIFIED,
  STOP_CONSERVATIVE,
  threshold,
  TOBACCO_HS,
  TOBACCO_KEYWORDS,
} from './common.seed';
import type { SeedVersion } from './rule-set-seed';

// ------------------------------------------------------------------------------------------------- KR

const SRC_KR_FEDEX = 'https://fedex.com/en-nl/shipping-channel/ship-to/south-korea.html';
const SRC_KR_PCCC = 'https://support.nzmint.com/hc/en-nz/articles/4403927859865-Why-do-I-need-a-Personal-Customs-Code-to-deliver-to-South-Korea';
const KR_VALUATION =
  'USD 200 for US-origin list-clearance goods (not expressible per origin yet); same-day, same-recipient shipments are aggregated; ' +
  'above the limit the whole value is taxed. Valuation basis detail unverified.';

const KR: RuleSetContent = {
  name: 'South Korea',
  currency: 'KRW',
  customs: {
    dutyDeMinimis: { kind: 'threshold', threshold: threshold(150, 'USD', 'lte'), source: SRC_KR_FEDEX, unverified: true, note: KR_VALUATION },
    duty: dutyEstimate(8, { '61': 13, '62': 13, '64': 13, '84': 3, '85': 3 }),
    vat: {
      ratePercent: 10,
      name: 'VAT',
      deMinimis: { kind: 'threshold', threshold: threshold(150, 'USD', 'lte'), source: SRC_KR_FEDEX, unverified: true, note: KR_VALUATION },
      source: SRC_KR_FEDEX,
    },
  },
  consignee: consignee({
    taxId: {
      name: 'PCCC (personal customs clearance code)',
      formats: [{ label: 'PCCC', pattern: '^P\\d{12}$' }],
      required: 'always',
      source: SRC_KR_PCCC,
      note: 'Required on all B2C shipments.',
    },
    phone: required(true, SRC_KR_FEDEX, 'Receiver contact details travel with the PCCC.'),
    postcode: { ...POSTCODE_REQUIRED, note: 'Road-name address with postcode.' },
  }),
  documents: documents({
    commercialInvoice: 'always',
    other: [
      otherDocument('KR_ENGLISH_INVOICE', 'English commercial invoice with values in USD.', SRC_KR_FEDEX),
      otherDocument('KR_ROAD_NAME_ADDRESS', 'Road-name address with postcode.', SRC_KR_FEDEX),
    ],
  }),
  prohibited: [LOOSE_LITHIUM_BATTERIES, eCigarettesRestricted()],
  messaging: messaging({
    locales: ['ko-KR'],
    fallback: ['ko', 'en'],
    timeZones: ['Asia/Seoul'],
    quietHours: [
      { days: ALL_DAYS, start: '21:00', end: '08:00', appliesTo: 'marketing', source: POLICY, note: 'Network Act art. 50: advertising between 21:00 and 08:00 needs separate consent.' },
    ],
    smsOptInRequired: false,
    smsStopInstructions: true,
    source: POLICY,
    note: 'Network Act art. 50: advertising needs prior consent; transaction messages are exempt. Opt-out wording is kept in every SMS as the conservative choice.',
  }),
  delivery: delivery([lane('*', 6, 12, 48), lane('CN', 4, 8, 36), lane('JP', 4, 8, 36), lane('US', 6, 12, 48)]),
  sources: [SRC_KR_FEDEX, SRC_KR_PCCC],
};


// ------------------------------------------------------------------------------------------------- AU

const SRC_AU =
  'https://www.ato.gov.au/Business/International-tax-for-business/In-detail/GST-on-low-value-imported-goods/Information-for-transporters-or-customs-brokers/';
const AU_1000 = threshold(1000, 'AUD', 'lte');

function auContent(eCigs: ProhibitedItem): RuleSetContent {
  return {
    name: 'Australia',
    currency: 'AUD',
    customs: {
      dutyDeMinimis: { kind: 'threshold', threshold: AU_1000, source: SRC_AU, note: 'No duty or GST at the border ≤ AUD 1,000, except alcohol and tobacco (not expressible yet).' },
      duty: dutyEstimate(5, { '84': 2, '85': 2 }),
      vat: {
        ratePercent: 10,
        name: 'GST',
        deMinimis: { kind: 'threshold', threshold: AU_1000, source: SRC_AU, note: 'Border threshold; GST on low-value goods is charged at sale by registered vendors.' },
        source: SRC_AU,
      },
      lowValueScheme: {
        code: 'AU_LVIG_GST',
        name: 'GST on low-value imported goods',
        registration: 'auGst',
        upTo: AU_1000,
        collects: ['vat'],
        numberInCustomsData: true,
        source: SRC_AU,
        note: 'Since 2018-07-01 vendors and platforms with ≥ AUD 75,000 Australian turnover charge 10 % GST at checkout on goods ≤ AUD 1,000 and report their Vendor ID (ABN/ARN) in the import data.',
      },
    },
    consignee: consignee(),
    documents: documents(),
    prohibited: [eCigs, LOOSE_LITHIUM_BATTERIES],
    messaging: messaging({
      locales: ['en-AU'],
      fallback: ['en'],
      timeZones: ['Australia/Sydney', 'Australia/Melbourne', 'Australia/Brisbane', 'Australia/Adelaide', 'Australia/Perth', 'Australia/Darwin', 'Australia/Hobart'],
      smsOptInRequired: false,
      smsStopInstructions: true,
      senderIdNotes: 'Spam Act 2003: every message, factual ones included, must identify the sender (the retailer).',
      source: POLICY,
      note: `Spam Act 2003: commercial SMS needs consent, sender identification and an unsubscribe; purely factual messages need identification only. ${STOP_CONSERVATIVE}`,
    }),
    delivery: delivery([lane('*', 8, 15, 48), lane('NZ', 4, 8, 24), lane('US', 8, 15, 48), lane('GB', 9, 18, 48), lane('CN', 8, 16, 72)]),
    sources: [SRC_AU],
  };
}

const AU_SEED = history('AU', [
  {
    effectiveFrom: '2018-07-01',
    changeNote: 'Vendor-collected GST on goods ≤ AUD 1,000; border threshold AUD 1,000.',
    content: auContent(eCigarettesRestricted()),
  },
  {
    effectiveFrom: '2024-03-01',
    changeNote: 'All vaping goods barred from the post.',
    content: auContent(eCigarettes('blocked', SRC_AU, 'Fact sheet: all vaping goods by post from 2024-03-01.')),
  },
]);

// ------------------------------------------------------------------------------------------------- NZ

const SRC_NZ = 'https://www.ird.govt.nz/gst/gst-for-overseas-businesses/gst-on-low-value-imported-goods/what-low-value-goods-are';
const NZ_1000 = threshold(1000, 'NZD', 'lte');

const NZ: RuleSetContent = {
  name: 'New Zealand',
  currency: 'NZD',
  customs: {
    dutyDeMinimis: { kind: 'threshold', threshold: NZ_1000, source: SRC_NZ, note: 'Duty and cost-recovery charges removed for consignments ≤ NZD 1,000 from 2019-12-01 (consignment value).' },
    duty: dutyEstimate(5, { '61': 10, '62': 10, '64': 10, '84': 0, '85': 0 }),
    vat: {
      ratePercent: 15,
      name: 'GST',
      deMinimis: noRelief(
        SRC_NZ,
        'GST on goods ≤ NZD 1,000 is collected by registered offshore suppliers. Whether the border collects it when the seller is not registered is unverified.',
        true,
      ),
      source: SRC_NZ,
    },
    lowValueScheme: {
      code: 'NZ_LVIG_GST',
      name: 'GST on low-value imported goods',
      registration: 'nzGst',
      upTo: NZ_1000,
      collects: ['vat'],
      source: SRC_NZ,
      note: 'Registered offshore suppliers charge 15 % GST at checkout on goods ≤ NZD 1,000.',
    },
  },
  consignee: consignee(),
  documents: documents(),
  prohibited: markUnverified([LOOSE_LITHIUM_BATTERIES, eCigarettesRestricted()]),
  messaging: messaging({
    locales: ['en-NZ'],
    fallback: ['en'],
    timeZones: ['Pacific/Auckland'],
    smsOptInRequired: false,
    smsStopInstructions: true,
    source: POLICY,
    note: SMS_RULES_UNVERIFIED,
    unverified: true,
  }),
  delivery: delivery([lane('*', 8, 16, 48), lane('AU', 4, 8, 24), lane('CN', 9, 18, 72)]),
  sources: [SRC_NZ],
};

// ------------------------------------------------------------------------------------------------- JP

const SRC_JP = 'https://www.comgateway.com/blogs/new-japan-customs-and-import-tax-rules-you-must-know-for-2026-shipping';
const JP_EXCLUSIONS = 'Some goods are excluded (leather goods, knitwear, some footwear): not expressible by HS code yet.';

function jpContent(customs: Customs): RuleSetContent {
  return {
    name: 'Japan',
    currency: 'JPY',
    customs,
    consignee: consignee(),
    documents: documents(),
    prohibited: [LOOSE_LITHIUM_BATTERIES, eCigarettesRestricted()],
    messaging: messaging({
      locales: ['ja-JP'],
      fallback: ['ja', 'en'],
      timeZones: ['Asia/Tokyo'],
      smsOptInRequired: false,
      smsStopInstructions: true,
      source: POLICY,
      note: `Act on Specified Electronic Mail: advertising messages need prior opt-in; transaction notices are an exception. ${STOP_CONSERVATIVE}`,
    }),
    delivery: delivery([lane('*', 5, 10, 36), lane('KR', 3, 6, 24), lane('US', 6, 12, 48), lane('CN', 4, 8, 36)]),
    sources: [SRC_JP],
  };
}

const JP_DUTY = dutyEstimate(3, { '42': 10, '61': 9, '62': 9, '64': 25, '84': 0, '85': 0 });
const JP_10000_60 = threshold(10000, 'JPY', 'lte', 'taxable_value', 0.6);
const JP_REFORM = 'FY2026 reform outline (dates unverified): seller collection for items ≤ JPY 10,000 from 2028-04 and the 60 % rule ends.';

const JP_SEED = history('JP', [
  {
    effectiveFrom: '2021-01-01',
    changeNote: `Duty and import consumption tax exempt when the taxable value (60 % of the overseas retail price) is ≤ JPY 10,000. ${BASELINE_NOTE}`,
    content: jpContent({
      dutyDeMinimis: { kind: 'threshold', threshold: JP_10000_60, source: SRC_JP, note: `Taxable value for personal imports = 60 % of the overseas retail price. ${JP_EXCLUSIONS}` },
      duty: JP_DUTY,
      vat: {
        ratePercent: 10,
        name: 'Consumption tax',
        deMinimis: { kind: 'threshold', threshold: JP_10000_60, source: SRC_JP, note: JP_EXCLUSIONS },
        source: SRC_JP,
      },
    }),
  },
  {
    effectiveFrom: '2028-04-01',
    changeNote: 'Planned: seller collection of consumption tax for items ≤ JPY 10,000; the 60 % rule ends (dates unverified).',
    content: jpContent({
      dutyDeMinimis: {
        kind: 'threshold',
        threshold: threshold(10000, 'JPY', 'lte'),
        source: SRC_JP,
        unverified: true,
        note: `${JP_REFORM} Duty relief assumed to stay at JPY 10,000 on the goods value.`,
      },
      duty: JP_DUTY,
      vat: {
        ratePercent: 10,
        name: 'Consumption tax',
        deMinimis: noRelief(SRC_JP, `${JP_REFORM} There is no registration type for the Japanese scheme yet, so the tax is shown as due at import.`, true),
        source: SRC_JP,
        unverified: true,
      },
    }),
  },
]);

// ------------------------------------------------------------------------------------------------- CN

const SRC_CN = 'http://english.wuhan.gov.cn/Visa_1/CR_1/202003/t20200316_950451.shtml';
const CN_50 = threshold(50, 'CNY', 'lte', 'tax_amount');

const CN: RuleSetContent = {
  name: 'China (mainland)',
  currency: 'CNY',
  customs: {
    note:
      'CBEC retail import (≤ RMB 5,000 per transaction, ≤ RMB 26,000 a year per person; duty 0 %, VAT and consumption tax at 70 %; positive list) ' +
      'is not modelled: there is no registration type for it yet. Personal postal articles pay a combined postal-article tax (rates not in the fact sheet).',
    dutyDeMinimis: {
      kind: 'threshold',
      threshold: CN_50,
      source: SRC_CN,
      note: 'Personal postal articles: tax ≤ RMB 50 waived. Per-parcel value limit RMB 1,000 (not expressible yet).',
    },
    duty: dutyEstimate(8, { '61': 10, '62': 10, '64': 15, '84': 5, '85': 5 }),
    vat: {
      ratePercent: 13,
      name: 'VAT',
      deMinimis: { kind: 'threshold', threshold: CN_50, source: SRC_CN, unverified: true, note: 'The RMB 50 waiver covers the whole postal-article tax, VAT included (Passage reading).' },
      source: SRC_CN,
    },
  },
  consignee: consignee({
    taxId: {
      name: 'Resident ID card number',
      formats: [{ label: 'Resident ID', pattern: '^\\d{17}[\\dXx]$' }],
      required: 'always',
      source: SRC_CN,
      unverified: true,
      note: 'Required for CBEC orders (real name and ID of the buyer); applied to every shipment here as the conservative reading (unverified).',
    },
  }),
  documents: documents({
    other: [otherDocument('CN_CBEC_REAL_NAME', 'CBEC orders: the real name and resident ID of the buyer, matching the payer.', SRC_CN)],
  }),
  prohibited: markUnverified([LOOSE_LITHIUM_BATTERIES, eCigarettesRestricted()]),
  messaging: messaging({
    locales: ['zh-Hans-CN'],
    fallback: ['zh-Hans', 'zh', 'en'],
    timeZones: ['Asia/Shanghai'],
    smsOptInRequired: false,
    smsStopInstructions: true,
    source: POLICY,
    note: SMS_RULES_UNVERIFIED,
    unverified: true,
  }),
  delivery: delivery([lane('*', 8, 16, 72), lane('HK', 2, 4, 24), lane('JP', 5, 10, 48), lane('US', 9, 18, 72)]),
  sources: [SRC_CN],
};

// ------------------------------------------------------------------------------------------------- SG, HK

function exciseGoods(source: string, note: string): ProhibitedItem {
  return {
    code: 'EXCISE_GOODS',
    name: 'Liquor and tobacco',
    outcome: 'restricted',
    hsPrefixes: [...ALCOHOL_HS, ...TOBACCO_HS],
    keywords: [...ALCOHOL_KEYWORDS, ...TOBACCO_KEYWORDS],
    source,
    note,
  };
}

const SRC_SG = 'https://www.customs.gov.sg/personal-shipment/buying-from-overseas/gst-on-low-value-goods';

const SG: RuleSetContent = {
  name: 'Singapore',
  currency: 'SGD',
  customs: {
    dutyDeMinimis: { kind: 'not_charged', source: SRC_SG, note: 'Duty only on liquor, tobacco, motor vehicles and petroleum (excise; reviewed, not computed).' },
    duty: { ratePercent: 0, source: SRC_SG, note: 'No customs duty except excise goods.' },
    vat: {
      ratePercent: 9,
      name: 'GST',
      deMinimis: { kind: 'threshold', threshold: threshold(400, 'SGD', 'lte', 'cif'), source: SRC_SG, note: 'Import GST relief for air/post consignments ≤ SGD 400 (CIF).' },
      source: SRC_SG,
    },
    lowValueScheme: {
      code: 'SG_OVR_GST',
      name: 'GST on low-value goods (overseas vendor registration)',
      registration: 'sgGst',
      upTo: threshold(400, 'SGD', 'lte'),
      collects: ['vat'],
      source: SRC_SG,
      unverified: true,
      note: 'Since 2023 registered overseas vendors charge GST at checkout on items ≤ SGD 400. Per item or per consignment, and the value basis, are unverified.',
    },
  },
  consignee: consignee(),
  documents: documents(),
  prohibited: [
    eCigarettes('blocked', POLICY, 'Fact sheet: e-cigarettes and vapes are prohibited imports.'),
    exciseGoods(SRC_SG, 'Dutiable excise goods: reviewed, duty not computed.'),
    LOOSE_LITHIUM_BATTERIES,
  ],
  messaging: messaging({
    locales: ['en-SG'],
    fallback: ['en'],
    timeZones: ['Asia/Singapore'],
    smsOptInRequired: false,
    smsStopInstructions: true,
    source: POLICY,
    note: SMS_RULES_UNVERIFIED,
    unverified: true,
  }),
  delivery: delivery([lane('*', 5, 10, 36), lane('CN', 4, 8, 36), lane('US', 7, 14, 48)]),
  sources: [SRC_SG],
};

const SRC_HK = 'https://www.customs.gov.hk/en/service-enforcement-information/cargo-clearance/index.html';

const HK: RuleSetContent = {
  name: 'Hong Kong SAR',
  currency: 'HKD',
  customs: {
    dutyDeMinimis: { kind: 'not_charged', source: SRC_HK, note: 'Free port: no tariff. Excise only on liquor, tobacco, hydrocarbon oil and methyl alcohol (reviewed, not computed).' },
    duty: { ratePercent: 0, source: SRC_HK, note: 'No customs tariff.' },
    vat: { ratePercent: 0, name: 'none', source: SRC_HK, note: 'No VAT or GST.' },
  },
  consignee: consignee({ postcode: POSTCODE_NONE }),
  documents: documents(),
  prohibited: [
    eCigarettes('blocked', SRC_HK, 'Import ban on e-cigarettes and heated tobacco products.', {
      hsPrefixes: ['240411'],
      keywords: ['heated tobacco', 'heat-not-burn', 'IQOS'],
    }),
    exciseGoods(SRC_HK, 'Dutiable excise goods (liquor, tobacco): reviewed, duty not computed.'),
    LOOSE_LITHIUM_BATTERIES,
  ],
  messaging: messaging({
    locales: ['zh-Hant-HK', 'en-HK'],
    fallback: ['zh-Hant', 'en'],
    timeZones: ['Asia/Hong_Kong'],
    smsOptInRequired: false,
    smsStopInstructions: true,
    source: POLICY,
    note: SMS_RULES_UNVERIFIED,
    unverified: true,
  }),
  delivery: delivery([lane('*', 5, 10, 24), lane('CN', 2, 4, 24), lane('US', 6, 12, 36)]),
  sources: [SRC_HK],
};

// ------------------------------------------------------------------------------------------------- IN

const SRC_IN_CUSTOMS = 'https://mumbaicustomszone3.gov.in/apsc-ict-faq';
const SRC_IN_KYC = 'https://kyc.india.express.dhl.com/forms/faq.aspx';

const IN: RuleSetContent = {
  name: 'India',
  currency: 'INR',
  customs: {
    dutyDeMinimis: noRelief(SRC_IN_CUSTOMS, 'No e-commerce de minimis (CIF basis).'),
    duty: { ratePercent: 11, source: SRC_IN_CUSTOMS, note: 'BCD 10 % + social welfare surcharge (10 % of BCD); the personal-courier band below replaces duty and IGST.' },
    vat: { ratePercent: 18, name: 'IGST', deMinimis: noRelief(SRC_IN_CUSTOMS), source: SRC_IN_CUSTOMS },
    rateBands: [
      {
        code: 'IN_PERSONAL_COURIER',
        name: 'Personal courier imports (BCD + SWS + IGST)',
        ratePercent: 30.98,
        replaces: ['duty', 'vat'],
        exact: true,
        source: SRC_IN_CUSTOMS,
        note: 'Personal courier imports: BCD 10 % + SWS + IGST 18 % = 30.98 % of CIF.',
      },
    ],
  },
  consignee: consignee({
    taxId: {
      name: 'KYC: PAN / Aadhaar / passport',
      formats: [
        { label: 'PAN', pattern: '^[A-Z]{5}\\d{4}[A-Z]$' },
        { label: 'Aadhaar', pattern: '^\\d{12}$' },
        { label: 'Passport', pattern: '^[A-Z]\\d{7}$' },
      ],
      required: 'always',
      source: SRC_IN_KYC,
      unverified: true,
      note: 'KYC on all courier imports. PAN and Aadhaar regexes are (knowledge); the passport format is Passage knowledge. All unverified.',
    },
    phone: required(true, SRC_IN_KYC, 'Aadhaar OTP validation needs a linked mobile (carrier guidance).'),
  }),
  documents: documents({ other: [otherDocument('IN_KYC', 'Consignee KYC (PAN, Aadhaar or passport) for every courier import.', SRC_IN_KYC)] }),
  prohibited: [eCigarettes('blocked', POLICY, 'Fact sheet: e-cigarettes are prohibited imports.'), LOOSE_LITHIUM_BATTERIES],
  messaging: messaging({
    locales: ['hi-IN', 'en-IN'],
    fallback: ['hi', 'en'],
    timeZones: ['Asia/Kolkata'],
    quietHours: [{ days: ALL_DAYS, start: '21:00', end: '09:00', appliesTo: 'marketing', source: POLICY, note: 'TRAI TCCCPR: promotional SMS only 09:00–21:00.' }],
    smsOptInRequired: false,
    smsStopInstructions: true,
    senderIdNotes: 'TRAI TCCCPR: DLT registration of the sender, headers and templates for all commercial SMS; transactional SMS only through registered templates.',
    source: POLICY,
    note: `TRAI TCCCPR: DLT registration for all commercial SMS; promotional SMS 09:00–21:00 only; transactional via registered templates. ${STOP_CONSERVATIVE}`,
  }),
  delivery: delivery([lane('*', 8, 16, 96), lane('AE', 5, 10, 72), lane('US', 8, 16, 96), lane('CN', 9, 18, 96)]),
  sources: [SRC_IN_CUSTOMS, SRC_IN_KYC],
};

export const ASIA_PACIFIC_SEEDS: SeedVersion[] = [
  ...AU_SEED,
  ...history('NZ', [{ effectiveFrom: '2019-12-01', changeNote: 'Duty relief ≤ NZD 1,000; offshore suppliers collect GST on low-value goods.', content: NZ }]),
  ...JP_SEED,
  ...history('KR', [{ effectiveFrom: '2021-01-01', changeNote: `USD 150 de minimis; PCCC on all B2C shipments. ${BASELINE_NOTE}`, content: KR }]),
  ...history('CN', [{ effectiveFrom: '2021-01-01', changeNote: `Postal-article tax ≤ RMB 50 waived. ${BASELINE_NOTE}`, content: CN }]),
  ...history('SG', [
    {
      effectiveFrom: '2024-01-01',
      changeNote: 'GST 9 % (the rate since 2024-01-01, Passage knowledge); vendor-collected GST on low-value goods since 2023. Passage models SG from this date.',
      content: SG,
    },
  ]),
  ...history('HK', [
    {
      effectiveFrom: '2022-04-30',
      changeNote: 'Import ban on e-cigarettes and heated tobacco (in force since 2022-04-30, Passage knowledge); free port. Passage models HK from this date.',
      content: HK,
    },
  ]),
  ...history('IN', [{ effectiveFrom: '2021-01-01', changeNote: `Personal courier imports 30.98 % of CIF; KYC on all courier imports. ${BASELINE_NOTE}`, content: IN }]),
];
