import { Injectable } from '@nestjs/common';
import { EntityManager } from 'typeorm';
import type { JourneyStatus } from '../../shipments/journey';

export interface ClaimedEvent {
  id: string;
  shipment_id: string;
  type: string;
}

/** What an estimate is made from. */
export interface EddShipment {
  id: string;
  retailer_id: string;
  tracking_number: string;
  status: JourneyStatus;
  created_at: Date;
  status_changed_at: Date;
  destination_country: string;
  origin_country: string;
  estimated_delivery_from: Date | null;
  estimated_delivery_to: Date | null;
  first_scan_at: Date | null;
}

const SHIPMENT_COLUMNS = `s.id, s.retailer_id, s.tracking_number, s.status, s.created_at, s.status_changed_at,
       trim(s.destination_country) AS destination_country, s.origin->>'country' AS origin_country,
       s.estimated_delivery_from, s.estimated_delivery_to,
       (SELECT min(t.occurred_at) FROM tracking_events t WHERE t.shipment_id = s.id) AS first_scan_at`;

/** At most this many of a lane's latest deliveries in the window make its observed times (bounds the cost). */
export const OBSERVED_SAMPLE_CAP = 1000;

/** The estimated-delivery loop's reads and writes. */
@Injectable()
export class EddRepository {
  /** Journey events the loop has yet to look at, oldest first; SKIP LOCKED lets several workers share them. */
  claimEvents(tx: EntityManager, limit: number): Promise<ClaimedEvent[]> {
    return tx.query(
      `SELECT id::text, shipment_id, type FROM journey_events WHERE edd_processed_at IS NULL ORDER BY id LIMIT $1 FOR UPDATE SKIP LOCKED`,
      [limit],
    );
  }

  async markProcessed(tx: EntityManager, ids: string[], at: Date): Promise<void> {
    if (ids.length === 0) return;
    await tx.query(`UPDATE journey_events SET edd_processed_at = $2 WHERE id = ANY($1::bigint[])`, [ids, at]);
  }

  /** The shipments, with the time of their first scan. With `lock`, locked in id order (as the ingest path locks). */
  shipments(db: EntityManager, ids: string[], options: { lock: boolean }): Promise<EddShipment[]> {
    if (ids.length === 0) return Promise.resolve([]);
    return db.query(
      `SELECT ${SHIPMENT_COLUMNS} FROM shipments s WHERE s.id = ANY($1::uuid[]) ORDER BY s.id${options.lock ? ' FOR NO KEY UPDATE OF s' : ''}`,
      [ids],
    );
  }

  /**
   * Door-to-door transit, in days, of each lane's shipments delivered in [since, until]: first scan (else
   * booking) to delivery, over the lane's latest OBSERVED_SAMPLE_CAP deliveries. One statement for all the lanes;
   * each lane is a range of shipments_lane_delivered_idx.
   */
  async observedTransit(
    db: EntityManager,
    lanes: ReadonlyArray<{ destination: string; origin: string }>,
    since: Date,
    until: Date,
  ): Promise<Array<{ destination: string; origin: string; samples: number; p50: number | null; p90: number | null }>> {
    if (lanes.length === 0) return [];
    const rows: Array<{ destination: string; origin: string; samples: number; p50: number | null; p90: number | null }> = await db.query(
      `SELECT l.destination, l.origin, stats.*
         FROM jsonb_to_recordset($1::jsonb) AS l(destination text, origin text)
         CROSS JOIN LATERAL (
           SELECT count(*)::int AS samples,
                  percentile_cont(0.5) WITHIN GROUP (ORDER BY days) AS p50,
                  percentile_cont(0.9) WITHIN GROUP (ORDER BY days) AS p90
             FROM (SELECT GREATEST(0, extract(epoch FROM s.delivered_at - COALESCE(f.first_scan, s.created_at)) / 86400) AS days
                     FROM shipments s
                     LEFT JOIN LATERAL (SELECT t.occurred_at AS first_scan FROM tracking_events t
                                         WHERE t.shipment_id = s.id ORDER BY t.occurred_at LIMIT 1) f ON true
                    WHERE s.destination_country = l.destination::char(2) AND s.origin->>'country' = l.origin
                      AND s.delivered_at >= $2 AND s.delivered_at <= $3
                    ORDER BY s.delivered_at DESC
                    LIMIT ${OBSERVED_SAMPLE_CAP}) x
         ) stats`,
      [JSON.stringify(lanes), since, until],
    );
    return rows.map((r) => ({ ...r, p50: r.p50 === null ? null : Number(r.p50), p90: r.p90 === null ? null : Number(r.p90) }));
  }

  /** New estimates; `updated_at` moves so that retailers syncing by `updatedSince` see them. `version` does not (no journey decision depends on it). */
  async writeEstimates(tx: EntityManager, rows: Array<{ id: string; from: Date; to: Date }>, at: Date): Promise<void> {
    if (rows.length === 0) return;
    await tx.query(
      `UPDATE shipments s SET estimated_delivery_from = u.f, estimated_delivery_to = u.t, updated_at = $2
         FROM jsonb_to_recordset($1::jsonb) AS u(id uuid, f timestamptz, t timestamptz)
        WHERE s.id = u.id`,
      [JSON.stringify(rows.map((r) => ({ id: r.id, f: r.from, t: r.to }))), at],
    );
  }
}
