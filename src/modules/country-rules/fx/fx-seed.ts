import { FxRate } from './money';

/** The date the placeholder rates are stamped with. */
export const FX_SEED_AS_OF = '2026-01-01';

/**
 * The placeholder rates the migration `1764000100000-fx-rates` seeds, as `FxRate`s, for tests, benchmarks and
 * demos that need a fixed table without a database. The migration keeps its own copy on purpose: a migration
 * must not change when this helper does. Every rate but EUR is unverified, as in the migration.
 */
export const FX_SEED_RATES: readonly FxRate[] = (
  [
    ['EUR', 1], ['USD', 1.08], ['GBP', 0.85], ['CHF', 0.94], ['NOK', 11.6], ['SEK', 11.2],
    ['DKK', 7.46], ['PLN', 4.3], ['CZK', 25.2], ['HUF', 400], ['RON', 4.97], ['JPY', 165],
    ['KRW', 1500], ['CNY', 7.8], ['AUD', 1.65], ['NZD', 1.8], ['SGD', 1.45], ['CAD', 1.5],
    ['BRL', 6.2], ['MXN', 20], ['TRY', 38], ['INR', 92], ['ZAR', 20], ['AED', 3.97],
    ['SAR', 4.05], ['HKD', 8.4], ['ILS', 4], ['CLP', 1020], ['XDR', 0.82],
  ] as const
).map(([currency, unitsPerEur]) => ({
  currency,
  unitsPerEur,
  asOf: FX_SEED_AS_OF,
  source: 'seed: approximate placeholder, replace with a sourced rate',
  unverified: currency !== 'EUR',
}));

/** The seed rates as a table by currency (the shape `evaluate` takes as `FxTable`). */
export function fxSeedTable(): ReadonlyMap<string, FxRate> {
  return new Map(FX_SEED_RATES.map((r) => [r.currency, r]));
}
