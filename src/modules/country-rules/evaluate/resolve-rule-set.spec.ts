import { RuleSetContent } from '../rule-set/rule-set-content';
import { resolveRuleSet, versionInForce } from './resolve-rule-set';
import { RuleSetCatalog, RuleSetVersion } from './verdict';

const version = (country: string, v: number, effectiveFrom: string, content: RuleSetContent, effectiveTo?: string): RuleSetVersion => ({
  country,
  version: v,
  effectiveFrom,
  effectiveTo,
  content,
});

const eur = (amountMinor: number) => ({ amountMinor, currency: 'EUR' });

const EU_1 = version(
  'EU',
  1,
  '2021-07-01',
  {
    currency: 'EUR',
    members: ['DE', 'FR', 'AT'],
    customs: {
      source: 'https://taxation-customs.ec.europa.eu',
      dutyDeMinimis: { kind: 'threshold', threshold: { ...eur(15000), comparison: 'lte', basis: 'goods' } },
      vat: { ratePercent: 21 },
      fees: [
        { code: 'HANDLING', name: 'Handling', amount: eur(200), per: 'consignment', payer: 'incoterm' },
        { code: 'STORAGE', name: 'Storage', amount: eur(100), per: 'consignment', payer: 'consignee' },
      ],
    },
    documents: { hsDigits: 6, other: [{ code: 'ICS2', description: 'ICS2 advance data' }] },
    prohibited: [{ code: 'WEAPONS', name: 'Weapons', outcome: 'blocked', keywords: ['gun'] }],
  },
  '2026-07-01',
);
const EU_2 = version('EU', 2, '2026-07-01', {
  ...EU_1.content,
  customs: { ...EU_1.content.customs, dutyDeMinimis: { kind: 'none' } },
});
const FR_1 = version('FR', 1, '2021-07-01', { inherits: 'EU', name: 'France', customs: { vat: { ratePercent: 20 } } });
const FR_2 = version('FR', 2, '2026-03-01', {
  inherits: 'EU',
  name: 'France',
  customs: {
    vat: { ratePercent: 20 },
    fees: [
      { code: 'HANDLING', name: 'French handling', amount: eur(250), per: 'consignment', payer: 'incoterm' },
      { code: 'FR_LINE', name: 'Line fee', amount: eur(200), per: 'declaration_line', payer: 'incoterm' },
    ],
  },
  prohibited: [{ code: 'ABSINTHE', name: 'Absinthe', outcome: 'restricted', keywords: ['absinthe'] }],
});
const GB_1 = version('GB', 1, '2021-01-01', { currency: 'GBP', customs: { vat: { ratePercent: 20 } } });

const catalog = (): RuleSetCatalog =>
  new Map([
    ['EU', [EU_1, EU_2]],
    ['FR', [FR_1, FR_2]],
    ['GB', [GB_1]],
  ]);

describe('versionInForce', () => {
  it.each([
    ['2021-06-30', undefined],
    ['2021-07-01', 1],
    ['2026-06-30', 1],
    ['2026-07-01', 2],
    ['2030-01-01', 2],
  ])('picks the EU version in force on %s', (on, expected) => {
    expect(versionInForce(catalog(), 'EU', on)?.version).toBe(expected);
  });

  it('treats effectiveTo as exclusive even when no later version exists', () => {
    const only = new Map([['EU', [EU_1]]]);
    expect(versionInForce(only, 'EU', '2026-06-30')?.version).toBe(1);
    expect(versionInForce(only, 'EU', '2026-07-01')).toBeUndefined();
  });

  it('prefers the higher version when two start on the same day', () => {
    const correction = version('GB', 2, '2021-01-01', { currency: 'GBP' });
    expect(versionInForce(new Map([['GB', [GB_1, correction]]]), 'GB', '2022-01-01')?.version).toBe(2);
  });
});

describe('resolveRuleSet', () => {
  it('merges the group under the child, the child replacing second-level fields whole', () => {
    const r = resolveRuleSet(catalog(), 'FR', '2026-01-15')!;
    expect(r.ruleSets).toEqual([
      { ruleSet: 'FR', version: 1, effectiveFrom: '2021-07-01' },
      { ruleSet: 'EU', version: 1, effectiveFrom: '2021-07-01' },
    ]);
    expect(r.content.currency).toBe('EUR');
    expect(r.content.customs?.vat).toEqual({ ratePercent: 20 });
    expect(r.content.customs?.dutyDeMinimis?.kind).toBe('threshold');
    expect(r.content.members).toBeUndefined();
    expect(r.provenance['customs.vat']).toEqual({ ruleSet: 'FR', version: 1, effectiveFrom: '2021-07-01' });
    expect(r.provenance['customs.dutyDeMinimis']).toMatchObject({ ruleSet: 'EU', version: 1 });
    expect(r.provenance['currency']).toMatchObject({ ruleSet: 'EU', version: 1 });
    expect(r.provenance['name']).toMatchObject({ ruleSet: 'FR', version: 1 });
  });

  it('merges keyed lists by code: the child replaces an entry in place and appends new ones', () => {
    const r = resolveRuleSet(catalog(), 'FR', '2026-03-01')!;
    expect(r.content.customs?.fees?.map((f) => [f.code, f.name])).toEqual([
      ['HANDLING', 'French handling'],
      ['STORAGE', 'Storage'],
      ['FR_LINE', 'Line fee'],
    ]);
    expect(r.provenance['customs.fees.HANDLING']).toMatchObject({ ruleSet: 'FR', version: 2 });
    expect(r.provenance['customs.fees.STORAGE']).toMatchObject({ ruleSet: 'EU', version: 1 });
    expect(r.provenance['customs.fees.FR_LINE']).toMatchObject({ ruleSet: 'FR', version: 2 });
    expect(r.content.prohibited?.map((p) => p.code)).toEqual(['WEAPONS', 'ABSINTHE']);
    expect(r.provenance['prohibited.ABSINTHE']).toMatchObject({ ruleSet: 'FR' });
    expect(r.provenance['documents.other.ICS2']).toMatchObject({ ruleSet: 'EU' });
  });

  it("keeps the section's other fields when the child sets one", () => {
    const r = resolveRuleSet(catalog(), 'FR', '2026-01-15')!;
    expect(r.content.customs?.source).toBe('https://taxation-customs.ec.europa.eu');
    expect(r.content.documents?.hsDigits).toBe(6);
  });

  it("takes the group's version in force on the same date", () => {
    expect(resolveRuleSet(catalog(), 'FR', '2026-06-30')!.ruleSets.map((s) => `${s.ruleSet}${s.version}`)).toEqual(['FR2', 'EU1']);
    expect(resolveRuleSet(catalog(), 'FR', '2026-07-01')!.ruleSets.map((s) => `${s.ruleSet}${s.version}`)).toEqual(['FR2', 'EU2']);
    expect(resolveRuleSet(catalog(), 'FR', '2026-07-01')!.content.customs?.dutyDeMinimis?.kind).toBe('none');
  });

  it('gives a member without a rule set of its own the group rules', () => {
    const r = resolveRuleSet(catalog(), 'AT', '2026-01-15')!;
    expect(r.own).toBeUndefined();
    expect(r.group?.country).toBe('EU');
    expect(r.content.customs?.vat?.ratePercent).toBe(21);
    expect(r.ruleSets).toEqual([{ ruleSet: 'EU', version: 1, effectiveFrom: '2021-07-01' }]);
  });

  it('resolves a country without inheritance to its own rules only', () => {
    const r = resolveRuleSet(catalog(), 'GB', '2026-01-15')!;
    expect(r.group).toBeUndefined();
    expect(r.content).toEqual(GB_1.content);
  });

  it('is undefined for a country nobody covers, or before its first version', () => {
    expect(resolveRuleSet(catalog(), 'JP', '2026-01-15')).toBeUndefined();
    expect(resolveRuleSet(catalog(), 'GB', '2020-12-31')).toBeUndefined();
  });

  it('says when the inherited group has no version in force', () => {
    const r = resolveRuleSet(new Map([['FR', [FR_1]]]), 'FR', '2026-01-15')!;
    expect(r.missingGroup).toBe('EU');
    expect(r.content.customs?.vat?.ratePercent).toBe(20);
  });

  it('never mutates the stored versions', () => {
    const before = JSON.stringify([EU_1, EU_2, FR_1, FR_2]);
    resolveRuleSet(catalog(), 'FR', '2026-03-02');
    expect(JSON.stringify([EU_1, EU_2, FR_1, FR_2])).toBe(before);
  });

  it('caches per catalog object, and a new catalog resolves afresh', () => {
    const first = catalog();
    const a = resolveRuleSet(first, 'FR', '2026-01-15');
    expect(resolveRuleSet(first, 'FR', '2026-01-15')).toBe(a);
    const second = new Map(first);
    second.set('FR', [version('FR', 3, '2021-07-01', { inherits: 'EU', customs: { vat: { ratePercent: 5.5 } } })]);
    expect(resolveRuleSet(second, 'FR', '2026-01-15')!.content.customs?.vat?.ratePercent).toBe(5.5);
    expect(resolveRuleSet(first, 'FR', '2026-01-15')).toBe(a);
  });
});
