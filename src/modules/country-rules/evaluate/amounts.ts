import { FxRate, minorUnitDigits } from '../fx/money';

/**
 * Money arithmetic and wording for the evaluator: integer minor units, rounding half away from zero (as
 * `convertMinor` does), and amounts as people read them. Minor-unit digits are memoised because currency-codes
 * looks them up with a linear scan.
 */

const digitsCache = new Map<string, number>();

export function digitsOf(currency: string): number {
  let d = digitsCache.get(currency);
  if (d === undefined) {
    d = minorUnitDigits(currency);
    digitsCache.set(currency, d);
  }
  return d;
}

/** Half away from zero, with the same guard against binary fractions as `convertMinor`. */
export function roundHalfAway(x: number): number {
  return x < 0 ? -Math.round(-x + 1e-9) : Math.round(x + 1e-9);
}

/** `ratePercent` % of an amount in minor units, rounded to the minor unit. */
export function percentOf(amount: number, ratePercent: number): number {
  return roundHalfAway((amount * ratePercent) / 100);
}

/** `convertMinor`'s arithmetic (the spec checks they agree), without its per-call currency lookups. */
export function convertAmount(amountMinor: number, from: FxRate, to: FxRate): { amountMinor: number; rate: number } {
  if (from.currency === to.currency) return { amountMinor, rate: 1 };
  const rate = to.unitsPerEur / from.unitsPerEur;
  const scaled = (amountMinor / 10 ** digitsOf(from.currency)) * rate * 10 ** digitsOf(to.currency);
  return { amountMinor: Math.sign(scaled) * Math.round(Math.abs(scaled) + 1e-9), rate };
}

/** `EUR 1,234.56`, `JPY 10,000`, `BHD 40.600`. */
export function formatMoney(amountMinor: number, currency: string): string {
  const d = digitsOf(currency);
  const sign = amountMinor < 0 ? '-' : '';
  const abs = Math.abs(amountMinor);
  const scale = 10 ** d;
  let grouped = '';
  let rest = Math.floor(abs / scale);
  while (rest >= 1000) {
    grouped = `,${String(rest % 1000).padStart(3, '0')}${grouped}`;
    rest = Math.floor(rest / 1000);
  }
  grouped = `${rest}${grouped}`;
  return d === 0 ? `${currency} ${sign}${grouped}` : `${currency} ${sign}${grouped}.${String(abs % scale).padStart(d, '0')}`;
}

const dayCache = new Map<number, string>();

/** The UTC calendar date (`YYYY-MM-DD`), memoised by day: toISOString is comparatively slow. */
export function isoDate(at: Date): string {
  const day = Math.floor(at.getTime() / 86_400_000);
  let text = dayCache.get(day);
  if (text === undefined) {
    text = at.toISOString().slice(0, 10);
    if (dayCache.size > 10_000) dayCache.clear();
    dayCache.set(day, text);
  }
  return text;
}
