import { Injectable } from '@nestjs/common';
import { EntityManager } from 'typeorm';
import { JourneyStatus, OPEN_STATUSES } from '../../shipments/journey';
import { ESTIMATED_STATUSES } from '../edd/edd';
import type { EddShipment } from '../edd/edd.repository';
import type { LaneRow } from '../edd/lane-expectations';
import {
  DetectorName,
  INFORMATION_DUE_HOURS,
  INFORMATION_LOOKBACK_DAYS,
  LOOKBACK_DAYS,
  PICKUP_HOLD_DAYS,
  PICKUP_WARNING_HOURS,
  SCAN_GAP_STATUSES,
} from './detectors';

/** One shipment a detector found, with what its occurrence is. */
export interface DetectedRow extends EddShipment {
  occurrence_key: string;
  /** Kept on the detection: what was seen (no consignee data). */
  details: Record<string, unknown>;
  /** Detector-specific data for the journey event only (e.g. the compliance issues to ask for). */
  extra: Record<string, unknown> | null;
  /** The row version read (`xmin`): a batch records the row only if it is still this one under lock. */
  row_version: string;
}

export interface DetectorParams {
  now: Date;
  lanes: LaneRow[];
  limit: number;
}

const HOUR = 3_600_000;

/** The statuses of shipments_edd_due_idx's predicate. */
const EDD_DUE_STATUSES = ['booked', 'collected', 'in_transit', 'at_customs', 'customs_hold', 'cleared', 'out_for_delivery'];
/** A booking's missing information no longer matters once the parcel is delivered or closed. */
const INFORMATION_CLOSED = ['available_for_pickup', 'delivered', 'return_requested', 'return_in_transit', 'returned', 'cancelled', 'lost'];

for (const s of EDD_DUE_STATUSES) if (!ESTIMATED_STATUSES.has(s as JourneyStatus)) throw new Error(`${s} has no estimate`);

const list = (values: readonly string[]) => values.map((v) => `'${v}'`).join(', ');
const iso = (expr: string) => `to_char((${expr}) AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"')`;

/** The columns every detector returns for a shipment row `s` (plus occurrence_key, details and extra). */
const SHIPMENT = `s.id, s.retailer_id, s.tracking_number, s.status, s.created_at, s.status_changed_at,
       s.destination_country::text AS destination_country, s.origin->>'country' AS origin_country,
       s.estimated_delivery_from, s.estimated_delivery_to, s.xmin::text AS row_version`;
const FIRST_SCAN = `(SELECT min(t.occurred_at) FROM tracking_events t WHERE t.shipment_id = hit.id) AS first_scan_at`;

/**
 * The lanes as one JSON object keyed `destination|origin` ($2), and the allowance of a shipment row `s` under it:
 * its (destination, origin) lane, else its destination's `*` lane, else the default (`*|*`). Lookups in a
 * jsonb object, so no join per candidate.
 */
const LANE = `COALESCE($2::jsonb -> (s.destination_country::text || '|' || (s.origin->>'country')),
                  $2::jsonb -> (s.destination_country::text || '|*'), $2::jsonb -> '*|*')`;
const lanesObject = (lanes: LaneRow[]) => JSON.stringify(Object.fromEntries(lanes.map((l) => [`${l.d}|${l.o}`, { hold: l.hold, gaps: l.gaps }])));

const notDetected = (detector: DetectorName, keyExpr: string) =>
  `NOT EXISTS (SELECT 1 FROM detections d WHERE d.shipment_id = s.id AND d.detector = '${detector}' AND d.occurrence_key = ${keyExpr})`;

export interface DetectorQuery {
  /** CTEs ending in `hit` (one row per shipment, at most `limit`, unordered). */
  ctes: string;
  values: unknown[];
}

/**
 * The query of each detector, as CTEs ending in `hit`. Every one is driven by an index on shipments (the EXPLAIN
 * of each is in bench/detect.bench.js): it reads the index range in the index's order with a LIMIT, so that the
 * planner walks the index and stops early whatever it guesses of the range's size (at 1 M rows it guessed the
 * correlated status and dates badly and chose a sequential scan). It excludes occurrences already detected with
 * an anti-join on the detections key, and returns at most `limit` rows.
 *
 * Parameters: $1 now, $2 lanes (where used), then the detector's own.
 */
export function detectorQuery(detector: DetectorName, p: DetectorParams): DetectorQuery {
  const values: unknown[] = [p.now];
  const param = (value: unknown) => {
    values.push(value);
    return `$${values.length}`;
  };
  const ordered = (column: string) => `ORDER BY ${column}`;
  switch (detector) {
    case 'scan_gap': {
      values.push(lanesObject(p.lanes));
      // Per status, the earliest cutoff any lane allows bounds the index range; each row's own lane is checked on it.
      // The last activity is never before the status change, so the range holds every answer.
      const cut = SCAN_GAP_STATUSES.map((status) => ({
        status,
        before: new Date(p.now.getTime() - Math.min(...p.lanes.map((l) => l.gaps[status])) * HOUR),
      }));
      const cutParam = param(JSON.stringify(cut));
      const limit = param(p.limit);
      const last = 'GREATEST(s.status_changed_at, s.last_event_occurred_at)';
      const key = `s.status || '@' || ${iso(last)}`;
      const allowed = `(${LANE} -> 'gaps' ->> s.status)::int`;
      return {
        values,
        ctes: `cut AS (SELECT * FROM jsonb_to_recordset(${cutParam}::jsonb) AS x(status text, before timestamptz)),
  hit AS (
    SELECT h.* FROM cut CROSS JOIN LATERAL (
      SELECT ${SHIPMENT}, ${key} AS occurrence_key,
             jsonb_build_object('status', s.status, 'lastActivityAt', ${iso(last)}, 'allowedHours', ${allowed},
                                'silentHours', floor(extract(epoch FROM $1::timestamptz - ${last}) / 3600)::int) AS details,
             NULL::jsonb AS extra
        FROM shipments s
       WHERE s.status IN (${list(OPEN_STATUSES)}) AND s.status = cut.status AND s.status_changed_at < cut.before
         AND s.status_changed_at > $1::timestamptz - interval '${LOOKBACK_DAYS} days'
         AND (s.last_event_occurred_at IS NULL OR s.last_event_occurred_at < cut.before)
         AND ${last} < $1::timestamptz - make_interval(hours => ${allowed})
         AND ${notDetected('scan_gap', key)}
       ${ordered('s.status_changed_at')}
       LIMIT ${limit}
    ) h
    LIMIT ${limit}
  )`,
      };
    }
    case 'edd_missed': {
      const limit = param(p.limit);
      return {
        values,
        ctes: `hit AS (
    SELECT ${SHIPMENT}, ${iso('s.estimated_delivery_to')} AS occurrence_key,
           jsonb_build_object('missedEstimate', jsonb_build_object('from', ${iso('s.estimated_delivery_from')}, 'to', ${iso('s.estimated_delivery_to')}),
                              'status', s.status) AS details,
           NULL::jsonb AS extra
      FROM shipments s
     WHERE s.estimated_delivery_to IS NOT NULL AND s.status IN (${list(EDD_DUE_STATUSES)})
       AND s.estimated_delivery_to < $1::timestamptz AND s.estimated_delivery_to > $1::timestamptz - interval '${LOOKBACK_DAYS} days'
       AND ${notDetected('edd_missed', iso('s.estimated_delivery_to'))}
     ${ordered('s.estimated_delivery_to')}
     LIMIT ${limit}
  )`,
      };
    }
    case 'customs_hold_overdue': {
      values.push(lanesObject(p.lanes));
      const before = param(new Date(p.now.getTime() - Math.min(...p.lanes.map((l) => l.hold)) * HOUR));
      const limit = param(p.limit);
      const allowed = `(${LANE} ->> 'hold')::int`;
      return {
        values,
        ctes: `hit AS (
    SELECT ${SHIPMENT}, ${iso('s.status_changed_at')} AS occurrence_key,
           jsonb_build_object('heldSince', ${iso('s.status_changed_at')}, 'allowedHours', ${allowed}) AS details,
           NULL::jsonb AS extra
      FROM shipments s
     WHERE s.status IN (${list(OPEN_STATUSES)}) AND s.status = 'customs_hold' AND s.status_changed_at < ${before}
       AND s.status_changed_at > $1::timestamptz - interval '${LOOKBACK_DAYS} days'
       AND s.status_changed_at < $1::timestamptz - make_interval(hours => ${allowed})
       AND ${notDetected('customs_hold_overdue', iso('s.status_changed_at'))}
     ${ordered('s.status_changed_at')}
     LIMIT ${limit}
  )`,
      };
    }
    case 'pickup_expiring': {
      // The deadline (available since + PICKUP_HOLD_DAYS) falls within the warning window and has not passed.
      const since = `$1::timestamptz - interval '${PICKUP_HOLD_DAYS} days'`;
      const until = `$1::timestamptz + interval '${PICKUP_WARNING_HOURS} hours' - interval '${PICKUP_HOLD_DAYS} days'`;
      const limit = param(p.limit);
      return {
        values,
        ctes: `hit AS (
    SELECT ${SHIPMENT}, ${iso('s.status_changed_at')} AS occurrence_key,
           jsonb_build_object('availableSince', ${iso('s.status_changed_at')},
                              'pickupBy', ${iso(`s.status_changed_at + interval '${PICKUP_HOLD_DAYS} days'`)}) AS details,
           NULL::jsonb AS extra
      FROM shipments s
     WHERE s.status IN (${list(OPEN_STATUSES)}) AND s.status = 'available_for_pickup'
       AND s.status_changed_at > ${since} AND s.status_changed_at <= ${until}
       AND ${notDetected('pickup_expiring', iso('s.status_changed_at'))}
     ${ordered('s.status_changed_at')}
     LIMIT ${limit}
  )`,
      };
    }
    case 'information_overdue': {
      const since = `$1::timestamptz - interval '${INFORMATION_LOOKBACK_DAYS} days'`;
      const until = `$1::timestamptz - interval '${INFORMATION_DUE_HOURS} hours'`;
      const limit = param(p.limit);
      return {
        values,
        ctes: `hit AS (
    SELECT ${SHIPMENT}, 'booking' AS occurrence_key,
           jsonb_build_object('bookedAt', ${iso('s.created_at')}, 'dueHours', ${INFORMATION_DUE_HOURS}) AS details,
           jsonb_build_object('issues', COALESCE((SELECT jsonb_agg(jsonb_build_object('code', i->>'code', 'field', i->'field'))
                                                   FROM jsonb_array_elements(s.compliance->'issues') AS i), '[]'::jsonb)) AS extra
      FROM shipments s
     WHERE s.compliance_status = 'needs_information' AND s.created_at > ${since} AND s.created_at <= ${until}
       AND s.status NOT IN (${list(INFORMATION_CLOSED)})
       AND ${notDetected('information_overdue', `'booking'`)}
     ${ordered('s.created_at')}
     LIMIT ${limit}
  )`,
      };
    }
  }
}

/** A detector's read-only query: what it would record now (the first pass of a batch; the benchmark EXPLAINs it). */
export function candidatesQuery(detector: DetectorName, p: DetectorParams): { text: string; values: unknown[] } {
  const q = detectorQuery(detector, p);
  return { text: `WITH ${q.ctes} SELECT hit.*, ${FIRST_SCAN} FROM hit ORDER BY hit.id`, values: q.values };
}

/** The detectors' reads and writes; a sweep runs them on its own connection (the one holding the advisory lock). */
@Injectable()
export class DetectionRepository {
  /** What a detector finds now, without writing (the first, unlocked pass of a batch). */
  candidates(db: EntityManager, detector: DetectorName, p: DetectorParams): Promise<DetectedRow[]> {
    const q = candidatesQuery(detector, p);
    return db.query(q.text, q.values);
  }

  /**
   * Locks, in id order, the candidates whose row is still the version the detector read (`xmin`): unchanged,
   * so what was found still holds. SKIP LOCKED: a shipment being written (a scan arriving) is left to the next
   * round or sweep, which reads it afresh; a sweep never waits on the ingest path.
   */
  async lockUnchanged(tx: EntityManager, rows: ReadonlyArray<Pick<DetectedRow, 'id' | 'row_version'>>): Promise<Set<string>> {
    const locked: Array<{ id: string }> = await tx.query(
      `SELECT s.id FROM shipments s JOIN jsonb_to_recordset($1::jsonb) AS c(id uuid, v text) ON s.id = c.id
        WHERE s.xmin = c.v::xid
        ORDER BY s.id FOR NO KEY UPDATE OF s SKIP LOCKED`,
      [JSON.stringify(rows.map((r) => ({ id: r.id, v: r.row_version })))],
    );
    return new Set(locked.map((r) => r.id));
  }

  /**
   * Records a detection per row, with the exception and journey event it caused; the unique (shipment, detector,
   * occurrence) key makes a second recording of the same occurrence a no-op, whoever sweeps. Returns how many
   * were recorded.
   */
  async record(
    tx: EntityManager,
    detector: DetectorName,
    rows: ReadonlyArray<DetectedRow & { exceptionId: string | null; journeyEventId: string | null }>,
    at: Date,
  ): Promise<number> {
    if (rows.length === 0) return 0;
    const recorded: Array<{ n: number }> = await tx.query(
      `WITH ins AS (
         INSERT INTO detections (shipment_id, retailer_id, detector, occurrence_key, exception_id, journey_event_id, details, detected_at)
         SELECT r.shipment_id, r.retailer_id, $2, r.occurrence_key, r.exception_id, r.journey_event_id, r.details, $3
           FROM jsonb_to_recordset($1::jsonb) AS r(shipment_id uuid, retailer_id uuid, occurrence_key text, exception_id uuid,
                                                 journey_event_id bigint, details jsonb)
         ON CONFLICT ON CONSTRAINT detections_occurrence_key DO NOTHING
         RETURNING 1
       )
       SELECT count(*)::int AS n FROM ins`,
      [
        JSON.stringify(
          rows.map((r) => ({
            shipment_id: r.id,
            retailer_id: r.retailer_id,
            occurrence_key: r.occurrence_key,
            exception_id: r.exceptionId,
            journey_event_id: r.journeyEventId,
            details: r.details,
          })),
        ),
        detector,
        at,
      ],
    );
    return recorded[0].n;
  }

  async lastSweep(db: EntityManager, name: string): Promise<{ started_at: Date; finished_at: Date | null } | undefined> {
    const rows: Array<{ started_at: Date; finished_at: Date | null }> = await db.query(
      `SELECT started_at, finished_at FROM detection_sweeps WHERE name = $1`,
      [name],
    );
    return rows[0];
  }

  async startSweep(db: EntityManager, name: string, at: Date): Promise<void> {
    await db.query(
      `INSERT INTO detection_sweeps (name, started_at) VALUES ($1, $2)
       ON CONFLICT (name) DO UPDATE SET started_at = EXCLUDED.started_at, finished_at = NULL, duration_ms = NULL`,
      [name, at],
    );
  }

  async finishSweep(db: EntityManager, name: string, at: Date, durationMs: number, fired: Record<string, number>): Promise<void> {
    await db.query(`UPDATE detection_sweeps SET finished_at = $2, duration_ms = $3, fired = $4 WHERE name = $1`, [
      name,
      at,
      Math.round(durationMs),
      JSON.stringify(fired),
    ]);
  }
}
