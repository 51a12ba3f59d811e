import { Injectable } from '@nestjs/common';
import { EntityManager } from 'typeorm';
import { PreparedStatement, runPrepared } from '../../database/prepared-statement';
import { EventCode, JourneyStatus } from './journey';

/** A shipment as read before deciding: `version` is what the write's guard checks. */
export interface ShipmentState {
  id: string;
  retailer_id: string;
  tracking_number: string;
  status: JourneyStatus;
  last_event_occurred_at: Date | null;
  version: number;
}

export interface HistoryEventRow {
  shipment_id: string;
  code: EventCode;
  occurred_at: Date;
  source: string;
  external_event_id: string;
}

/** A scan as received, resolved to its shipment. */
export interface TrackingEventFields {
  shipmentId: string;
  source: string;
  externalEventId: string;
  code: EventCode;
  originalCode: string;
  reason: string | null;
  occurredAt: Date;
  location: object;
  description: string | null;
  raw: unknown;
}

export interface NewEventRow extends TrackingEventFields {
  retailerId: string;
  outcome: 'applied' | 'recorded';
  late: boolean;
  statusBefore: JourneyStatus;
  statusAfter: JourneyStatus;
}

export interface ShipmentUpdateRow {
  id: string;
  /** The version the decision was made on: the write's guard. */
  version: number;
  status: JourneyStatus;
  rank: number;
  statusChangedAt: Date | null;
  lastEventOccurredAt: Date;
  deliveredAt: Date | null;
  returnRequestedAt: Date | null;
}

/** An event's identity, by which rows written in the same statement find its generated id. */
export interface EventRef {
  source: string;
  externalEventId: string;
}

export interface HistoryRow {
  shipmentId: string;
  retailerId: string;
  fromStatus: JourneyStatus | null;
  toStatus: JourneyStatus;
  event: EventRef;
  /** `replay`: a correction after late events changed what the history means. */
  cause: 'event' | 'replay';
  occurredAt: Date;
}

export interface JourneyEventRow {
  shipmentId: string;
  retailerId: string;
  type: string;
  payload: object;
  occurredAt: Date;
  event: EventRef;
}

export interface LockTarget {
  shipmentIds?: string[];
  trackingNumbers?: string[];
  /** Only this retailer's shipments (a retailer posting its own scans). */
  retailerId?: string;
}

export interface JourneyBatch {
  events: NewEventRow[];
  /** One per shipment that gets events. */
  updates: ShipmentUpdateRow[];
  history: HistoryRow[];
  journeyEvents: JourneyEventRow[];
}

/**
 * The shipments named, and with `stored` also which of the given events are already stored: rows of kind 's'
 * (a shipment), then of kind 'e' (a stored event), in one statement (one snapshot). Stored events are looked up
 * by their sources and ids as two arrays; pairing them is left to the caller, which asks only about its own keys.
 */
function readStatement(by: 'tracking_number' | 'id', lock: boolean, stored: boolean): PreparedStatement {
  const shipments = `SELECT id, retailer_id, tracking_number, status, last_event_occurred_at, version FROM shipments
          WHERE ${by === 'tracking_number' ? 'tracking_number = ANY($1::text[])' : 'id = ANY($1::uuid[])'}
            AND ($2::uuid IS NULL OR retailer_id = $2::uuid)${lock ? '\n          ORDER BY id FOR UPDATE' : ''}`;
  if (!stored) return { name: `journey_read_${by}${lock ? '_lock' : ''}`, text: shipments };
  return {
    name: `journey_read_${by}${lock ? '_lock' : ''}_stored`,
    text: `WITH s AS (${shipments})
       SELECT 's' AS kind, s.*, NULL AS source, NULL AS external_event_id FROM s
       UNION ALL
       SELECT 'e', NULL, NULL, NULL, NULL, NULL, NULL, e.source, e.external_event_id
         FROM tracking_events e WHERE e.source = ANY($3::text[]) AND e.external_event_id = ANY($4::text[])`,
  };
}

const READ = {
  tracking_number: {
    lock: { stored: readStatement('tracking_number', true, true), new: readStatement('tracking_number', true, false) },
    optimistic: { stored: readStatement('tracking_number', false, true), new: readStatement('tracking_number', false, false) },
  },
  id: {
    lock: { stored: readStatement('id', true, true), new: readStatement('id', true, false) },
    optimistic: { stored: readStatement('id', false, true), new: readStatement('id', false, false) },
  },
};
const LOAD_HISTORY: PreparedStatement = {
  name: 'journey_history',
  text: `SELECT shipment_id, code, occurred_at, source, external_event_id
           FROM tracking_events WHERE shipment_id = ANY($1::uuid[]) ORDER BY shipment_id, occurred_at, id`,
};

/**
 * Every write of a batch. `guard` locks, in id order, the shipments whose version is still the one the
 * decision was made on; only those shipments and their rows are written. Rows are passed as JSON ($1–$4).
 */
const WRITE_BATCH: PreparedStatement = {
  name: 'journey_write',
  text: `WITH guard AS (
         SELECT s.id FROM shipments s JOIN jsonb_to_recordset($1::jsonb) AS g(id uuid, version int) ON s.id = g.id AND s.version = g.version
          ORDER BY s.id FOR UPDATE OF s
       ), upd AS (
         UPDATE shipments s
            SET status = u.status, status_rank = u.rank,
                status_changed_at = COALESCE(u.status_changed_at, s.status_changed_at),
                last_event_occurred_at = GREATEST(s.last_event_occurred_at, u.last_event_occurred_at),
                delivered_at = COALESCE(u.delivered_at, s.delivered_at),
                return_requested_at = COALESCE(u.return_requested_at, s.return_requested_at),
                -- Derived, so the return leg opens in the same write as its transition.
                return_reference = CASE WHEN u.return_requested_at IS NOT NULL
                                        THEN COALESCE(s.return_reference, 'R' || s.tracking_number) ELSE s.return_reference END,
                version = s.version + 1,
                updated_at = CASE WHEN u.status <> s.status THEN $5::timestamptz ELSE s.updated_at END
           FROM jsonb_to_recordset($1::jsonb) AS u(id uuid, version int, status text, rank int, status_changed_at timestamptz,
                last_event_occurred_at timestamptz, delivered_at timestamptz, return_requested_at timestamptz)
          WHERE s.id = u.id AND s.id IN (SELECT id FROM guard)
          RETURNING s.id
       ), ins AS (
         INSERT INTO tracking_events (shipment_id, retailer_id, source, external_event_id, code, original_code, reason,
                occurred_at, location, description, raw, outcome, late, status_before, status_after)
         SELECT e.shipment_id, e.retailer_id, e.source, e.external_event_id, e.code, e.original_code, e.reason,
                e.occurred_at, e.location, e.description, e.raw, e.outcome, e.late, e.status_before, e.status_after
           FROM jsonb_to_recordset($2::jsonb) AS e(shipment_id uuid, retailer_id uuid, source text, external_event_id text, code text,
                original_code text, reason text, occurred_at timestamptz, location jsonb, description text, raw jsonb,
                outcome text, late boolean, status_before text, status_after text)
          WHERE e.shipment_id IN (SELECT id FROM guard)
         RETURNING id, source, external_event_id
       ), hist AS (
         INSERT INTO shipment_status_history (shipment_id, retailer_id, from_status, to_status, tracking_event_id, cause, occurred_at)
         SELECT h.shipment_id, h.retailer_id, h.from_status, h.to_status, ins.id, h.cause, h.occurred_at
           FROM jsonb_to_recordset($3::jsonb) AS h(shipment_id uuid, retailer_id uuid, from_status text, to_status text,
                source text, external_event_id text, cause text, occurred_at timestamptz)
           JOIN ins ON ins.source = h.source AND ins.external_event_id = h.external_event_id
       ), outbox AS (
         INSERT INTO journey_events (shipment_id, retailer_id, type, payload, occurred_at)
         SELECT j.shipment_id, j.retailer_id, j.type, j.payload || jsonb_build_object('trackingEventId', ins.id::text), j.occurred_at
           FROM jsonb_to_recordset($4::jsonb) AS j(shipment_id uuid, retailer_id uuid, type text, payload jsonb,
                occurred_at timestamptz, source text, external_event_id text)
           JOIN ins ON ins.source = j.source AND ins.external_event_id = j.external_event_id
       )
       SELECT (SELECT array_agg(id)::text[] FROM guard) AS written, (SELECT count(*) FROM ins)::int AS inserted`,
};

/**
 * Set-based SQL for the transition path. A batch of any size costs one read and one write statement,
 * whether optimistic (autocommit, no transaction) or, as the fallback under contention, inside a
 * transaction that locked the shipments first.
 */
@Injectable()
export class JourneyRepository {
  /**
   * The shipments named by `target`, and with `options.stored` which of the given events are already stored,
   * in one statement (one snapshot). `existing` may also hold keys of other stored events (an id stored under
   * another of the given sources): look up only the keys asked about. Without `stored`, `existing` is empty and
   * the write's unique (source, id) is what catches a repeat. With `lock` (inside a transaction), the shipments
   * are locked in id order, so that concurrent batches never deadlock.
   */
  async findShipmentsAndDuplicates(
    db: EntityManager,
    target: LockTarget,
    events: EventRef[],
    options: { lock: boolean; stored: boolean },
  ): Promise<{ shipments: ShipmentState[]; existing: Set<string> }> {
    const statement = READ[target.trackingNumbers ? 'tracking_number' : 'id'][options.lock ? 'lock' : 'optimistic'][options.stored ? 'stored' : 'new'];
    const params: unknown[] = [target.trackingNumbers ?? target.shipmentIds ?? [], target.retailerId ?? null];
    if (options.stored) params.push([...new Set(events.map((e) => e.source))], events.map((e) => e.externalEventId));
    const rows = await runPrepared<ShipmentState & { kind?: 's' | 'e'; source: string; external_event_id: string }>(db, statement, params);
    const shipments: ShipmentState[] = [];
    const existing = new Set<string>();
    for (const row of rows) {
      if (row.kind === 'e') existing.add(eventKey(row.source, row.external_event_id));
      else {
        shipments.push({
          id: row.id,
          retailer_id: row.retailer_id,
          tracking_number: row.tracking_number,
          status: row.status,
          last_event_occurred_at: row.last_event_occurred_at,
          version: row.version,
        });
      }
    }
    return { shipments, existing };
  }

  async loadHistory(db: EntityManager, shipmentIds: string[]): Promise<HistoryEventRow[]> {
    return runPrepared<HistoryEventRow>(db, LOAD_HISTORY, [shipmentIds]);
  }

  /**
   * Every write of a batch in one statement, guarded per shipment: a shipment's update, events, history and
   * outbox rows are written only if its `version` is still the one the decision was made on. Every write
   * bumps `version`, so a concurrent write to the shipment (a status move, or only an event that a replay
   * would have had to see) fails its guard, and the caller decides that shipment again. Run on its own it
   * commits atomically, without a transaction around it. An event already stored
   * (earlier, or concurrently) under the same (source, id) fails the statement with a unique violation (no ON CONFLICT:
   * a skipped insert would leave its update behind). Shipment updates leave indexed columns untouched when
   * the status does not move, so those stay HOT updates.
   * Returns the shipments that passed the guard (and were written) and how many events were inserted.
   */
  async writeBatch(db: EntityManager, batch: JourneyBatch, now: Date): Promise<{ written: Set<string>; inserted: number }> {
    const { events, updates, history, journeyEvents } = batch;
    const [row] = await runPrepared<{ written: string[] | null; inserted: number }>(db, WRITE_BATCH, [
      JSON.stringify(
        updates.map((r) => ({
          id: r.id,
          version: r.version,
          status: r.status,
          rank: r.rank,
          status_changed_at: r.statusChangedAt,
          last_event_occurred_at: r.lastEventOccurredAt,
          delivered_at: r.deliveredAt,
          return_requested_at: r.returnRequestedAt,
        })),
      ),
      JSON.stringify(
        events.map((r) => ({
          shipment_id: r.shipmentId,
          retailer_id: r.retailerId,
          source: r.source,
          external_event_id: r.externalEventId,
          code: r.code,
          original_code: r.originalCode,
          reason: r.reason,
          occurred_at: r.occurredAt,
          location: r.location,
          description: r.description,
          raw: r.raw ?? null,
          outcome: r.outcome,
          late: r.late,
          status_before: r.statusBefore,
          status_after: r.statusAfter,
        })),
      ),
      JSON.stringify(
        history.map((r) => ({
          shipment_id: r.shipmentId,
          retailer_id: r.retailerId,
          from_status: r.fromStatus,
          to_status: r.toStatus,
          source: r.event.source,
          external_event_id: r.event.externalEventId,
          cause: r.cause,
          occurred_at: r.occurredAt,
        })),
      ),
      JSON.stringify(
        journeyEvents.map((r) => ({
          shipment_id: r.shipmentId,
          retailer_id: r.retailerId,
          type: r.type,
          payload: r.payload,
          occurred_at: r.occurredAt,
          source: r.event.source,
          external_event_id: r.event.externalEventId,
        })),
      ),
      now,
    ]);
    return { written: new Set(row.written ?? []), inserted: row.inserted };
  }
}

export function eventKey(source: string, externalEventId: string): string {
  return `${source}\u0000${externalEventId}`;
}
