import { RuleSetContent, validateRuleSetContent } from '../rule-set/rule-set-content';
import { ESTIMATE, POLICY } from './common.seed';
import { RULE_SET_SEED, SeedVersion, seedCatalog } from './rule-set-seed';

/** The 30 countries of `country-facts.yaml`. */
const SHEET_COUNTRIES = [
  'GB', 'IE', 'DE', 'FR', 'NL', 'ES', 'IT', 'BE', 'PL', 'SE', 'DK', 'CH', 'NO', 'US', 'CA',
  'AU', 'NZ', 'JP', 'KR', 'CN', 'SG', 'HK', 'BR', 'MX', 'IN', 'AE', 'SA', 'ZA', 'IL', 'TR',
];
/** The sheet's members with `inherits: EU`, plus RO, seeded deliberately for its national parcel fee. */
const EU_MEMBER_SEEDS = ['IE', 'DE', 'FR', 'NL', 'ES', 'IT', 'BE', 'PL', 'SE', 'DK', 'RO'];
const EXPECTED_CODES = [...SHEET_COUNTRIES, 'EU', 'RO'].sort();

const catalog = seedCatalog();
const versionsOf = (country: string): SeedVersion[] => RULE_SET_SEED.filter((v) => v.country === country);

function get(value: unknown, path: string): unknown {
  return path.split('.').reduce<unknown>((node, key) => (node === null || typeof node !== 'object' ? undefined : (node as Record<string, unknown>)[key]), value);
}

function hasUnverified(value: unknown): boolean {
  if (value === null || typeof value !== 'object') return false;
  if ((value as { unverified?: unknown }).unverified === true) return true;
  return Object.values(value).some(hasUnverified);
}

/** The version in force on a date (latest `effectiveFrom` ≤ date). */
function inForce(country: string, on: string): SeedVersion | undefined {
  return versionsOf(country)
    .filter((v) => v.effectiveFrom <= on && (!v.effectiveTo || on < v.effectiveTo))
    .at(-1);
}

/** A top-level section of a version with its group's section laid under it, field by field. */
function section(v: SeedVersion, name: 'customs' | 'consignee' | 'documents' | 'messaging' | 'delivery'): Record<string, unknown> {
  const parent = v.content.inherits ? inForce(v.content.inherits, v.effectiveFrom)?.content[name] : undefined;
  return { ...(parent ?? {}), ...(v.content[name] ?? {}) } as Record<string, unknown>;
}

function prohibitedOf(v: SeedVersion): NonNullable<RuleSetContent['prohibited']> {
  const parent = v.content.inherits ? (inForce(v.content.inherits, v.effectiveFrom)?.content.prohibited ?? []) : [];
  const own = v.content.prohibited ?? [];
  return [...parent.filter((p) => !own.some((o) => o.code === p.code)), ...own];
}

/** Every rule (each `Sourced` object) in a content, with its path. */
function rulesOf(content: RuleSetContent): Array<[string, { source?: string; unverified?: boolean }]> {
  const rules: Array<[string, unknown]> = [];
  const add = (path: string, value: unknown) => {
    if (value !== undefined) rules.push([path, value]);
  };
  const addAll = (path: string, list: unknown[] | undefined) => list?.forEach((item, i) => add(`${path}.${i}`, item));
  const { customs, consignee, documents, messaging, delivery } = content;
  add('customs.dutyDeMinimis', customs?.dutyDeMinimis);
  add('customs.duty', customs?.duty);
  addAll('customs.duty.byHsPrefix', customs?.duty?.byHsPrefix);
  add('customs.vat', customs?.vat);
  add('customs.vat.deMinimis', customs?.vat?.deMinimis);
  add('customs.lowValueScheme', customs?.lowValueScheme);
  addAll('customs.rateBands', customs?.rateBands);
  addAll('customs.flatDuties', customs?.flatDuties);
  addAll('customs.fees', customs?.fees);
  for (const field of ['taxId', 'phone', 'email', 'postcode', 'address'] as const) add(`consignee.${field}`, consignee?.[field]);
  add('documents', documents);
  addAll('documents.other', documents?.other);
  addAll('prohibited', content.prohibited);
  add('messaging', messaging);
  addAll('messaging.quietHours', messaging?.quietHours);
  add('delivery', delivery);
  addAll('delivery.lanes', delivery?.lanes);
  return rules as Array<[string, { source?: string; unverified?: boolean }]>;
}

const ALL_VERSIONS = RULE_SET_SEED.map((v) => [v.country, v.version, v] as const);

describe('rule-set seed', () => {
  describe('validity', () => {
    it.each(ALL_VERSIONS)('%s v%i passes validateRuleSetContent', (_country, _version, v) => {
      expect(validateRuleSetContent(v.content).errors).toEqual([]);
    });
  });

  describe('coverage and numbering', () => {
    it('holds exactly the 30 countries of the fact sheet, the EU group, and RO', () => {
      expect([...catalog.keys()].sort()).toEqual(EXPECTED_CODES);
    });

    it('lists versions in the catalog in ascending effectiveFrom order', () => {
      for (const [country, versions] of catalog) {
        expect(versions.map((v) => v.effectiveFrom)).toEqual(versionsOf(country).map((v) => v.effectiveFrom).sort());
      }
    });

    it.each(EXPECTED_CODES)('numbers %s versions 1..n with strictly ascending effective dates', (country) => {
      const versions = versionsOf(country);
      expect(versions.length).toBeGreaterThan(0);
      expect(versions.map((v) => v.version)).toEqual(versions.map((_, i) => i + 1));
      versions.forEach((v, i) => {
        expect(v.effectiveFrom).toMatch(/^\d{4}-\d{2}-\d{2}$/);
        if (i > 0) expect(v.effectiveFrom > versions[i - 1].effectiveFrom).toBe(true);
        if (v.effectiveTo) {
          expect(v.effectiveTo > v.effectiveFrom).toBe(true);
          if (versions[i + 1]) expect(v.effectiveTo <= versions[i + 1].effectiveFrom).toBe(true);
        }
        expect(v.author).toBe('seed');
        expect(v.changeNote.length).toBeGreaterThan(10);
      });
    });
  });

  describe('EU group', () => {
    it('lists all 27 member states, the seeded ones included', () => {
      for (const v of versionsOf('EU')) {
        expect(v.content.members).toHaveLength(27);
        expect(v.content.members).toEqual(expect.arrayContaining([...EU_MEMBER_SEEDS, 'AT']));
      }
    });

    it.each(EU_MEMBER_SEEDS)('makes every %s version inherit from EU', (country) => {
      for (const v of versionsOf(country)) expect(v.content.inherits).toBe('EU');
    });

    it('lets no other rule set inherit', () => {
      const others = RULE_SET_SEED.filter((v) => !EU_MEMBER_SEEDS.includes(v.country));
      expect(others.filter((v) => v.content.inherits !== undefined)).toEqual([]);
    });

    it('documents the unconfirmed EU-wide EUR 2 handling fee in a note instead of charging it', () => {
      for (const v of versionsOf('EU')) {
        expect(v.content.customs?.note).toContain('EUR 2 handling fee');
        expect(v.content.customs?.fees).toBeUndefined();
      }
    });
  });

  describe('dated changes of the fact sheet', () => {
    // [country, effective date, the rule the change is about, whether the sheet calls it unconfirmed]
    it.each([
      ['EU', '2021-07-01', 'customs.lowValueScheme', false],
      ['EU', '2026-07-01', 'customs.flatDuties', false],
      ['EU', '2028-07-01', 'customs.dutyDeMinimis', false],
      ['US', '2025-05-02', 'customs.dutyDeMinimis', false],
      ['US', '2025-08-29', 'customs.dutyDeMinimis', false],
      ['US', '2026-02-24', 'customs.rateBands', true],
      ['US', '2026-07-24', 'customs.duty', true],
      ['US', '2027-07-01', 'customs.dutyDeMinimis', false],
      ['RO', '2026-01-01', 'customs.fees', true],
      ['FR', '2026-03-01', 'customs.fees', true],
      ['IT', '2026-07-01', 'customs.fees', true],
      ['GB', '2029-03-01', 'customs.dutyDeMinimis', true],
      ['JP', '2028-04-01', 'customs.vat', true],
      ['MX', '2025-01-01', 'consignee.taxId', false],
      ['MX', '2025-08-15', 'customs.rateBands', true],
      ['BR', '2024-08-01', 'customs.rateBands', false],
      ['BR', '2025-04-01', 'customs.vat', true],
      ['NO', '2024-01-01', 'customs.lowValueScheme', false],
      ['ZA', '2024-09-01', 'customs.rateBands', true],
      ['IL', '2025-12-24', 'customs.vat', true],
      ['SA', '2024-10-06', 'customs.fees', false],
      ['AU', '2024-03-01', 'prohibited', false],
      ['CH', '2024-01-01', 'customs.dutyDeMinimis', false],
      ['TR', '2026-01-07', 'customs.rateBands', true],
    ] as const)('has a %s version from %s with %s', (country, date, path, unconfirmed) => {
      const v = versionsOf(country).find((x) => x.effectiveFrom === date);
      expect(v).toBeDefined();
      expect(get(v?.content, path)).toBeDefined();
      if (unconfirmed) expect(hasUnverified(get(v?.content, path))).toBe(true);
    });
  });

  describe('unverified facts of the fact sheet', () => {
    const PHONE: [string, string] = ['phone_required', 'consignee.phone'];
    const SLA: [string, string] = ['domestic_sla_days', 'delivery.lanes'];
    const SMS: [string, string] = ['sms_rules', 'messaging'];
    const PROHIBITED: [string, string] = ['prohibited', 'prohibited'];
    // Each entry of a country's `unverified` list in the sheet, and where the seed records it.
    const table: Record<string, Array<[string, string]>> = {
      EU: [['EORI format', 'documents.other']],
      GB: [PHONE, ['quiet hours', 'messaging.quietHours'], SLA],
      IE: [PHONE, SLA],
      DE: [PHONE, SLA],
      FR: [['exact quiet-hour window', 'messaging.quietHours'], PHONE, SLA],
      NL: [PHONE, SLA],
      ES: [['consignee_tax_id', 'consignee.taxId'], SLA],
      IT: [['Codice Fiscale rule', 'consignee.taxId'], ['fee start date (EU: IT fee final date)', 'customs.fees'], SLA],
      BE: [PHONE, SLA],
      PL: [PHONE, SLA],
      SE: [PHONE, SLA],
      DK: [PHONE, SLA],
      CH: [SMS, PROHIBITED, PHONE, SLA],
      NO: [SMS, PHONE, SLA],
      US: [['section 122 status after 2026-07-24', 'customs.rateBands'], ['state quiet-hour table', 'messaging.quietHours'], PHONE, SLA],
      CA: [['provincial rates', 'customs.vat'], PHONE, SLA],
      AU: [PHONE, SLA],
      NZ: [SMS, PROHIBITED, PHONE, SLA],
      JP: [['reform dates', 'customs.vat'], PHONE, SLA],
      KR: [['valuation basis detail', 'customs.dutyDeMinimis'], SLA],
      CN: [PROHIBITED, PHONE, SLA],
      SG: [PHONE, SLA],
      HK: [SMS, PHONE, SLA],
      BR: [['20% ICMS state list', 'customs.vat'], SMS, PHONE, SLA],
      MX: [['2026 rates', 'customs.rateBands'], ['CURP regex', 'consignee.taxId'], SMS, SLA],
      IN: [['regexes', 'consignee.taxId'], SLA],
      AE: [['exact AED figure', 'customs.dutyDeMinimis'], ['SMS start hour', 'messaging.quietHours'], PHONE, SLA],
      SA: [['whether SAR 1,000 exemption still applies', 'customs.dutyDeMinimis'], ['consignee ID', 'consignee.taxId'], SMS, SLA],
      ZA: [['post-2024-11 flat-rate structure', 'customs.rateBands'], ['consignee ID', 'consignee.taxId'], PROHIBITED, SLA],
      IL: [['USD 150 still in force', 'customs.vat'], SMS, PROHIBITED, SLA],
      TR: [['post-2026-02 sub-EUR-30 treatment', 'customs.rateBands'], SLA],
    };
    const rows = Object.entries(table).flatMap(([country, entries]) => entries.map(([label, path]) => [country, label, path] as const));

    it('covers every country of the sheet', () => {
      expect(Object.keys(table).sort()).toEqual([...SHEET_COUNTRIES, 'EU'].sort());
    });

    it.each(rows)('%s: "%s" is marked unverified at %s', (country, _label, path) => {
      expect(versionsOf(country).some((v) => hasUnverified(get(v.content, path)))).toBe(true);
    });
  });

  describe('provenance', () => {
    it.each(ALL_VERSIONS)('%s v%i gives every rule a source, and marks every estimate unverified', (_country, _version, v) => {
      const rules = rulesOf(v.content);
      expect(rules.length).toBeGreaterThan(5);
      const unsourced = rules.filter(([, rule]) => !(rule.source === ESTIMATE || rule.source === POLICY || /^https?:\/\//.test(rule.source ?? '')));
      expect(unsourced.map(([path]) => path)).toEqual([]);
      const estimatesNotFlagged = rules.filter(([, rule]) => rule.source === ESTIMATE && rule.unverified !== true);
      expect(estimatesNotFlagged.map(([path]) => path)).toEqual([]);
    });
  });

  describe('shared facts in every destination', () => {
    const countryVersions = RULE_SET_SEED.filter((v) => v.country !== 'EU').map((v) => [v.country, v.version, v] as const);

    it.each(countryVersions)('%s v%i has a duty rule, the CN22 line, a catch-all lane and the courtesy SMS window', (_country, _version, v) => {
      expect(typeof get(section(v, 'customs'), 'duty.ratePercent')).toBe('number');
      expect(section(v, 'documents')).toMatchObject({ cn22MaxSdr: 300, cn22MaxGrams: 2000 });
      const lanes = section(v, 'delivery').lanes as Array<{ origin: string }>;
      expect(lanes.map((l) => l.origin)).toContain('*');
      const messaging = section(v, 'messaging');
      expect((messaging.locales as string[]).length).toBeGreaterThan(0);
      expect(messaging.quietHours).toEqual(expect.arrayContaining([expect.objectContaining({ start: '21:00', end: '08:00', appliesTo: 'all', days: [1, 2, 3, 4, 5, 6, 7] })]));
    });

    it.each(countryVersions)('%s v%i restricts loose lithium batteries', (_country, _version, v) => {
      expect(prohibitedOf(v).find((p) => p.code === 'LOOSE_LITHIUM_BATTERIES')).toMatchObject({ outcome: 'restricted', hsPrefixes: ['850650', '850760'] });
    });

    const BLOCKS_VAPES = ['US', 'AU', 'SG', 'HK', 'BR', 'MX', 'IN', 'TR'];
    it.each([...catalog.keys()].filter((c) => c !== 'EU'))('%s blocks e-cigarettes only where the sheet bans them', (country) => {
      const latest = versionsOf(country).at(-1) as SeedVersion;
      const item = prohibitedOf(latest).find((p) => p.code === 'E_CIGARETTES');
      expect(item).toMatchObject({ outcome: BLOCKS_VAPES.includes(country) ? 'blocked' : 'restricted' });
      expect(item?.hsPrefixes).toEqual(expect.arrayContaining(['854340', '240412', '240419']));
      expect(item?.keywords).toEqual(expect.arrayContaining(['e-cigarette', 'vape', 'vaping', 'e-liquid', 'E-Zigarette', 'cigarette électronique']));
    });
  });

  describe('key figures', () => {
    // [country, date evaluated, path in the country's own content, expected]
    it.each([
      ['EU', '2025-01-01', 'customs.dutyDeMinimis.threshold', { amountMinor: 15000, currency: 'EUR', comparison: 'lte', basis: 'goods' }],
      ['EU', '2025-01-01', 'customs.lowValueScheme', { registration: 'ioss', collects: ['vat'], numberInCustomsData: true, upTo: { amountMinor: 15000, currency: 'EUR', comparison: 'lte', basis: 'goods' } }],
      ['EU', '2025-01-01', 'documents', { hsDigits: 6, h7UpTo: { amountMinor: 15000, currency: 'EUR', comparison: 'lte', basis: 'goods' } }],
      ['EU', '2027-01-01', 'customs.dutyDeMinimis', { kind: 'none' }],
      ['EU', '2027-01-01', 'customs.flatDuties.0', { amount: { amountMinor: 300, currency: 'EUR' }, per: 'tariff_line', replacesDuty: true, upTo: { amountMinor: 15000, comparison: 'lte', basis: 'goods' } }],
      ['EU', '2028-07-01', 'customs', { dutyDeMinimis: { kind: 'none' } }],
      ['DE', '2026-01-01', 'customs.vat', { ratePercent: 19, deMinimis: { kind: 'none' } }],
      ['SE', '2026-01-01', 'currency', 'SEK'],
      ['FR', '2026-04-01', 'customs.fees.0', { amount: { amountMinor: 200, currency: 'EUR' }, per: 'declaration_line', unverified: true }],
      ['IT', '2026-08-01', 'customs.fees.0', { amount: { amountMinor: 200, currency: 'EUR' }, per: 'consignment', unverified: true }],
      ['IT', '2026-01-01', 'consignee.taxId', { required: 'above', requiredAbove: { amountMinor: 15000, currency: 'EUR' }, unverified: true }],
      ['RO', '2026-02-01', 'customs.fees.0.amount', { amountMinor: 2500, currency: 'RON' }],
      ['US', '2024-01-01', 'customs.dutyDeMinimis', { kind: 'threshold', threshold: { amountMinor: 80000, currency: 'USD', comparison: 'lte' } }],
      ['US', '2026-01-01', 'customs.dutyDeMinimis', { kind: 'none' }],
      ['US', '2026-03-01', 'customs.rateBands.0', { ratePercent: 10, unverified: true }],
      ['GB', '2026-01-01', 'customs.lowValueScheme', { registration: 'ukVat', collects: ['vat'], upTo: { amountMinor: 13500, currency: 'GBP', comparison: 'lte' } }],
      ['CH', '2026-01-01', 'customs.vat.deMinimis.threshold', { amountMinor: 500, currency: 'CHF', comparison: 'lte', basis: 'tax_amount' }],
      ['CH', '2026-01-01', 'customs.dutyDeMinimis.kind', 'not_charged'],
      ['NO', '2026-01-01', 'customs.lowValueScheme', { registration: 'voec', collects: ['vat'], waives: ['duty'], upTo: { amountMinor: 300000, currency: 'NOK', comparison: 'lt', basis: 'item' } }],
      ['CN', '2026-01-01', 'customs.dutyDeMinimis.threshold', { amountMinor: 5000, currency: 'CNY', basis: 'tax_amount' }],
      ['JP', '2026-01-01', 'customs.dutyDeMinimis.threshold', { amountMinor: 10000, currency: 'JPY', basis: 'taxable_value', valueFactor: 0.6 }],
      ['KR', '2026-01-01', 'consignee', { taxId: { required: 'always', formats: [{ pattern: '^P\\d{12}$' }] }, phone: { required: true } }],
      ['KR', '2026-01-01', 'customs.dutyDeMinimis.threshold', { amountMinor: 15000, currency: 'USD', comparison: 'lte' }],
      ['AU', '2026-01-01', 'customs.lowValueScheme', { registration: 'auGst', upTo: { amountMinor: 100000, currency: 'AUD', comparison: 'lte' } }],
      ['NZ', '2026-01-01', 'customs.lowValueScheme', { registration: 'nzGst', upTo: { amountMinor: 100000, currency: 'NZD' } }],
      ['SG', '2026-01-01', 'customs.lowValueScheme', { registration: 'sgGst', upTo: { amountMinor: 40000, currency: 'SGD' } }],
      ['HK', '2026-01-01', 'customs.dutyDeMinimis.kind', 'not_charged'],
      ['BR', '2026-01-01', 'customs.rateBands', [
        { code: 'BR_RC_UP_TO_50', ratePercent: 20, requiresRegistration: 'brRemessaConforme', upTo: { amountMinor: 5000, currency: 'USD' } },
        { code: 'BR_RC_ABOVE_50', ratePercent: 60, deduction: { amountMinor: 2000, currency: 'USD' }, requiresRegistration: 'brRemessaConforme' },
        { code: 'BR_NOT_CERTIFIED', ratePercent: 60, withoutRegistration: 'brRemessaConforme' },
      ]],
      ['BR', '2026-01-01', 'consignee.taxId', { required: 'always', formats: [{ checksum: 'pt-BR' }, { checksum: 'pt-BR' }] }],
      ['MX', '2026-01-01', 'consignee.taxId', { required: 'always', rejectedValues: ['XAXX010101000'] }],
      ['MX', '2026-01-01', 'customs.rateBands.4', { code: 'MX_COURIER_OTHER', ratePercent: 33.5 }],
      ['MX', '2026-01-01', 'customs.rateBands.1', { code: 'MX_USMCA_17', ratePercent: 17, origins: ['US', 'CA'] }],
      ['IN', '2026-01-01', 'consignee.taxId.required', 'always'],
      ['TR', '2026-01-01', 'consignee.taxId', { required: 'always', alternative: 'phone', formats: [{ pattern: '^[1-9]\\d{9}[02468]$' }] }],
      ['SA', '2026-01-01', 'customs.fees.0', { amount: { amountMinor: 1500, currency: 'SAR' }, per: 'consignment', upTo: { amountMinor: 100000, comparison: 'lt' } }],
      ['ZA', '2026-01-01', 'customs.rateBands.0', { ratePercent: 20, replaces: ['duty'], upTo: { amountMinor: 50000, currency: 'ZAR' } }],
      ['IL', '2025-06-01', 'customs.vat.deMinimis.threshold.amountMinor', 7500],
      ['IL', '2026-01-01', 'customs.vat.deMinimis.threshold.amountMinor', 15000],
    ] as const)('%s on %s: %s', (country, on, path, expected) => {
      const v = inForce(country, on);
      expect(v).toBeDefined();
      const actual = get(v?.content, path);
      if (typeof expected === 'object') expect(actual).toMatchObject(expected);
      else expect(actual).toBe(expected);
    });

    it('drops the flat duty when it ends on 2028-07-01', () => {
      expect(inForce('EU', '2028-07-01')?.content.customs?.flatDuties).toBeUndefined();
    });

    it('blocks alcohol and pork to SA and restricts tobacco to NO', () => {
      const sa = prohibitedOf(inForce('SA', '2026-01-01') as SeedVersion);
      expect(sa.find((p) => p.code === 'ALCOHOL')).toMatchObject({ outcome: 'blocked', hsPrefixes: expect.arrayContaining(['2203', '2208']) });
      expect(sa.find((p) => p.code === 'PORK')).toMatchObject({ outcome: 'blocked', hsPrefixes: expect.arrayContaining(['0203', '1601']) });
      const no = prohibitedOf(inForce('NO', '2026-01-01') as SeedVersion);
      expect(no.find((p) => p.code === 'TOBACCO')).toMatchObject({ outcome: 'restricted' });
    });

    it('freezes the seed so no evaluation can change it', () => {
      expect(Object.isFrozen(RULE_SET_SEED[0].content)).toBe(true);
    });
  });
});
