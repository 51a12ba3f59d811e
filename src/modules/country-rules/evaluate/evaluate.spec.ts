import { fxSeedTable } from '../fx/fx-seed';
import { seedCatalog } from '../seed/rule-set-seed';
import { convertMinor } from '../fx/money';
import { RuleSetContent, Threshold } from '../rule-set/rule-set-content';
import { formatMoney, roundHalfAway } from './amounts';
import { evaluate } from './evaluate';
import { ComplianceInput, FxTable, Payer, RuleSetCatalog, RuleSetVersion, Verdict } from './verdict';

// ——— helpers shared by both halves ———

type Item = ComplianceInput['items'][number];
type InputOverrides = Omit<Partial<ComplianceInput>, 'consignee'> & { consignee?: Partial<ComplianceInput['consignee']>; to?: string };

const FX: FxTable = fxSeedTable();
const at = (day: string) => new Date(`${day}T12:00:00Z`);

function item(overrides: Partial<Item> = {}): Item {
  return {
    description: 'Cotton T-shirt',
    hsCode: '610910',
    quantity: 1,
    unitValue: 5000,
    currency: 'EUR',
    originCountry: 'CN',
    weightGrams: 200,
    ...overrides,
  };
}

function shipment(overrides: InputOverrides = {}): ComplianceInput {
  const { to = 'ZZ', consignee, ...rest } = overrides;
  return {
    incoterm: 'DAP',
    origin: { country: 'CN' },
    items: [item()],
    registrations: {},
    ...rest,
    consignee: {
      name: 'Test Consignee',
      email: 'consignee@example.com',
      phone: '+15555550100',
      ...consignee,
      address: { lines: ['1 Main Street'], city: 'City', postcode: '12345', country: to, ...consignee?.address },
    },
  };
}

function deepFreeze<T>(value: T): T {
  if (value && typeof value === 'object' && !Object.isFrozen(value)) {
    Object.freeze(value);
    for (const v of Object.values(value as object)) deepFreeze(v);
  }
  return value;
}

const codes = (v: Verdict) => v.issues.map((i) => i.code);
const docCodes = (v: Verdict) => v.documents.map((d) => d.code);

// ——— 1. The engine on small hand-written rule sets ———

const th = (amountMinor: number, currency: string, comparison: 'lt' | 'lte' = 'lte', basis: Threshold['basis'] = 'goods', valueFactor?: number): Threshold => ({
  amountMinor,
  currency,
  comparison,
  basis,
  valueFactor,
});

/** A catalog holding one country `ZZ` (currency EUR unless the content says otherwise), in force since 2020. */
function single(content: RuleSetContent): RuleSetCatalog {
  const v: RuleSetVersion = { country: 'ZZ', version: 1, effectiveFrom: '2020-01-01', content: { currency: 'EUR', ...content } };
  return deepFreeze(new Map([['ZZ', [v]]]));
}

function run(content: RuleSetContent, overrides: InputOverrides = {}, fx: FxTable = FX, day = '2026-01-15'): Verdict {
  return evaluate(deepFreeze(shipment(overrides)), single(content), fx, at(day));
}

describe('evaluate: engine semantics (hand-written rule sets)', () => {
  describe('money', () => {
    it('rounds half away from zero', () => {
      expect([roundHalfAway(2.5), roundHalfAway(-2.5), roundHalfAway(2.4999), roundHalfAway(1.005 * 100)]).toEqual([3, -3, 2, 101]);
    });

    it('formats amounts with their minor units and thousands separators', () => {
      expect(formatMoney(123456, 'EUR')).toBe('EUR 1,234.56');
      expect(formatMoney(100500000, 'EUR')).toBe('EUR 1,005,000.00');
      expect(formatMoney(999, 'JPY')).toBe('JPY 999');
      expect(formatMoney(10000, 'JPY')).toBe('JPY 10,000');
      expect(formatMoney(-5, 'EUR')).toBe('EUR -0.05');
      expect(formatMoney(40600, 'BHD')).toBe('BHD 40.600');
    });

    it('converts exactly as convertMinor does, and records every conversion with its dated rates', () => {
      for (let amount = 1; amount < 200_000; amount += 997) {
        const v = run({}, { items: [item({ unitValue: amount, currency: 'USD' })] });
        expect(v.landedCost.goods).toBe(convertMinor(amount, FX.get('USD')!, FX.get('EUR')!).amountMinor);
      }
      const v = run({}, { items: [item({ unitValue: 10000, currency: 'USD' })] });
      expect(v.conversions).toEqual([
        {
          from: { amountMinor: 10000, currency: 'USD' },
          to: { amountMinor: 9259, currency: 'EUR' },
          rate: 1 / 1.08,
          rates: [
            { currency: 'USD', unitsPerEur: 1.08, asOf: '2026-01-01', unverified: true },
            { currency: 'EUR', unitsPerEur: 1, asOf: '2026-01-01', unverified: false },
          ],
        },
      ]);
      expect(v.landedCost.estimate).toBe(true);
    });

    it('sums items in several currencies into the destination currency, line by line', () => {
      const v = run(
        {},
        { items: [item({ quantity: 3, unitValue: 1000, currency: 'GBP' }), item({ unitValue: 16500, currency: 'JPY' }), item({ unitValue: 700 })] },
      );
      // GBP 30.00 → EUR 35.29; JPY 16,500 → EUR 100.00; EUR 7.00
      expect(v.landedCost.goods).toBe(3529 + 10000 + 700);
      expect(v.conversions.map((c) => c.from.currency)).toEqual(['GBP', 'JPY']);
    });

    it('says that CIF bases used no freight when no shipping is given', () => {
      const v = run({});
      expect(v.landedCost.shipping).toBe(0);
      expect(v.explanation.some((s) => /No shipping cost given: CIF values use no freight/.test(s.text))).toBe(true);
    });

    it('is an exact, non-estimated landed cost when every rule is verified and no rate is used', () => {
      const v = run(
        { customs: { dutyDeMinimis: { kind: 'not_charged' }, vat: { ratePercent: 20, deMinimis: { kind: 'none' } } } },
        { shipping: { amountMinor: 500, currency: 'EUR' } },
      );
      expect(v.taxes).toMatchObject([{ code: 'VAT', amountMinor: 1100, payer: 'consignee', estimate: false }]);
      expect(v.landedCost).toEqual({
        currency: 'EUR',
        goods: 5000,
        shipping: 500,
        duties: 0,
        taxes: 1100,
        fees: 0,
        total: 6600,
        dueFromConsignee: 1100,
        estimate: false,
      });
    });
  });

  describe('thresholds', () => {
    const relief = (t: Threshold): RuleSetContent => ({ customs: { dutyDeMinimis: { kind: 'threshold', threshold: t }, duty: { ratePercent: 10 } } });

    it.each([
      ['lte', 15000, 0],
      ['lte', 15001, 1500],
      ['lt', 14999, 0],
      ['lt', 15000, 1500],
    ] as const)('with %s EUR 150.00, goods of %i minor units pay duty %i', (comparison, value, duty) => {
      const v = run(relief(th(15000, 'EUR', comparison)), { items: [item({ unitValue: value })] });
      expect(v.landedCost.duties).toBe(duty);
    });

    it('compares in the threshold currency when the goods are natively in it', () => {
      // USD 150.00 goods against a USD 150 limit in a EUR destination: exactly at the limit.
      const at150 = run(relief(th(15000, 'USD')), { items: [item({ unitValue: 15000, currency: 'USD' })] });
      expect(at150.landedCost.duties).toBe(0);
      expect(at150.explanation.some((s) => s.text.startsWith('Goods value USD 150.00 ≤ USD 150.00'))).toBe(true);
      const above = run(relief(th(15000, 'USD')), { items: [item({ unitValue: 15001, currency: 'USD' })] });
      expect(above.landedCost.duties).toBe(1389); // 10 % of EUR 138.90
    });

    it('converts a foreign threshold to the destination currency and records it', () => {
      const v = run(relief(th(15000, 'USD')), { items: [item({ unitValue: 13889 })] });
      expect(v.conversions).toContainEqual(expect.objectContaining({
        from: { amountMinor: 15000, currency: 'USD' },
        to: { amountMinor: 13889, currency: 'EUR' },
      }));
      expect(v.landedCost.duties).toBe(0);
      expect(run(relief(th(15000, 'USD')), { items: [item({ unitValue: 13890 })] }).landedCost.duties).toBe(1389);
    });

    it('measures CIF as goods plus shipping', () => {
      const content = relief(th(15000, 'EUR', 'lte', 'cif'));
      expect(run(content, { items: [item({ unitValue: 14000 })], shipping: { amountMinor: 1000, currency: 'EUR' } }).landedCost.duties).toBe(0);
      expect(run(content, { items: [item({ unitValue: 14000 })], shipping: { amountMinor: 1001, currency: 'EUR' } }).landedCost.duties).toBe(1400);
    });

    it('tests each unit on its own for the item basis', () => {
      const content = relief(th(300000, 'NOK', 'lt', 'item'));
      const nok = { currency: 'NOK' };
      // Two units of NOK 2,999.99 pass even though the line is worth NOK 5,999.98.
      expect(run({ ...content, currency: 'NOK' }, { items: [item({ ...nok, quantity: 2, unitValue: 299999 })] }).landedCost.duties).toBe(0);
      expect(run(
        { ...content, currency: 'NOK' },
        { items: [item({ ...nok, unitValue: 100 }), item({ ...nok, unitValue: 300000 })] },
      ).landedCost.duties).toBe(30010);
    });
  });

  describe('duty', () => {
    it('uses the longest matching HS prefix per item and the base rate without an HS code', () => {
      const content: RuleSetContent = {
        customs: {
          dutyDeMinimis: { kind: 'none' },
          duty: { ratePercent: 5, byHsPrefix: [{ prefix: '61', ratePercent: 12 }, { prefix: '6109', ratePercent: 8 }, { prefix: '8517', ratePercent: 0 }] },
        },
      };
      const v = run(content, {
        items: [
          item({ hsCode: '610910', unitValue: 10000 }),
          item({ hsCode: '611020', unitValue: 10000 }),
          item({ hsCode: '851713', unitValue: 10000 }),
          item({ hsCode: undefined, unitValue: 10000 }),
        ],
      });
      expect(v.duties).toMatchObject([{ code: 'DUTY', amountMinor: 800 + 1200 + 0 + 500, estimate: true, payer: 'consignee', rule: 'customs.duty' }]);
      expect(v.issues).toMatchObject([{ code: 'DUTY_BASE_RATE_USED', severity: 'warning', field: 'items.3.hsCode' }]);
      expect(v.landedCost.estimate).toBe(true);
    });

    it('relieves duty when the de minimis says it is not charged', () => {
      const v = run({ customs: { dutyDeMinimis: { kind: 'not_charged' }, duty: { ratePercent: 10 } } });
      expect(v.duties).toEqual([]);
      expect(v.explanation.some((s) => s.rule === 'customs.dutyDeMinimis' && /No customs duty is charged/.test(s.text))).toBe(true);
    });

    it('levies duty on the taxable value and tests it against the limit (60 % rule)', () => {
      const content: RuleSetContent = {
        currency: 'JPY',
        customs: { dutyDeMinimis: { kind: 'threshold', threshold: th(10000, 'JPY', 'lte', 'taxable_value', 0.6) }, duty: { ratePercent: 10 } },
      };
      const jpy = { currency: 'JPY' };
      expect(run(content, { items: [item({ ...jpy, unitValue: 16666 })] }).landedCost.duties).toBe(0); // 9,999.6 → 10,000
      expect(run(content, { items: [item({ ...jpy, unitValue: 16668 })] }).landedCost.duties).toBe(1000); // 10 % of 10,001
    });

    it('charges a flat duty per distinct tariff line, items without an HS code counting one each, in place of the ad-valorem duty', () => {
      const content: RuleSetContent = {
        customs: {
          dutyDeMinimis: { kind: 'none' },
          duty: { ratePercent: 12 },
          flatDuties: [{
            code: 'FLAT',
            name: 'Flat duty',
            amount: { amountMinor: 300, currency: 'EUR' },
            per: 'tariff_line',
            tariffLineDigits: 6,
            upTo: th(15000, 'EUR'),
            replacesDuty: true,
          }],
        },
      };
      const v = run(content, {
        items: [
          item({ hsCode: '61091000', unitValue: 1000 }),
          item({ hsCode: '61091090', unitValue: 1000 }),
          item({ hsCode: '910211', unitValue: 1000 }),
          item({ hsCode: undefined, unitValue: 1000 }),
          item({ hsCode: undefined, unitValue: 1000 }),
        ],
      });
      expect(v.duties).toMatchObject([{ code: 'FLAT', amountMinor: 1200, estimate: false }]);
      const above = run(content, { items: [item({ unitValue: 15001 })] });
      expect(above.duties).toMatchObject([{ code: 'DUTY', amountMinor: 1800 }]);
    });
  });

  describe('rate bands', () => {
    const bands: RuleSetContent = {
      currency: 'BRL',
      customs: {
        dutyDeMinimis: { kind: 'none' },
        duty: { ratePercent: 60 },
        vat: { ratePercent: 17, name: 'ICMS', deMinimis: { kind: 'none' } },
        rateBands: [
          {
            code: 'LOW',
            name: 'Low band',
            upTo: th(5000, 'USD', 'lte', 'cif'),
            ratePercent: 20,
            replaces: ['duty'],
            requiresRegistration: 'brRemessaConforme',
            exact: true,
          },
          {
            code: 'HIGH',
            name: 'High band',
            above: th(5000, 'USD', 'lte', 'cif'),
            ratePercent: 60,
            deduction: { amountMinor: 2000, currency: 'USD' },
            replaces: ['duty'],
            requiresRegistration: 'brRemessaConforme',
            exact: true,
          },
        ],
      },
    };
    const usd = (unitValue: number) => ({ items: [item({ unitValue, currency: 'USD' })], registrations: { brRemessaConforme: 'RC-1' } });

    it('charges the band rate up to its limit, inclusive for lte', () => {
      const v = run(bands, usd(5000));
      // USD 50.00 → BRL 287.04; 20 % = BRL 57.41; ICMS 17 % of 344.45 = 58.56
      expect(v.duties).toMatchObject([{ code: 'LOW', amountMinor: 5741, estimate: false }]);
      expect(v.taxes).toMatchObject([{ code: 'VAT', name: 'ICMS', amountMinor: 5856 }]);
    });

    it('charges the upper band with its deduction just above the limit', () => {
      const v = run(bands, usd(5001));
      // USD 50.01 → BRL 287.09; 60 % = 172.25; minus USD 20 (BRL 114.81) = 57.44
      expect(v.duties).toMatchObject([{ code: 'HIGH', amountMinor: 5744 }]);
      expect(v.conversions.map((c) => c.from)).toContainEqual({ amountMinor: 2000, currency: 'USD' });
    });

    it('never lets a deduction take a band below zero', () => {
      const low: RuleSetContent = {
        ...bands,
        customs: { ...bands.customs, rateBands: [{ ...bands.customs!.rateBands![1], above: undefined, deduction: { amountMinor: 100000, currency: 'USD' } }] },
      };
      expect(run(low, usd(5001)).duties).toMatchObject([{ code: 'HIGH', amountMinor: 0 }]);
    });

    it('falls back to the ordinary duty when the registration condition fails', () => {
      const v = run(bands, { ...usd(5000), registrations: {} });
      expect(v.duties).toMatchObject([{ code: 'DUTY', amountMinor: 17222, estimate: true }]);
    });

    it('filters by origin, and one band replacing both duty and VAT is a single line', () => {
      const content: RuleSetContent = {
        currency: 'MXN',
        customs: {
          vat: { ratePercent: 16 },
          duty: { ratePercent: 20 },
          rateBands: [
            { code: 'NA', name: 'North America', origins: ['US', 'CA'], upTo: th(5000, 'USD'), ratePercent: 0, replaces: ['duty', 'vat'] },
            { code: 'OTHER', name: 'Other origins', excludedOrigins: ['US', 'CA'], upTo: th(250000, 'USD'), ratePercent: 33.5, replaces: ['duty', 'vat'] },
          ],
        },
      };
      const fromUs = run(content, { origin: { country: 'US' }, items: [item({ unitValue: 4000, currency: 'USD' })] });
      expect(fromUs.duties).toMatchObject([{ code: 'NA', amountMinor: 0 }]);
      expect(fromUs.taxes).toEqual([]);
      const fromCn = run(content, { origin: { country: 'CN' }, items: [item({ unitValue: 4000, currency: 'USD' })] });
      // USD 40.00 → MXN 740.74; 33.5 % = 248.15
      expect(fromCn.duties).toMatchObject([{ code: 'OTHER', amountMinor: 24815 }]);
      expect(fromCn.taxes).toEqual([]);
    });
  });

  describe('VAT', () => {
    it('is levied on goods + shipping + duty', () => {
      const v = run(
        { customs: { dutyDeMinimis: { kind: 'none' }, duty: { ratePercent: 10 }, vat: { ratePercent: 20 } } },
        { items: [item({ unitValue: 10000 })], shipping: { amountMinor: 1000, currency: 'EUR' } },
      );
      expect(v.taxes[0].amountMinor).toBe(2400); // 20 % of (100 + 10 + 10)
      expect(v.explanation.some((s) => s.text.startsWith('VAT 20 % of goods EUR 100.00 + shipping EUR 10.00 + duties EUR 10.00 = EUR 120.00: EUR 24.00'))).toBe(true);
    });

    it('is not levied when the tax itself is within a tax-amount de minimis', () => {
      const content: RuleSetContent = {
        currency: 'CHF',
        customs: { vat: { ratePercent: 8.1, deMinimis: { kind: 'threshold', threshold: th(500, 'CHF', 'lte', 'tax_amount') } } },
      };
      const chf = (unitValue: number) => ({ items: [item({ unitValue, currency: 'CHF' })] });
      expect(run(content, chf(6172)).taxes).toEqual([]); // 8.1 % of 61.72 = 5.00
      expect(run(content, chf(6180)).taxes).toMatchObject([{ amountMinor: 501 }]);
    });
  });

  describe('low-value scheme', () => {
    const content: RuleSetContent = {
      customs: {
        dutyDeMinimis: { kind: 'none' },
        duty: { ratePercent: 10 },
        vat: { ratePercent: 20, deMinimis: { kind: 'threshold', threshold: th(15000, 'EUR') } },
        lowValueScheme: {
          code: 'SCHEME',
          name: 'Test scheme',
          registration: 'ioss',
          upTo: th(15000, 'EUR'),
          collects: ['vat'],
          waives: ['duty'],
          numberInCustomsData: true,
        },
      },
    };

    it('collects VAT at checkout despite the border de minimis, waives duty and puts the number in the customs data', () => {
      const v = run(content, { incoterm: 'DAP', registrations: { ioss: 'IM0000000001' } });
      expect(v.scheme).toMatchObject({ code: 'SCHEME', registrationNumber: 'IM0000000001', ruleSet: 'ZZ', rule: 'customs.lowValueScheme' });
      expect(v.taxes).toMatchObject([{ amountMinor: 1000, payer: 'collected_at_checkout' }]);
      expect(v.duties).toEqual([]);
      expect(v.landedCost.dueFromConsignee).toBe(0);
      expect(docCodes(v)).toContain('IOSS_NUMBER');
      expect(v.explanation.some((s) => /Duty waived under Test scheme/.test(s.text))).toBe(true);
    });

    it('says what the border collects without the registration', () => {
      const v = run(content, { incoterm: 'DAP' });
      expect(v.scheme).toBeNull();
      expect(v.taxes).toEqual([]);
      expect(v.duties).toMatchObject([{ amountMinor: 500, payer: 'consignee' }]);
      expect(v.explanation.some((s) => /Without Test scheme, the border collects no VAT \(relieved at the border\)/.test(s.text))).toBe(true);
    });

    it('is not usable above its limit even with the registration', () => {
      const v = run(content, { incoterm: 'DDP', registrations: { ioss: 'IM0000000001' }, items: [item({ unitValue: 15001 })] });
      expect(v.scheme).toBeNull();
      expect(v.taxes).toMatchObject([{ amountMinor: 3300, payer: 'shipper' }]); // 20 % of (150.01 + 15.00)
      expect(docCodes(v)).not.toContain('IOSS_NUMBER');
    });
  });

  describe('fees', () => {
    const content: RuleSetContent = {
      customs: {
        fees: [
          {
            code: 'LINE',
            name: 'Line fee',
            amount: { amountMinor: 200, currency: 'EUR' },
            per: 'declaration_line',
            upTo: th(15000, 'EUR', 'lt'),
            exemptOrigins: ['DE', 'FR'],
            payer: 'incoterm',
          },
          { code: 'HANDLING', name: 'Handling', amount: { amountMinor: 1500, currency: 'SAR' }, per: 'consignment', payer: 'consignee' },
        ],
      },
    };

    it('counts declaration lines, converts the amount and follows the incoterm', () => {
      const dap = run(content, { items: [item({ unitValue: 1000 }), item({ unitValue: 1000 }), item({ unitValue: 1000 })] });
      expect(dap.fees).toMatchObject([
        { code: 'LINE', amountMinor: 600, payer: 'consignee' },
        { code: 'HANDLING', amountMinor: 370, payer: 'consignee' }, // SAR 15.00 → EUR 3.70
      ]);
      const ddp = run(content, { incoterm: 'DDP' });
      expect(ddp.fees.map((f) => [f.code, f.payer])).toEqual([
        ['LINE', 'shipper'],
        ['HANDLING', 'consignee'],
      ]);
      expect(ddp.landedCost.dueFromConsignee).toBe(370);
    });

    it('exempts listed origins and consignments beyond its limit', () => {
      expect(run(content, { origin: { country: 'DE' } }).fees.map((f) => f.code)).toEqual(['HANDLING']);
      expect(run(content, { items: [item({ unitValue: 15000 })] }).fees.map((f) => f.code)).toEqual(['HANDLING']);
    });
  });

  describe('consignee requirements', () => {
    const content: RuleSetContent = {
      consignee: {
        taxId: {
          name: 'CPF',
          formats: [{ label: 'CPF', pattern: '^\\d{3}\\.?\\d{3}\\.?\\d{3}-?\\d{2}$', checksum: 'pt-BR' }],
          required: 'always',
          rejectedValues: ['000.000.000-00'],
        },
        phone: { required: true },
        email: { required: true },
        postcode: { required: true },
        address: { minLines: 2, maxLineLength: 35, regionRequired: true },
      },
    };

    it.each([
      [undefined, ['TAX_ID_REQUIRED']],
      ['123.456.789-09', []],
      ['12345678909', []],
      ['123.456.789-00', ['TAX_ID_INVALID']],
      ['1234', ['TAX_ID_INVALID']],
      ['00000000000', ['TAX_ID_REJECTED']],
    ])('tax ID %p gives %p', (taxId, expected) => {
      const v = run(content, { consignee: { taxId, address: { lines: ['Rua A, 1', 'Centro'], region: 'SP', country: 'ZZ' } } });
      expect(codes(v)).toEqual(expected);
      for (const i of v.issues) expect(i).toMatchObject({ field: 'consignee.taxId', severity: 'needs_information', rule: 'consignee.taxId' });
      expect(v.status).toBe(expected.length ? 'needs_information' : 'ok');
    });

    it('asks for each missing contact field and address part, by field', () => {
      const v = run(content, {
        consignee: {
          taxId: '123.456.789-09',
          phone: undefined,
          email: ' ',
          address: { lines: ['A very long first line that goes on and on', ''], country: 'ZZ', postcode: undefined },
        },
      });
      expect(v.issues.map((i) => [i.code, i.field])).toEqual([
        ['PHONE_REQUIRED', 'consignee.phone'],
        ['EMAIL_REQUIRED', 'consignee.email'],
        ['POSTCODE_REQUIRED', 'consignee.address.postcode'],
        ['ADDRESS_LINE_TOO_LONG', 'consignee.address.lines.0'],
        ['ADDRESS_LINES_REQUIRED', 'consignee.address.lines'],
        ['REGION_REQUIRED', 'consignee.address.region'],
      ]);
    });

    it("never echoes the consignee's values in messages or explanations", () => {
      const secret = '987.654.321-00';
      const v = run(
        content,
        { consignee: {
          taxId: secret,
          phone: '+5511987654321',
          email: 'joao.silva@example.com',
          address: { lines: ['Rua Secreta 99', 'Bairro'], country: 'ZZ' },
        } },
      );
      const text = JSON.stringify([v.issues, v.explanation, v.documents]);
      for (const value of [secret, '987654321', '+5511987654321', 'joao.silva', 'Rua Secreta', 'Test Consignee']) expect(text).not.toContain(value);
    });

    it('lets a phone stand in for a missing ID when the rule allows it, but not for a malformed one', () => {
      const tr: RuleSetContent = { consignee: { taxId: {
        name: 'TCKN',
        formats: [{ label: 'TCKN', pattern: '^[1-9]\\d{9}[02468]$' }],
        required: 'always',
        alternative: 'phone',
      } } };
      expect(codes(run(tr, { consignee: { taxId: undefined } }))).toEqual([]);
      expect(codes(run(tr, { consignee: { taxId: undefined, phone: undefined } }))).toEqual(['TAX_ID_REQUIRED']);
      expect(codes(run(tr, { consignee: { taxId: '12345678901' } }))).toEqual(['TAX_ID_INVALID']);
    });

    it('checks an ID that is given but not required, as a warning only', () => {
      const optional: RuleSetContent = { consignee: { taxId: { ...content.consignee!.taxId!, required: 'never' } } };
      expect(run(optional, { consignee: { taxId: undefined } }).issues).toEqual([]);
      const v = run(optional, { consignee: { taxId: '123.456.789-00' } });
      expect(v.issues).toMatchObject([{ code: 'TAX_ID_INVALID', severity: 'warning' }]);
      expect(v.status).toBe('ok');
    });

    it('skips the checksum with an explanation when validator does not know the locale', () => {
      const v = run(
        { consignee: { taxId: { name: 'ID', formats: [{ label: 'ID', pattern: '^\\d{4}$', checksum: 'xx-XX' }], required: 'always' } } },
        { consignee: { taxId: '1234' } },
      );
      expect(codes(v)).toEqual([]);
      expect(v.explanation.some((s) => /checksum xx-XX unknown/.test(s.text))).toBe(true);
    });
  });

  describe('prohibited and restricted goods', () => {
    const content: RuleSetContent = {
      prohibited: [
        { code: 'VAPES', name: 'Vaping goods', outcome: 'blocked', hsPrefixes: ['854340'], keywords: ['vape', 'e-cigarette', 'cigarro eletrônico'] },
        { code: 'LITHIUM', name: 'Lithium batteries', outcome: 'restricted', keywords: ['lithium battery'] },
        { code: 'GUNS', name: 'Guns', outcome: 'blocked', keywords: ['gun'], origins: ['US'] },
      ],
    };

    it.each([
      ['Disposable VAPE pen', 'items.0.description'],
      ['E cigarette starter kit', 'items.0.description'],
      ['CIGARRO ELETRONICO descartável', 'items.0.description'],
      ['Cigarro eletrônico', 'items.0.description'],
    ])('blocks %p by a whole-word, case- and accent-insensitive keyword', (description, field) => {
      const v = run(content, { items: [item({ description, hsCode: '392690' })] });
      expect(v.status).toBe('blocked');
      expect(v.issues).toMatchObject([{ code: 'PROHIBITED_ITEM', severity: 'blocked', field, rule: 'prohibited.VAPES' }]);
    });

    it('does not match inside other words', () => {
      expect(run(content, { items: [item({ description: 'Vaporetto model boat, begun 1990', hsCode: '950300' })] }).issues).toEqual([]);
    });

    it('blocks by HS prefix and names the HS code field', () => {
      const v = run(content, { items: [item(), item({ description: 'Device', hsCode: '85434000' })] });
      expect(v.issues).toMatchObject([{ code: 'PROHIBITED_ITEM', field: 'items.1.hsCode' }]);
    });

    it('flags restricted goods for review without changing the status', () => {
      const v = run(content, { items: [item({ description: 'Spare lithium battery pack', hsCode: '850650' })] });
      expect(v.issues).toMatchObject([{ code: 'RESTRICTED_ITEM', severity: 'restricted', field: 'items.0.description' }]);
      expect(v.issues[0].message).toMatch(/needs review/);
      expect(v.status).toBe('ok');
    });

    it('applies an origin-limited rule only to goods of that origin', () => {
      expect(run(content, { items: [item({ description: 'Toy gun', originCountry: 'CN' })] }).issues).toEqual([]);
      expect(codes(run(content, { items: [item({ description: 'Toy gun', originCountry: 'US' })] }))).toEqual(['PROHIBITED_ITEM']);
    });
  });

  describe('documents', () => {
    const content: RuleSetContent = {
      documents: {
        cn22MaxSdr: 300,
        cn22MaxGrams: 2000,
        commercialInvoice: 'above_cn22',
        hsDigits: 8,
        h7UpTo: th(15000, 'EUR'),
        other: [{ code: 'ADVANCE_DATA', description: 'Electronic advance data' }],
      },
    };

    it('picks CN22 below 300 SDR and within the weight, CN23 otherwise, with an invoice beside a CN23', () => {
      // 300 SDR = EUR 365.85 at the seed rates
      expect(docCodes(run(content, { items: [item({ hsCode: '61091000', unitValue: 36584 })] }))).toEqual(['CN22', 'HS_CODES', 'ADVANCE_DATA']);
      expect(docCodes(run(
        content,
        { items: [item({ hsCode: '61091000', unitValue: 36585 })] },
      ))).toEqual(['CN23', 'COMMERCIAL_INVOICE', 'HS_CODES', 'ADVANCE_DATA']);
      expect(docCodes(run(content, { items: [item({ hsCode: '61091000', quantity: 3, unitValue: 100, weightGrams: 700 })] }))).toContain('CN23');
    });

    it('asks for missing and short HS codes per item', () => {
      const v = run(content, { items: [item({ hsCode: undefined }), item({ hsCode: '610910' }), item({ hsCode: '61091000' })] });
      expect(v.issues.map((i) => [i.code, i.field, i.severity])).toEqual([
        ['HS_CODE_REQUIRED', 'items.0.hsCode', 'needs_information'],
        ['HS_CODE_TOO_SHORT', 'items.1.hsCode', 'needs_information'],
      ]);
      expect(v.status).toBe('needs_information');
    });

    it('uses the H7 data set within its limit', () => {
      const v = run({ documents: { h7UpTo: th(15000, 'EUR') } }, { items: [item({ unitValue: 15000 })] });
      expect(docCodes(v)).toEqual(['EU_H7']);
      expect(docCodes(run({ documents: { h7UpTo: th(15000, 'EUR') } }, { items: [item({ unitValue: 15001 })] }))).toEqual([]);
    });
  });

  describe('missing data', () => {
    it('warns of a missing exchange rate, leaves the amount out and counts the threshold as exceeded', () => {
      const content: RuleSetContent = { customs: { dutyDeMinimis: { kind: 'threshold', threshold: th(15000, 'EUR') }, duty: { ratePercent: 10 } } };
      const v = run(content, { items: [item({ unitValue: 1000 }), item({ unitValue: 500, currency: 'XAF' })] });
      expect(v.issues).toMatchObject([{ code: 'FX_RATE_MISSING', severity: 'warning', field: 'items.1.currency' }]);
      expect(v.status).toBe('ok');
      expect(v.landedCost.goods).toBe(1000);
      expect(v.landedCost.duties).toBe(100);
      expect(v.landedCost.estimate).toBe(true);
    });

    it('returns ok with a NO_RULE_SET warning for a destination without rules', () => {
      const v = evaluate(shipment({ to: 'AQ', items: [item({ unitValue: 2000, currency: 'USD' })] }), single({}), FX, at('2026-01-15'));
      expect(v).toMatchObject({ status: 'ok', destination: 'AQ', ruleSets: [], duties: [], taxes: [], fees: [] });
      expect(v.issues).toMatchObject([{ code: 'NO_RULE_SET', severity: 'warning' }]);
      expect(v.landedCost).toMatchObject({ currency: 'USD', goods: 2000, total: 2000, estimate: true });
    });
  });

  describe('purity', () => {
    it('gives the same verdict twice and mutates neither input nor catalog (both frozen)', () => {
      const catalog = single({
        customs: { dutyDeMinimis: { kind: 'none' }, duty: { ratePercent: 10 }, vat: { ratePercent: 20 } },
        prohibited: [{ code: 'X', name: 'X', outcome: 'restricted', keywords: ['cotton'] }],
      });
      const input = deepFreeze(shipment({ items: [item({ currency: 'USD' })] }));
      const a = evaluate(input, catalog, FX, at('2026-01-15'));
      const b = evaluate(input, catalog, FX, at('2026-01-15'));
      expect(b).toEqual(a);
    });
  });
});

// ——— 2. The seeded rule sets, table-driven ———

type Line = [code: string, amountMinor: number, payer: Payer];

interface SeedCase {
  name: string;
  on: string;
  input: InputOverrides & { to: string };
  status: Verdict['status'];
  /** Exact `[code, field]` of every issue, in order. */
  issues?: Array<[string, string?]>;
  duties?: Line[];
  taxes?: Line[];
  fees?: Line[];
  /** Documents that must be there, and ones that must not. */
  documents?: string[];
  noDocuments?: string[];
  /** The scheme code, or null (asserted in every case). */
  scheme?: string | null;
  landed?: Partial<Verdict['landedCost']>;
  ruleSets?: string[];
  /** Sentences (or parts) the explanation must contain. */
  explains?: string[];
  /** Conversions that must be recorded: `[from amount, from currency, to amount, to currency]`. */
  conversions?: Array<[number, string, number, string]>;
}

const SEED = seedCatalog();
const eur = (unitValue: number, extra: Partial<Item> = {}) => item({ unitValue, currency: 'EUR', ...extra });
const usd = (unitValue: number, extra: Partial<Item> = {}) => item({ unitValue, currency: 'USD', ...extra });
const local = (currency: string) => (unitValue: number, extra: Partial<Item> = {}) => item({ unitValue, currency, ...extra });
const [gbp, chf, nok, sek, cad, aud, nzd, jpy, cny, sgd, aed, sar, zar] = [
  'GBP',
  'CHF',
  'NOK',
  'SEK',
  'CAD',
  'AUD',
  'NZD',
  'JPY',
  'CNY',
  'SGD',
  'AED',
  'SAR',
  'ZAR',
].map(local);
const ship = (amountMinor: number, currency: string) => ({ amountMinor, currency });
/** Well-formed IDs (checksums valid where the seed checks one). */
const ID = {
  BR: '123.456.789-09',
  KR: 'P123456789012',
  MX: 'GODE561231GR8',
  IT: 'RSSMRA85T10A562S',
  TR: '12345678950',
  IN: 'ABCDE1234F',
  CN: '11010519491231002X',
  IL: '123456782',
};
const withId = (to: keyof typeof ID, extra: InputOverrides = {}): InputOverrides & { to: string } => ({
  to,
  ...extra,
  consignee: { taxId: ID[to], ...extra.consignee },
});
const EU_DOCS = ['EU_ICS2', 'EU_DECLARATION', 'EU_EORI'];

const SEED_CASES: SeedCase[] = [
  // EU duty relief and its end on 2026-07-01 (DE: VAT 19 %)
  {
    name: 'DE, 2026-06-30: EUR 150.00 of goods is within the EUR 150 duty relief, so only 19 % VAT is due from the consignee (DAP)',
    on: '2026-06-30', input: { to: 'DE', items: [eur(15000)] }, status: 'ok', duties: [], taxes: [['VAT', 2850, 'consignee']],
    documents: ['CN22', 'EU_H7', 'HS_CODES', ...EU_DOCS], noDocuments: ['CN23', 'IOSS_NUMBER'], landed: { goods: 15000, total: 17850, dueFromConsignee: 2850 },
    ruleSets: ['DE1', 'EU1'],
    explains: [
      'Goods value EUR 150.00 ≤ EUR 150.00 (EU v1 customs.dutyDeMinimis): no duty.',
      'VAT 19 % of goods EUR 150.00 + shipping EUR 0.00 + duties EUR 0.00 = EUR 150.00: EUR 28.50, paid by the consignee (DE v1 customs.vat).',
      'Without Import One-Stop Shop, the border collects VAT EUR 28.50 from the consignee (DAP) (EU v1 customs.lowValueScheme).',
    ],
  },
  {
    name: 'DE, 2026-06-30: EUR 150.01 loses the relief: duty estimated at 12 % for HS 61, VAT on goods + duty',
    on: '2026-06-30', input: { to: 'DE', items: [eur(15001)] }, status: 'ok', duties: [['DUTY', 1800, 'consignee']], taxes: [['VAT', 3192, 'consignee']],
    noDocuments: ['EU_H7'], landed: { estimate: true },
  },
  {
    name: 'DE, 2026-07-01: the relief is gone; EUR 3 flat duty per distinct tariff line (two T-shirt lines and a watch make 2 lines)',
    on: '2026-07-01', input: { to: 'DE', items: [eur(5000), eur(5000), eur(5000, { description: 'Wrist watch', hsCode: '910211' })] }, status: 'ok',
    duties: [['EU_FLAT_DUTY', 600, 'consignee']], taxes: [['VAT', 2964, 'consignee']], ruleSets: ['DE1', 'EU2'], documents: ['EU_PRODUCT_IDENTIFIERS'],
  },
  {
    name: 'DE, 2026-07-01: with an IOSS number VAT is collected at checkout, the flat duty stays with the consignee, and the number travels',
    on: '2026-07-01', input: { to: 'DE', items: [eur(10000)], registrations: { ioss: 'IM2760000001' } }, status: 'ok', scheme: 'IOSS',
    duties: [['EU_FLAT_DUTY', 300, 'consignee']], taxes: [['VAT', 1957, 'collected_at_checkout']], documents: ['IOSS_NUMBER', 'EU_H7'],
    landed: { dueFromConsignee: 300 },
  },
  {
    name: 'DE, 2026-07-01: IOSS is not usable above EUR 150 even when registered; under DDP the shipper pays duty and VAT',
    on: '2026-07-01', input: { to: 'DE', incoterm: 'DDP', items: [eur(20000)], registrations: { ioss: 'IM2760000001' } }, status: 'ok',
    duties: [['DUTY', 2400, 'shipper']], taxes: [['VAT', 4256, 'shipper']], noDocuments: ['IOSS_NUMBER'], landed: { dueFromConsignee: 0 },
  },
  {
    name: 'AT, without a rule set of its own, takes the EU rules and their placeholder VAT rate (an estimate)',
    on: '2026-01-15', input: { to: 'AT', items: [eur(10000)] }, status: 'ok', duties: [], taxes: [['VAT', 2100, 'consignee']],
    ruleSets: ['EU1'], landed: { estimate: true },
  },
  {
    name: 'DE: goods from France stay inside the EU: no import, no charges, no customs documents',
    on: '2026-07-01', input: { to: 'DE', origin: { country: 'FR' }, items: [eur(20000, { hsCode: undefined })] }, status: 'ok', duties: [], taxes: [], fees: [],
    noDocuments: ['CN22', 'CN23', 'HS_CODES'], landed: { total: 20000 },
  },
  // FR line fee from 2026-03-01
  {
    name: 'FR, 2026-02-28: no per-line fee yet',
    on: '2026-02-28', input: { to: 'FR', items: [eur(5000), eur(5000, { description: 'Scarf', hsCode: '611710' })] }, status: 'ok', fees: [],
    taxes: [['VAT', 2000, 'consignee']],
    ruleSets: ['FR1', 'EU1'],
  },
  {
    name: 'FR, 2026-03-01: EUR 2 per declaration line on a non-EU parcel under EUR 150, paid by the consignee under DAP',
    on: '2026-03-01', input: { to: 'FR', items: [eur(5000), eur(5000, { description: 'Scarf', hsCode: '611710' })] }, status: 'ok',
    fees: [['FR_LINE_FEE', 400, 'consignee']], taxes: [['VAT', 2000, 'consignee']], ruleSets: ['FR2', 'EU1'], landed: { total: 12400, dueFromConsignee: 2400 },
  },
  {
    name: 'FR, 2026-03-01: under DDP the shipper pays the line fee',
    on: '2026-03-01', input: { to: 'FR', incoterm: 'DDP', items: [eur(5000), eur(5000, { description: 'Scarf', hsCode: '611710' })] }, status: 'ok',
    fees: [['FR_LINE_FEE', 400, 'shipper']], taxes: [['VAT', 2000, 'shipper']], landed: { dueFromConsignee: 0 },
  },
  {
    name: 'FR, 2026-03-01: at exactly EUR 150.00 the fee (strictly below EUR 150) does not apply',
    on: '2026-03-01', input: { to: 'FR', items: [eur(15000)] }, status: 'ok', fees: [], duties: [], taxes: [['VAT', 3000, 'consignee']],
  },
  {
    name: 'FR, 2026-03-01: goods shipped from an EU member are not imports and pay no fee',
    on: '2026-03-01', input: { to: 'FR', origin: { country: 'DE' }, items: [eur(5000)] }, status: 'ok', fees: [], taxes: [], duties: [],
  },
  // IT: Codice Fiscale above EUR 150, phone and email
  {
    name: 'IT: at EUR 150.00 no Codice Fiscale is needed',
    on: '2026-01-15', input: { to: 'IT', items: [eur(15000)] }, status: 'ok', duties: [], taxes: [['VAT', 3300, 'consignee']],
  },
  {
    name: 'IT: above EUR 150 the Codice Fiscale is required',
    on: '2026-01-15', input: { to: 'IT', items: [eur(15001)] }, status: 'needs_information', issues: [['TAX_ID_REQUIRED', 'consignee.taxId']],
    duties: [['DUTY', 1800, 'consignee']], taxes: [['VAT', 3696, 'consignee']],
  },
  {
    name: 'IT: a valid Codice Fiscale satisfies the requirement', on: '2026-01-15', input: withId('IT', { items: [eur(20000)] }), status: 'ok',
    duties: [['DUTY', 2400, 'consignee']], taxes: [['VAT', 4928, 'consignee']],
  },
  {
    name: 'IT: a Codice Fiscale with a wrong check letter is invalid',
    on: '2026-01-15', input: { to: 'IT', items: [eur(20000)], consignee: { taxId: 'RSSMRA85T10A562T' } }, status: 'needs_information',
    issues: [['TAX_ID_INVALID', 'consignee.taxId']],
  },
  {
    name: "IT: the consignee's phone and email are required",
    on: '2026-01-15', input: { to: 'IT', consignee: { phone: undefined, email: undefined } }, status: 'needs_information',
    issues: [['PHONE_REQUIRED', 'consignee.phone'], ['EMAIL_REQUIRED', 'consignee.email']], taxes: [['VAT', 1100, 'consignee']],
  },
  {
    name: 'IT, 2026-07-01: EUR 2 parcel fee on a non-EU consignment under EUR 150, beside the flat duty',
    on: '2026-07-01', input: { to: 'IT', items: [eur(10000)] }, status: 'ok', duties: [['EU_FLAT_DUTY', 300, 'consignee']], taxes: [['VAT', 2266, 'consignee']],
    fees: [['IT_PARCEL_FEE', 200, 'consignee']], ruleSets: ['IT2', 'EU2'],
  },
  // RO: a member with its own currency and a fee in lei
  {
    name: 'RO, 2026-01-01: 25 lei per non-EU parcel, with EUR goods converted to RON',
    on: '2026-01-01', input: { to: 'RO', items: [eur(10000)] }, status: 'ok', duties: [], taxes: [['VAT', 10437, 'consignee']],
    fees: [['RO_PARCEL_FEE', 2500, 'consignee']],
    landed: { currency: 'RON', goods: 49700 }, ruleSets: ['RO3', 'EU1'],
  },
  {
    name: 'RO, 2025-12-31: no parcel fee the day before', on: '2025-12-31', input: { to: 'RO', items: [eur(10000)] }, status: 'ok', fees: [],
    taxes: [['VAT', 10437, 'consignee']], ruleSets: ['RO2', 'EU1'],
  },
  // SE, PL: EUR thresholds converted to the member's currency
  {
    name: 'SE: SEK 1,680.00 equals the EUR 150 relief converted (at 11.2), so no duty',
    on: '2026-01-15', input: { to: 'SE', items: [sek(168000)] }, status: 'ok', duties: [], taxes: [['VAT', 42000, 'consignee']], landed: { currency: 'SEK' },
  },
  {
    name: 'SE: SEK 1,680.01 is above the converted relief', on: '2026-01-15', input: { to: 'SE', items: [sek(168001)] }, status: 'ok',
    duties: [['DUTY', 20160, 'consignee']], taxes: [['VAT', 47040, 'consignee']],
  },
  {
    name: 'PL: EUR goods with IOSS: VAT at 23 % in PLN collected at checkout',
    on: '2026-01-15', input: { to: 'PL', items: [eur(10000)], registrations: { ioss: 'IM6160000001' } }, status: 'ok', scheme: 'IOSS',
    duties: [], taxes: [['VAT', 9890, 'collected_at_checkout']], documents: ['IOSS_NUMBER'], landed: { currency: 'PLN', goods: 43000, dueFromConsignee: 0 },
  },
  {
    name: 'ES: no NIF is required, but a NIF with a wrong letter is flagged as a warning only',
    on: '2026-01-15', input: { to: 'ES', consignee: { taxId: '12345678A' } }, status: 'ok', issues: [['TAX_ID_INVALID', 'consignee.taxId']],
    taxes: [['VAT', 1050, 'consignee']],
  },
  {
    name: 'IE: a missing postcode is accepted (Eircode optional)', on: '2026-01-15',
    input: { to: 'IE', consignee: { address: { lines: ['1 Main Street'], country: 'IE', postcode: undefined } } }, status: 'ok',
    taxes: [['VAT', 1150, 'consignee']],
  },
  // GB
  {
    name: 'GB: EUR 150.00 converts to GBP 127.50, within the GBP 135 duty relief; without a UK VAT number the border collects 20 % VAT',
    on: '2026-01-15', input: { to: 'GB', items: [eur(15000)] }, status: 'ok', duties: [], taxes: [['VAT', 2550, 'consignee']],
    documents: ['CN22', 'COMMERCIAL_INVOICE', 'GB_SELLER_VAT_NUMBER'], landed: { currency: 'GBP', goods: 12750 }, conversions: [[15000, 'EUR', 12750, 'GBP']],
    explains: ['Goods value GBP 127.50 ≤ GBP 135.00 (GB v1 customs.dutyDeMinimis): no duty.'],
  },
  {
    name: 'GB: at GBP 135.00 a UK VAT registration collects the VAT at checkout and its number travels',
    on: '2026-01-15', input: { to: 'GB', items: [gbp(13500)], registrations: { ukVat: 'GB123456789' } }, status: 'ok', scheme: 'UK_VAT_POS',
    duties: [], taxes: [['VAT', 2700, 'collected_at_checkout']], documents: ['UK_VAT_NUMBER'], landed: { dueFromConsignee: 0 },
  },
  {
    name: 'GB: GBP 135.01 is above both the relief and the scheme: duty and border VAT even when registered',
    on: '2026-01-15', input: { to: 'GB', items: [gbp(13501)], registrations: { ukVat: 'GB123456789' } }, status: 'ok',
    duties: [['DUTY', 1620, 'consignee']], taxes: [['VAT', 3024, 'consignee']],
  },
  {
    name: 'GB, 2029-03-01: the GBP 135 duty relief is abolished', on: '2029-03-01', input: { to: 'GB', items: [gbp(10000)] }, status: 'ok',
    duties: [['DUTY', 1200, 'consignee']], taxes: [['VAT', 2240, 'consignee']],
  },
  // CH: VAT de minimis on the tax amount
  {
    name: 'CH: CHF 60.00 makes VAT of CHF 4.86, not levied (≤ CHF 5); no duty on industrial goods',
    on: '2026-01-15', input: { to: 'CH', items: [chf(6000)] }, status: 'ok', duties: [], taxes: [],
    explains: ['MWST/TVA/IVA 8.1 % of CHF 60.00: tax amount CHF 4.86 ≤ CHF 5.00 (CH v1 customs.vat.deMinimis): not levied.'],
  },
  {
    name: 'CH: CHF 61.80 makes VAT of CHF 5.01, levied in full', on: '2026-01-15', input: { to: 'CH', items: [chf(6180)] }, status: 'ok', duties: [],
    taxes: [['VAT', 501, 'consignee']],
  },
  {
    name: 'CH: a VAT-registered seller collects even CHF 4.86 at checkout',
    on: '2026-01-15', input: { to: 'CH', items: [chf(6000)], registrations: { chVat: 'CHE-123.456.789' } }, status: 'ok',
    scheme: 'CH_MAIL_ORDER_VAT', taxes: [['VAT', 486, 'collected_at_checkout']],
  },
  // NO: VOEC per item, NOK 350 before 2024
  {
    name: 'NO: two units of NOK 2,999.99 each pass the VOEC per-item limit: VAT at checkout, duty waived',
    on: '2026-01-15', input: { to: 'NO', items: [nok(299999, { quantity: 2 })], registrations: { voec: 'VOEC-2020001' } }, status: 'ok', scheme: 'VOEC',
    duties: [], taxes: [['VAT', 150000, 'collected_at_checkout']], documents: ['VOEC_NUMBER'], landed: { dueFromConsignee: 0 },
  },
  {
    name: 'NO: one item at NOK 3,000.00 takes the parcel out of VOEC: duty and VAT at the border',
    on: '2026-01-15', input: { to: 'NO', items: [nok(300000)], registrations: { voec: 'VOEC-2020001' } }, status: 'ok',
    duties: [['DUTY', 24000, 'consignee']], taxes: [['VAT', 81000, 'consignee']],
  },
  {
    name: 'NO, 2023-12-31: NOK 350 CIF is still within the old limit', on: '2023-12-31',
    input: { to: 'NO', items: [nok(30000)], shipping: ship(5000, 'NOK') }, status: 'ok', duties: [], taxes: [],
  },
  {
    name: 'NO, 2024-01-01: VAT and duty from the first krone', on: '2024-01-01', input: { to: 'NO', items: [nok(10000)] }, status: 'ok',
    duties: [['DUTY', 800, 'consignee']], taxes: [['VAT', 2700, 'consignee']],
  },
  // US: de minimis suspended on 2025-08-29, Section 122 surcharge
  {
    name: 'US, 2025-08-28: USD 800.00 is within the de minimis; no VAT exists; a CN23 and invoice above 300 SDR',
    on: '2025-08-28', input: { to: 'US', items: [usd(80000)] }, status: 'ok', duties: [], taxes: [],
    documents: ['CN23', 'COMMERCIAL_INVOICE', 'US_STOP_ACT_AED'], noDocuments: ['CN22'],
  },
  {
    name: 'US, 2025-08-28: USD 800.01 pays duty (15 % for apparel)', on: '2025-08-28', input: { to: 'US', items: [usd(80001)] }, status: 'ok',
    duties: [['DUTY', 12000, 'consignee']], taxes: [],
  },
  {
    name: 'US, 2025-08-29: the de minimis is suspended: USD 100 pays duty', on: '2025-08-29', input: { to: 'US', items: [usd(10000)] }, status: 'ok',
    duties: [['DUTY', 1500, 'consignee']], ruleSets: ['US3'],
  },
  {
    name: 'US, 2026-03-01: the 10 % Section 122 surcharge replaces the duty estimate, on goods + shipping, paid by the shipper under DDP',
    on: '2026-03-01', input: { to: 'US', incoterm: 'DDP', items: [usd(10000)], shipping: ship(1000, 'USD') }, status: 'ok',
    duties: [['US_SECTION_122', 1100, 'shipper']], landed: { estimate: true, dueFromConsignee: 0 },
  },
  {
    name: 'US: an e-cigarette is blocked by its HS code',
    on: '2025-09-15', input: { to: 'US', items: [usd(2000, { description: 'Electronic device', hsCode: '854340' })] }, status: 'blocked',
    issues: [['PROHIBITED_ITEM', 'items.0.hsCode']], duties: [['DUTY', 20, 'consignee']],
  },
  // CA: CUSMA bands by origin
  {
    name: 'CA: from the US, CAD 40.00 is duty- and tax-free under CUSMA',
    on: '2026-01-15', input: { to: 'CA', origin: { country: 'US' }, items: [cad(4000)] }, status: 'ok',
    duties: [['CA_CUSMA_DUTY_FREE', 0, 'consignee']], taxes: [['CA_CUSMA_TAX_FREE', 0, 'consignee']],
    documents: ['COMMERCIAL_INVOICE', 'CA_CLVS'],
  },
  {
    name: 'CA: from the US, CAD 40.01 pays 5 % GST but still no duty', on: '2026-01-15',
    input: { to: 'CA', origin: { country: 'US' }, items: [cad(4001)] }, status: 'ok', duties: [['CA_CUSMA_DUTY_FREE', 0, 'consignee']],
    taxes: [['VAT', 200, 'consignee']],
  },
  {
    name: 'CA: from China, CAD 20.00 is within the CAD 20 thresholds', on: '2026-01-15', input: { to: 'CA', items: [cad(2000)] }, status: 'ok',
    duties: [], taxes: [],
  },
  {
    name: 'CA: from China, CAD 20.01 pays duty (17 % apparel) and GST', on: '2026-01-15', input: { to: 'CA', items: [cad(2001)] }, status: 'ok',
    duties: [['DUTY', 340, 'consignee']], taxes: [['VAT', 117, 'consignee']],
  },
  // BR: Remessa Conforme bands, CPF
  {
    name: 'BR with Remessa Conforme: USD 50 CIF pays 20 %, collected at checkout with the ICMS',
    on: '2026-01-15', input: withId('BR', { items: [usd(4500)], shipping: ship(500, 'USD'), registrations: { brRemessaConforme: 'RC-0001' } }),
    status: 'ok', scheme: 'BR_REMESSA_CONFORME',
    duties: [['BR_RC_UP_TO_50', 5741, 'collected_at_checkout']], taxes: [['VAT', 5855, 'collected_at_checkout']],
    landed: { currency: 'BRL', goods: 25833, shipping: 2870, dueFromConsignee: 0 },
  },
  {
    name: 'BR with Remessa Conforme: USD 50.01 CIF pays 60 % minus USD 20',
    on: '2026-01-15', input: withId('BR', { items: [usd(4501)], shipping: ship(500, 'USD'), registrations: { brRemessaConforme: 'RC-0001' } }),
    status: 'ok', scheme: 'BR_REMESSA_CONFORME',
    duties: [['BR_RC_ABOVE_50', 5744, 'collected_at_checkout']], taxes: [['VAT', 5857, 'collected_at_checkout']], conversions: [[2000, 'USD', 11481, 'BRL']],
    explains: ['60 % of goods + shipping BRL 287.09 = BRL 172.25 minus BRL 114.81 (USD 20.00) = BRL 57.44 in lieu of duty, paid by the seller at checkout.'],
  },
  {
    name: 'BR without Remessa Conforme: 60 % of CIF from the first dollar, and ICMS, due from the consignee',
    on: '2026-01-15', input: withId('BR', { items: [usd(4500)], shipping: ship(500, 'USD') }), status: 'ok',
    duties: [['BR_NOT_CERTIFIED', 17222, 'consignee']], taxes: [['VAT', 7807, 'consignee']],
  },
  {
    name: 'BR: a missing CPF is asked for', on: '2026-01-15', input: { to: 'BR' }, status: 'needs_information',
    issues: [['TAX_ID_REQUIRED', 'consignee.taxId']],
  },
  {
    name: 'BR: a CPF with wrong check digits is invalid', on: '2026-01-15', input: { to: 'BR', consignee: { taxId: '123.456.789-00' } },
    status: 'needs_information', issues: [['TAX_ID_INVALID', 'consignee.taxId']],
  },
  {
    name: 'BR: an e-cigarette described in Portuguese is blocked by keyword (accents ignored), and its missing HS code asked for',
    on: '2026-01-15', input: withId('BR', { items: [usd(2000, { description: 'CIGARRO ELETRONICO descartável', hsCode: undefined })] }), status: 'blocked',
    issues: [['PROHIBITED_ITEM', 'items.0.description'], ['HS_CODE_REQUIRED', 'items.0.hsCode']],
  },
  // MX: courier global rates by origin, RFC
  {
    name: 'MX from the US: USD 50.00 is free of duty and IVA', on: '2026-01-15',
    input: withId('MX', { origin: { country: 'US' }, items: [usd(5000)] }), status: 'ok', duties: [['MX_USMCA_FREE', 0, 'consignee']], taxes: [],
  },
  {
    name: 'MX from the US: USD 50.01 pays the 17 % global rate in lieu of duty and IVA', on: '2026-01-15',
    input: withId('MX', { origin: { country: 'US' }, items: [usd(5001)] }), status: 'ok', duties: [['MX_USMCA_17', 15744, 'consignee']], taxes: [],
  },
  {
    name: 'MX from China, 2025-08-15: the 33.5 % global rate', on: '2025-08-15', input: withId('MX', { items: [usd(5000)] }), status: 'ok',
    duties: [['MX_COURIER_OTHER', 31019, 'consignee']], taxes: [], ruleSets: ['MX2'],
  },
  {
    name: 'MX from China, 2025-08-14: still 19 %', on: '2025-08-14', input: withId('MX', { items: [usd(5000)] }), status: 'ok',
    duties: [['MX_COURIER_OTHER', 17593, 'consignee']], ruleSets: ['MX1'],
  },
  {
    name: 'MX: the generic RFC XAXX010101000 is rejected', on: '2026-01-15', input: { to: 'MX', consignee: { taxId: 'XAXX010101000' } },
    status: 'needs_information', issues: [['TAX_ID_REJECTED', 'consignee.taxId']],
  },
  // KR: USD 150 limit in KRW, PCCC
  {
    name: 'KR: USD 150.00 is within the USD 150 limit: no duty, no VAT',
    on: '2026-01-15', input: withId('KR', { items: [usd(15000)] }), status: 'ok', duties: [], taxes: [],
    documents: ['CN22', 'COMMERCIAL_INVOICE', 'KR_ENGLISH_INVOICE'], landed: { currency: 'KRW', goods: 208333 },
    conversions: [[15000, 'USD', 208333, 'KRW']], explains: ['Goods value USD 150.00 ≤ USD 150.00 (KR v1 customs.dutyDeMinimis): no duty.'],
  },
  {
    name: 'KR: USD 150.01 taxes the whole value in KRW: duty 13 % and VAT 10 %', on: '2026-01-15', input: withId('KR', { items: [usd(15001)] }),
    status: 'ok', duties: [['DUTY', 27085, 'consignee']], taxes: [['VAT', 23543, 'consignee']],
  },
  {
    name: 'KR: a missing PCCC is asked for', on: '2026-01-15', input: { to: 'KR' }, status: 'needs_information',
    issues: [['TAX_ID_REQUIRED', 'consignee.taxId']],
  },
  {
    name: 'KR: a malformed PCCC is invalid', on: '2026-01-15', input: { to: 'KR', consignee: { taxId: 'P12345' } }, status: 'needs_information',
    issues: [['TAX_ID_INVALID', 'consignee.taxId']],
  },
  {
    name: "KR: the consignee's phone is required", on: '2026-01-15', input: withId('KR', { consignee: { phone: undefined } }),
    status: 'needs_information', issues: [['PHONE_REQUIRED', 'consignee.phone']],
  },
  // AU: vendor-collected GST, vapes
  {
    name: 'AU: AUD 1,000.00 with a vendor GST registration: GST at checkout, no duty, Vendor ID in the data',
    on: '2026-01-15', input: { to: 'AU', items: [aud(100000)], registrations: { auGst: 'ARN-3000000001' } }, status: 'ok', scheme: 'AU_LVIG_GST',
    duties: [], taxes: [['VAT', 10000, 'collected_at_checkout']], documents: ['AU_GST_NUMBER'],
  },
  {
    name: 'AU: AUD 1,000.00 without the registration: nothing is collected at the border', on: '2026-01-15',
    input: { to: 'AU', items: [aud(100000)] }, status: 'ok', duties: [], taxes: [],
  },
  {
    name: 'AU: AUD 1,000.01 pays 5 % duty and GST at the border', on: '2026-01-15', input: { to: 'AU', items: [aud(100001)] }, status: 'ok',
    duties: [['DUTY', 5000, 'consignee']], taxes: [['VAT', 10500, 'consignee']],
  },
  {
    name: 'AU, 2024-03-01: an e-cigarette is blocked by HS code', on: '2024-03-01',
    input: { to: 'AU', items: [aud(3000, { description: 'Device', hsCode: '854340' })] }, status: 'blocked',
    issues: [['PROHIBITED_ITEM', 'items.0.hsCode']],
  },
  {
    name: 'AU, 2024-03-01: a vape is blocked by keyword', on: '2024-03-01',
    input: { to: 'AU', items: [aud(3000, { description: 'Disposable Vape Pen', hsCode: '392690' })] }, status: 'blocked',
    issues: [['PROHIBITED_ITEM', 'items.0.description']],
  },
  {
    name: 'AU, 2024-02-29: the day before the ban a vape is only restricted', on: '2024-02-29',
    input: { to: 'AU', items: [aud(3000, { description: 'Device', hsCode: '854340' })] }, status: 'ok',
    issues: [['RESTRICTED_ITEM', 'items.0.hsCode']],
  },
  {
    name: 'AU: a loose lithium battery is restricted for review', on: '2026-01-15',
    input: { to: 'AU', items: [aud(3000, { description: 'Spare lithium battery', hsCode: '850650' })] }, status: 'ok',
    issues: [['RESTRICTED_ITEM', 'items.0.hsCode']],
  },
  // NZ
  {
    name: 'NZ: without the offshore GST registration, 15 % GST at the border; no duty ≤ NZD 1,000', on: '2026-01-15',
    input: { to: 'NZ', items: [nzd(10000)] }, status: 'ok', duties: [], taxes: [['VAT', 1500, 'consignee']],
  },
  {
    name: 'NZ: a registered supplier collects the GST at checkout', on: '2026-01-15',
    input: { to: 'NZ', items: [nzd(10000)], registrations: { nzGst: 'NZ-123' } }, status: 'ok', scheme: 'NZ_LVIG_GST',
    taxes: [['VAT', 1500, 'collected_at_checkout']],
  },
  // JP: 60 % taxable value, yen without minor unit
  {
    name: 'JP: JPY 16,666 is a taxable value of JPY 10,000 (60 %): no duty or consumption tax', on: '2026-01-15',
    input: { to: 'JP', items: [jpy(16666)] }, status: 'ok', duties: [], taxes: [],
  },
  {
    name: 'JP: JPY 16,668 (taxable JPY 10,001) pays duty and consumption tax on the taxable value',
    on: '2026-01-15', input: { to: 'JP', items: [jpy(16668)] }, status: 'ok', duties: [['DUTY', 900, 'consignee']],
    taxes: [['VAT', 1090, 'consignee']], landed: { currency: 'JPY', goods: 16668, total: 18658 },
  },
  {
    name: 'JP: USD 100 converts to JPY 15,278 (no minor unit), taxable JPY 9,167: relieved', on: '2026-01-15',
    input: { to: 'JP', items: [usd(10000)] }, status: 'ok', duties: [], taxes: [], landed: { goods: 15278 },
  },
  // CN: tax-amount waiver
  {
    name: 'CN: duty and VAT of CNY 50 or less are each waived', on: '2026-01-15',
    input: withId('CN', { origin: { country: 'US' }, items: [cny(38000)] }), status: 'ok', duties: [], taxes: [],
  },
  {
    name: 'CN: CNY 600 makes duty of CNY 60, levied, and VAT on goods + duty', on: '2026-01-15',
    input: withId('CN', { origin: { country: 'US' }, items: [cny(60000)] }), status: 'ok', duties: [['DUTY', 6000, 'consignee']],
    taxes: [['VAT', 8580, 'consignee']],
  },
  {
    name: 'CN: a missing resident ID is asked for', on: '2026-01-15', input: { to: 'CN', origin: { country: 'US' }, items: [cny(38000)] },
    status: 'needs_information', issues: [['TAX_ID_REQUIRED', 'consignee.taxId']],
  },
  // SG, HK
  {
    name: 'SG: SGD 400.00 CIF is relieved of import GST', on: '2026-01-15', input: { to: 'SG', items: [sgd(35000)], shipping: ship(5000, 'SGD') },
    status: 'ok', duties: [], taxes: [],
  },
  {
    name: 'SG: SGD 400.01 CIF pays 9 % GST on goods + shipping', on: '2026-01-15',
    input: { to: 'SG', items: [sgd(35001)], shipping: ship(5000, 'SGD') }, status: 'ok', duties: [], taxes: [['VAT', 3600, 'consignee']],
  },
  {
    name: 'HK: a free port charges nothing, but heated tobacco is blocked and reviewed as tobacco',
    on: '2026-01-15',
    input: {
      to: 'HK',
      items: [eur(5000, { description: 'IQOS heated tobacco kit', hsCode: undefined })],
      consignee: { address: { lines: ['1 Queen’s Road'], country: 'HK', postcode: undefined } },
    },
    status: 'blocked',
    issues: [['PROHIBITED_ITEM', 'items.0.description'], ['RESTRICTED_ITEM', 'items.0.description'], ['HS_CODE_REQUIRED', 'items.0.hsCode']],
    duties: [], taxes: [],
  },
  // IN, AE, SA, ZA, IL, TR
  {
    name: 'IN: the personal-courier rate of 30.98 % of CIF replaces duty and IGST', on: '2026-01-15',
    input: withId('IN', { items: [eur(5000)], shipping: ship(1000, 'EUR') }), status: 'ok', duties: [['IN_PERSONAL_COURIER', 171010, 'consignee']],
    taxes: [],
  },
  {
    name: 'IN: KYC is required on every courier import', on: '2026-01-15', input: { to: 'IN' }, status: 'needs_information',
    issues: [['TAX_ID_REQUIRED', 'consignee.taxId']],
  },
  {
    name: 'AE: AED 1,000.00 CIF is duty-free but pays 5 % VAT', on: '2026-01-15',
    input: { to: 'AE', items: [aed(90000)], shipping: ship(10000, 'AED') }, status: 'ok', duties: [], taxes: [['VAT', 5000, 'consignee']],
  },
  {
    name: 'AE: AED 1,000.01 CIF pays duty on the goods', on: '2026-01-15', input: { to: 'AE', items: [aed(90001)], shipping: ship(10000, 'AED') },
    status: 'ok', duties: [['DUTY', 4500, 'consignee']], taxes: [['VAT', 5225, 'consignee']],
  },
  {
    name: 'SA, 2024-10-06: SAR 999.99 CIF is below SAR 1,000: no duty, the SAR 15 service fee, 15 % VAT',
    on: '2024-10-06', input: { to: 'SA', items: [sar(90000)], shipping: ship(9999, 'SAR') }, status: 'ok', duties: [],
    taxes: [['VAT', 15000, 'consignee']], fees: [['SA_CUSTOMS_SERVICE_FEE', 1500, 'consignee']],
  },
  {
    name: 'SA, 2024-10-05: no service fee the day before', on: '2024-10-05', input: { to: 'SA', items: [sar(90000)], shipping: ship(9999, 'SAR') },
    status: 'ok', fees: [], taxes: [['VAT', 15000, 'consignee']],
  },
  {
    name: 'SA: SAR 1,000.00 CIF is not below SAR 1,000: duty and no fee',
    on: '2026-01-15', input: { to: 'SA', items: [sar(90000)], shipping: ship(10000, 'SAR') }, status: 'ok', duties: [['DUTY', 4500, 'consignee']],
    taxes: [['VAT', 15675, 'consignee']], fees: [],
  },
  {
    name: 'SA: pork is blocked by keyword', on: '2026-01-15',
    input: { to: 'SA', items: [sar(5000, { description: 'Smoked bacon', hsCode: '021012' })] }, status: 'blocked',
    issues: [['PROHIBITED_ITEM', 'items.0.hsCode']],
  },
  {
    name: 'ZA: ZAR 500.00 pays the 20 % flat rate in lieu of duty, VAT on top', on: '2026-01-15', input: { to: 'ZA', items: [zar(50000)] },
    status: 'ok', duties: [['ZA_FLAT_RATE', 10000, 'consignee']], taxes: [['VAT', 9000, 'consignee']],
  },
  {
    name: 'ZA: ZAR 500.01 pays normal duty (40 % apparel)', on: '2026-01-15', input: { to: 'ZA', items: [zar(50001)] }, status: 'ok',
    duties: [['DUTY', 20000, 'consignee']], taxes: [['VAT', 10500, 'consignee']],
  },
  {
    name: 'ZA, 2024-08-31: the flat rate stood in lieu of duty and VAT', on: '2024-08-31', input: { to: 'ZA', items: [zar(50000)] }, status: 'ok',
    duties: [['ZA_FLAT_RATE', 10000, 'consignee']], taxes: [],
  },
  {
    name: 'IL, 2025-12-23: VAT-free only up to USD 75', on: '2025-12-23', input: withId('IL', { items: [usd(10000)] }), status: 'ok', duties: [],
    taxes: [['VAT', 6667, 'consignee']], ruleSets: ['IL1'],
  },
  {
    name: 'IL, 2025-12-24: VAT-free up to USD 150', on: '2025-12-24', input: withId('IL', { items: [usd(10000)] }), status: 'ok', duties: [],
    taxes: [], ruleSets: ['IL2'],
  },
  {
    name: 'TR: EUR 30 from the EU pays the 30 % simplified rate in lieu of duty and KDV', on: '2026-01-15',
    input: withId('TR', { origin: { country: 'DE' }, items: [eur(3000)] }), status: 'ok', duties: [['TR_SIMPLIFIED_EU', 34200, 'consignee']],
    taxes: [],
  },
  {
    name: 'TR: EUR 30 from China pays 60 %', on: '2026-01-15', input: withId('TR', { items: [eur(3000)] }), status: 'ok',
    duties: [['TR_SIMPLIFIED_OTHER', 68400, 'consignee']], taxes: [],
  },
  {
    name: 'TR: EUR 30.01 leaves the simplified regime: duty and 20 % KDV', on: '2026-01-15', input: withId('TR', { items: [eur(3001)] }),
    status: 'ok', duties: [['DUTY', 22808, 'consignee']], taxes: [['VAT', 27369, 'consignee']],
  },
  { name: 'TR: a mobile phone stands in for a missing TCKN', on: '2026-01-15', input: { to: 'TR' }, status: 'ok', issues: [] },
  {
    name: 'TR: with neither a TCKN nor a phone the TCKN is asked for', on: '2026-01-15', input: { to: 'TR', consignee: { phone: undefined } },
    status: 'needs_information', issues: [['TAX_ID_REQUIRED', 'consignee.taxId']],
  },
  // CN22 / CN23 at 300 SDR (EUR 365.85 at the seed rates) and 2 kg
  {
    name: 'DE: EUR 365.84 is under 300 SDR: CN22', on: '2026-01-15', input: { to: 'DE', items: [eur(36584)] }, status: 'ok', documents: ['CN22'],
    noDocuments: ['CN23', 'COMMERCIAL_INVOICE'],
  },
  {
    name: 'DE: EUR 365.85 is 300 SDR or more: CN23 with a commercial invoice', on: '2026-01-15', input: { to: 'DE', items: [eur(36585)] },
    status: 'ok', documents: ['CN23', 'COMMERCIAL_INVOICE'], noDocuments: ['CN22'],
  },
  {
    name: 'DE: a parcel over 2 kg needs a CN23 whatever its value', on: '2026-01-15',
    input: { to: 'DE', items: [eur(1000, { quantity: 3, weightGrams: 700 })] }, status: 'ok', documents: ['CN23'], noDocuments: ['CN22'],
  },
];

const lines = (list: Verdict['duties']): Line[] => list.map((l) => [l.code, l.amountMinor, l.payer]);

describe('evaluate: seeded rule sets', () => {
  const countries = new Set(SEED_CASES.map((c) => c.input.to));

  it(`covers at least 60 cases across at least 20 countries (${SEED_CASES.length} cases, ${countries.size} countries)`, () => {
    expect(SEED_CASES.length).toBeGreaterThanOrEqual(60);
    expect(countries.size).toBeGreaterThanOrEqual(20);
  });

  it.each(SEED_CASES.map((c) => [c.name, c] as const))('%s', (_name, c) => {
    const v = evaluate(deepFreeze(shipment(c.input)), SEED, FX, at(c.on));
    expect(v.status).toBe(c.status);
    expect(v.issues.map((i) => (i.field === undefined ? [i.code] : [i.code, i.field]))).toEqual(c.issues ?? []);
    expect(v.scheme?.code ?? null).toBe(c.scheme ?? null);
    if (c.duties) expect(lines(v.duties)).toEqual(c.duties);
    if (c.taxes) expect(lines(v.taxes)).toEqual(c.taxes);
    if (c.fees) expect(lines(v.fees)).toEqual(c.fees);
    if (c.documents) expect(docCodes(v)).toEqual(expect.arrayContaining(c.documents));
    for (const code of c.noDocuments ?? []) expect(docCodes(v)).not.toContain(code);
    if (c.landed) expect(v.landedCost).toMatchObject(c.landed);
    if (c.ruleSets) expect(v.ruleSets.map((r) => `${r.ruleSet}${r.version}`)).toEqual(c.ruleSets);
    const texts = v.explanation.map((s) => s.text);
    for (const part of c.explains ?? []) expect(texts.some((t) => t.includes(part))).toBe(true);
    for (const [fromAmount, from, toAmount, to] of c.conversions ?? []) {
      expect(v.conversions).toContainEqual(
        expect.objectContaining({
          from: { amountMinor: fromAmount, currency: from },
          to: { amountMinor: toAmount, currency: to },
          rates: expect.arrayContaining([expect.objectContaining({ asOf: '2026-01-01' })]),
        }),
      );
    }
    // Every line and issue names its rule and version; totals add up.
    for (const ref of [...v.duties, ...v.taxes, ...v.fees, ...v.issues, ...v.documents, ...v.explanation]) {
      expect(ref.version).toBeGreaterThan(0);
      expect(ref.rule).not.toBe('');
    }
    const lc = v.landedCost;
    expect(lc.total).toBe(lc.goods + lc.shipping + lc.duties + lc.taxes + lc.fees);
  });
});
