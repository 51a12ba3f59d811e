import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Exchange rates for the country rules (thresholds come in many currencies), as dated rows: a new rate is a
 * new row, and the rate used for an instant is the latest one dated on or before it. XDR is the IMF's SDR,
 * for the CN22/CN23 threshold. There is no live feed: operators maintain the rates through the admin API.
 */
export class FxRates1764000100000 implements MigrationInterface {
  name = 'FxRates1764000100000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE fx_rates (
        id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
        currency char(3) NOT NULL CHECK (currency ~ '^[A-Z]{3}$'),
        units_per_eur numeric(24, 10) NOT NULL CHECK (units_per_eur > 0),
        as_of date NOT NULL,
        source text NOT NULL,
        unverified boolean NOT NULL DEFAULT false,
        created_by text NOT NULL,
        created_at timestamptz NOT NULL DEFAULT now(),
        UNIQUE (currency, as_of)
      )`);
    // The seed: approximate rates, every one marked unverified until an operator sets a sourced rate.
    const seed: [string, string][] = [
      ['EUR', '1'], ['USD', '1.08'], ['GBP', '0.85'], ['CHF', '0.94'], ['NOK', '11.6'], ['SEK', '11.2'],
      ['DKK', '7.46'], ['PLN', '4.3'], ['CZK', '25.2'], ['HUF', '400'], ['RON', '4.97'], ['JPY', '165'],
      ['KRW', '1500'], ['CNY', '7.8'], ['AUD', '1.65'], ['NZD', '1.8'], ['SGD', '1.45'], ['CAD', '1.5'],
      ['BRL', '6.2'], ['MXN', '20'], ['TRY', '38'], ['INR', '92'], ['ZAR', '20'], ['AED', '3.97'],
      ['SAR', '4.05'], ['HKD', '8.4'], ['ILS', '4'], ['CLP', '1020'], ['XDR', '0.82'],
    ];
    await q.query(
      `INSERT INTO fx_rates (currency, units_per_eur, as_of, source, unverified, created_by)
       SELECT c, r::numeric, DATE '2026-01-01', 'seed: approximate placeholder, replace with a sourced rate', c <> 'EUR', 'seed'
         FROM unnest($1::text[], $2::text[]) AS s(c, r)`,
      [seed.map(([c]) => c), seed.map(([, r]) => r)],
    );
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE IF EXISTS fx_rates`);
  }
}
