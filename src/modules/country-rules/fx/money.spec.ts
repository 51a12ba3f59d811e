import { convertMinor, FxRate, minorUnitDigits } from './money';

const rate = (currency: string, unitsPerEur: number, unverified = false): FxRate => ({
  currency,
  unitsPerEur,
  asOf: '2026-11-24',
  source: 'test',
  unverified,
});
const EUR = rate('EUR', 1);
const USD = rate('USD', 1.08);
const JPY = rate('JPY', 165);
const GBP = rate('GBP', 0.85);
const BHD = rate('BHD', 0.406);

describe('minorUnitDigits', () => {
  it.each([
    ['EUR', 2],
    ['JPY', 0],
    ['KRW', 0],
    ['BHD', 3],
    ['XDR', 2],
  ])('gives %s %i decimal places', (currency, digits) => {
    expect(minorUnitDigits(currency)).toBe(digits);
  });
});

describe('convertMinor', () => {
  it('converts through the euro rates of both currencies', () => {
    // USD 800.00 → EUR 740.74 (800 / 1.08)
    expect(convertMinor(80_000, USD, EUR)).toMatchObject({ amountMinor: 74_074, currency: 'EUR' });
    // GBP 135.00 → USD 171.53 (135 / 0.85 * 1.08)
    expect(convertMinor(13_500, GBP, USD).amountMinor).toBe(17_153);
  });

  it('respects the minor units of each currency', () => {
    expect(convertMinor(10_000, JPY, EUR).amountMinor).toBe(6_061); // JPY 10,000 → EUR 60.61
    expect(convertMinor(15_000, EUR, JPY).amountMinor).toBe(24_750); // EUR 150.00 → JPY 24,750
    expect(convertMinor(10_000, EUR, BHD).amountMinor).toBe(40_600); // EUR 100.00 → BHD 40.600
  });

  it('rounds half away from zero, despite binary floating point', () => {
    // EUR 0.05 at 0.85 is GBP 0.0425 → 0.04; EUR 0.10 → GBP 0.085 → 0.09
    expect(convertMinor(5, EUR, GBP).amountMinor).toBe(4);
    expect(convertMinor(10, EUR, GBP).amountMinor).toBe(9);
    expect(convertMinor(-10, EUR, GBP).amountMinor).toBe(-9);
  });

  it('states the rates it used, and the cross rate', () => {
    const conversion = convertMinor(100, USD, GBP);
    expect(conversion.rates).toEqual([USD, GBP]);
    expect(conversion.rate).toBeCloseTo(0.85 / 1.08, 12);
  });

  it('returns the same amount at rate 1 for the same currency', () => {
    expect(convertMinor(12_345, USD, USD)).toEqual({ amountMinor: 12_345, currency: 'USD', rate: 1, rates: [USD], unverified: false });
  });

  it('marks a conversion unverified when any rate it used is', () => {
    expect(convertMinor(100, rate('NOK', 11.6, true), EUR).unverified).toBe(true);
    expect(convertMinor(100, USD, EUR).unverified).toBe(false);
  });

  it('refuses a fractional amount of minor units', () => {
    expect(() => convertMinor(1.5, USD, EUR)).toThrow(RangeError);
  });
});
