import currencyCodes from 'currency-codes';

/** A rate as stored: how many units of `currency` one euro buys, from a dated, sourced row. */
export interface FxRate {
  currency: string;
  unitsPerEur: number;
  asOf: string;
  source: string;
  unverified: boolean;
}

export interface Conversion {
  amountMinor: number;
  currency: string;
  /** Units of the target currency per unit of the source currency. */
  rate: number;
  /** The stored rates the conversion used, so a verdict can state its rate and date. */
  rates: FxRate[];
  unverified: boolean;
}

/**
 * Decimal places of a currency's minor unit (JPY 0, EUR 2, BHD 3). ISO 4217 gives the SDR (XDR) none
 * ("N.A."); Passage uses 2 so that values near the 300 SDR CN22/CN23 line compare at cent precision.
 */
export function minorUnitDigits(currency: string): number {
  if (currency === 'XDR') return 2;
  const digits = currencyCodes.code(currency)?.digits;
  return typeof digits === 'number' && digits >= 0 ? digits : 2;
}

/**
 * Converts an amount in minor units through the euro rates of both currencies. Pure. Rounds half away from
 * zero to the target's minor unit; floating point is exact enough for amounts below 10^12 minor units.
 */
export function convertMinor(amountMinor: number, from: FxRate, to: FxRate): Conversion {
  if (!Number.isInteger(amountMinor)) throw new RangeError('amountMinor must be an integer');
  const rate = to.unitsPerEur / from.unitsPerEur;
  const major = amountMinor / 10 ** minorUnitDigits(from.currency);
  const scaled = major * rate * 10 ** minorUnitDigits(to.currency);
  const rates = from.currency === to.currency ? [from] : [from, to];
  return {
    amountMinor: from.currency === to.currency ? amountMinor : Math.sign(scaled) * Math.round(Math.abs(scaled) + 1e-9),
    currency: to.currency,
    rate: from.currency === to.currency ? 1 : rate,
    rates,
    unverified: rates.some((r) => r.unverified),
  };
}
