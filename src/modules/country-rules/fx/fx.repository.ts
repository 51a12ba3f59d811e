import { Injectable } from '@nestjs/common';
import { DataSource, EntityManager } from 'typeorm';
import { FxRate } from './money';

interface FxRow {
  currency: string;
  units_per_eur: string;
  as_of: string;
  source: string;
  unverified: boolean;
  created_by: string;
  created_at: Date;
}

export interface StoredFxRate extends FxRate {
  createdBy: string;
  createdAt: Date;
}

const toRate = (r: FxRow): StoredFxRate => ({
  currency: r.currency,
  unitsPerEur: Number(r.units_per_eur),
  asOf: r.as_of,
  source: r.source,
  unverified: r.unverified,
  createdBy: r.created_by,
  createdAt: r.created_at,
});

/** Rates are not retailer-owned: one table for the whole platform, written by operators only. */
@Injectable()
export class FxRepository {
  constructor(private readonly db: DataSource) {}

  /** For each currency, the latest rate dated on or before `on` (a calendar date, YYYY-MM-DD). */
  async ratesOn(on: string, currencies?: string[]): Promise<StoredFxRate[]> {
    const rows: FxRow[] = await this.db.query(
      `SELECT DISTINCT ON (currency) currency, units_per_eur, to_char(as_of, 'YYYY-MM-DD') AS as_of, source, unverified, created_by, created_at
         FROM fx_rates
        WHERE as_of <= $1::date AND ($2::text[] IS NULL OR currency = ANY($2::text[]))
        ORDER BY currency, as_of DESC`,
      [on, currencies ?? null],
    );
    return rows.map(toRate);
  }

  /** Every rate: a small table (a row per currency and date), cached whole by the rules cache. */
  async all(): Promise<StoredFxRate[]> {
    const rows: FxRow[] = await this.db.query(
      `SELECT currency, units_per_eur, to_char(as_of, 'YYYY-MM-DD') AS as_of, source, unverified, created_by, created_at
         FROM fx_rates ORDER BY currency, as_of`,
    );
    return rows.map(toRate);
  }

  async history(currency: string): Promise<StoredFxRate[]> {
    const rows: FxRow[] = await this.db.query(
      `SELECT currency, units_per_eur, to_char(as_of, 'YYYY-MM-DD') AS as_of, source, unverified, created_by, created_at
         FROM fx_rates WHERE currency = $1 ORDER BY as_of DESC`,
      [currency],
    );
    return rows.map(toRate);
  }

  /** Inserts a dated rate; returns undefined when that currency already has a rate for that date. */
  async insert(tx: EntityManager, rate: Omit<FxRate, 'unverified'> & { createdBy: string }): Promise<StoredFxRate | undefined> {
    const rows: FxRow[] = await tx.query(
      `INSERT INTO fx_rates (currency, units_per_eur, as_of, source, unverified, created_by)
       VALUES ($1, $2::numeric, $3::date, $4, false, $5)
       ON CONFLICT (currency, as_of) DO NOTHING
       RETURNING currency, units_per_eur, to_char(as_of, 'YYYY-MM-DD') AS as_of, source, unverified, created_by, created_at`,
      [rate.currency, String(rate.unitsPerEur), rate.asOf, rate.source, rate.createdBy],
    );
    return rows[0] ? toRate(rows[0]) : undefined;
  }
}
