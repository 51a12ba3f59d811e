import { Injectable } from '@nestjs/common';
import { DataSource, EntityManager } from 'typeorm';
import { RuleSetVersion } from '../evaluate/verdict';
import { RuleSetContent } from './rule-set-content';

export interface StoredRuleSetVersion extends RuleSetVersion {
  id: string;
  author: string;
  changeNote: string;
  createdAt: Date;
}

interface RuleSetRow {
  id: string;
  country: string;
  version: number;
  effective_from: string;
  effective_to: string | null;
  content: RuleSetContent;
  author: string;
  change_note: string;
  created_at: Date;
}

const toVersion = (r: RuleSetRow): StoredRuleSetVersion => ({
  id: r.id,
  country: r.country,
  version: r.version,
  effectiveFrom: r.effective_from,
  ...(r.effective_to ? { effectiveTo: r.effective_to } : {}),
  content: r.content,
  author: r.author,
  changeNote: r.change_note,
  createdAt: r.created_at,
});

// Dates as text, so that a date never shifts through a time zone on its way to JavaScript.
const COLUMNS = `id, country, version, effective_from::text AS effective_from, effective_to::text AS effective_to,
  content, author, change_note, created_at`;

/** Rule sets are platform data, not retailer-owned: written by operators only, read by every evaluation. */
@Injectable()
export class RuleSetRepository {
  constructor(private readonly db: DataSource) {}

  /** Every version of every rule set, by country then version: small (tens of rows per country). */
  async all(): Promise<StoredRuleSetVersion[]> {
    const rows: RuleSetRow[] = await this.db.query(`SELECT ${COLUMNS} FROM rule_sets ORDER BY country, effective_from, version`);
    return rows.map(toVersion);
  }

  /** A change stamp: moves whenever a version is written, by any instance. */
  async stamp(): Promise<string> {
    const [row] = await this.db.query(`SELECT count(*)::text || ':' || coalesce(max(created_at)::text, '') AS stamp FROM rule_sets`);
    return (row as { stamp: string }).stamp;
  }

  /**
   * Appends the next version of a country's rule set. Versions are numbered per country under a
   * transaction-scoped advisory lock, so two operators writing at once get consecutive numbers.
   */
  async append(
    tx: EntityManager,
    v: { country: string; effectiveFrom: string; effectiveTo?: string; content: RuleSetContent; author: string; changeNote: string },
  ): Promise<{ stored: StoredRuleSetVersion; previous?: StoredRuleSetVersion }> {
    await tx.query(`SELECT pg_advisory_xact_lock(hashtext('rule_sets:' || $1))`, [v.country]);
    const [previous]: RuleSetRow[] = await tx.query(
      `SELECT ${COLUMNS} FROM rule_sets WHERE country = $1 ORDER BY version DESC LIMIT 1`,
      [v.country],
    );
    const rows: RuleSetRow[] = await tx.query(
      `INSERT INTO rule_sets (country, version, effective_from, effective_to, content, author, change_note)
       SELECT $1, coalesce(max(version), 0) + 1, $2, $3, $4, $5, $6 FROM rule_sets WHERE country = $1
       RETURNING ${COLUMNS}`,
      [v.country, v.effectiveFrom, v.effectiveTo ?? null, JSON.stringify(v.content), v.author, v.changeNote],
    );
    return { stored: toVersion(rows[0]), previous: previous ? toVersion(previous) : undefined };
  }

  /**
   * Loads the seed: each (country, version) is written once and never again, so a restart changes nothing
   * and an operator's later versions are kept. Returns how many versions were new.
   */
  async seed(tx: EntityManager, versions: Array<RuleSetVersion & { changeNote: string }>): Promise<number> {
    if (versions.length === 0) return 0;
    const rows: Array<{ n: number }> = await tx.query(
      `WITH inserted AS (
         INSERT INTO rule_sets (country, version, effective_from, effective_to, content, author, change_note)
         SELECT s.country, s.version, s.effective_from, s.effective_to, s.content, 'seed', s.change_note
           FROM jsonb_to_recordset($1::jsonb) AS s(country text, version int, effective_from date, effective_to date, content jsonb, change_note text)
         ON CONFLICT (country, version) DO NOTHING
         RETURNING 1
       )
       -- Counted in SQL, so that the seed reports how many versions were new.
       SELECT count(*)::int AS n FROM inserted`,
      [
        JSON.stringify(
          versions.map((v) => ({
            country: v.country,
            version: v.version,
            effective_from: v.effectiveFrom,
            effective_to: v.effectiveTo ?? null,
            content: v.content,
            change_note: v.changeNote,
          })),
        ),
      ],
    );
    return rows[0].n;
  }

  /** Shipments a version may affect: booked to these countries on or after the date, and still on their way. */
  async countAffected(countries: string[], from: string): Promise<{ bookedSince: number; inFlight: number }> {
    const [row] = await this.db.query(
      `SELECT count(*) FILTER (WHERE created_at >= $2::date)::int AS booked_since,
              count(*) FILTER (WHERE status NOT IN ('delivered', 'returned', 'cancelled', 'lost'))::int AS in_flight
         FROM shipments WHERE destination_country = ANY($1)`,
      [countries, from],
    );
    return { bookedSince: row.booked_since, inFlight: row.in_flight };
  }

  /** The shipments themselves, newest first, keyset-paginated on (created_at, id). */
  listAffected(
    countries: string[],
    from: string,
    after: { createdAt: string; id: string } | undefined,
    limit: number,
  ): Promise<Array<{ id: string; retailer_id: string; tracking_number: string; status: string; destination_country: string; compliance_status: string | null; created_at: Date }>> {
    return this.db.query(
      `SELECT id, retailer_id, tracking_number, status, destination_country, compliance_status, created_at
         FROM shipments
        WHERE destination_country = ANY($1) AND created_at >= $2::date
          AND ($3::timestamptz IS NULL OR (created_at, id) < ($3::timestamptz, $4::uuid))
        ORDER BY created_at DESC, id DESC LIMIT $5`,
      [countries, from, after?.createdAt ?? null, after?.id ?? null, limit],
    );
  }
}
