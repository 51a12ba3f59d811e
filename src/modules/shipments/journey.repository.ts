import { Injectable } from '@nestjs/common';
import { EntityManager } from 'typeorm';
import { EventCode, JourneyStatus } from './journey';

export interface LockedShipment {
  id: string;
  retailer_id: string;
  tracking_number: string;
  status: JourneyStatus;
  last_event_occurred_at: Date | null;
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
  fromStatus: JourneyStatus;
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

/**
 * Set-based SQL for the transition path. A batch of any size costs two statements inside its
 * transaction: one that locks the shipments and finds the events already stored, and one that writes
 * events, guarded shipment updates, status history and journey-event outbox rows together.
 */
@Injectable()
export class JourneyRepository {
  /**
   * Locks the shipments in id order (so concurrent batches never deadlock) and returns which of the
   * given events are already stored. Duplicates that commit while we wait for a lock are not seen here;
   * the insert's ON CONFLICT catches those, and the caller retries.
   */
  async lockShipmentsAndFindDuplicates(
    tx: EntityManager,
    target: LockTarget,
    events: EventRef[],
  ): Promise<{ shipments: LockedShipment[]; existing: Set<string> }> {
    const rows: (LockedShipment & { existing: [string, string][] })[] = await tx.query(
      `WITH locked AS (
         SELECT id, retailer_id, tracking_number, status, last_event_occurred_at FROM shipments
          WHERE ${target.trackingNumbers ? 'tracking_number = ANY($1::text[])' : 'id = ANY($1::uuid[])'}
            AND ($2::uuid IS NULL OR retailer_id = $2::uuid)
          ORDER BY id FOR UPDATE)
       SELECT l.*, (SELECT COALESCE(json_agg(json_build_array(e.source, e.external_event_id)), '[]'::json)
                      FROM tracking_events e
                      JOIN unnest($3::text[], $4::text[]) AS k(source, external_event_id)
                        ON e.source = k.source AND e.external_event_id = k.external_event_id) AS existing
         FROM locked l`,
      [
        target.trackingNumbers ?? target.shipmentIds ?? [],
        target.retailerId ?? null,
        events.map((e) => e.source),
        events.map((e) => e.externalEventId),
      ],
    );
    const existing = new Set((rows[0]?.existing ?? []).map(([source, id]) => eventKey(source, id)));
    return { shipments: rows.map(({ existing: _existing, ...shipment }) => shipment), existing };
  }

  async loadHistory(tx: EntityManager, shipmentIds: string[]): Promise<HistoryEventRow[]> {
    return tx.query(
      `SELECT shipment_id, code, occurred_at, source, external_event_id
         FROM tracking_events WHERE shipment_id = ANY($1::uuid[]) ORDER BY shipment_id, occurred_at, id`,
      [shipmentIds],
    );
  }

  /**
   * One statement for every write of a batch. Shipment updates are guarded (`status = from_status`) and
   * leave indexed columns untouched when the status does not move, so those stay HOT updates.
   * Returns how many events were inserted and shipments updated; the caller retries on a shortfall.
   */
  async writeBatch(
    tx: EntityManager,
    batch: { events: NewEventRow[]; updates: ShipmentUpdateRow[]; history: HistoryRow[]; journeyEvents: JourneyEventRow[] },
    now: Date,
  ): Promise<{ inserted: number; updated: number }> {
    const { events, updates, history, journeyEvents } = batch;
    const [counts]: { inserted: number; updated: number }[] = await tx.query(
      `WITH ins AS (
         INSERT INTO tracking_events (shipment_id, retailer_id, source, external_event_id, code, original_code, reason,
                occurred_at, location, description, raw, outcome, late, status_before, status_after)
         SELECT * FROM unnest($1::uuid[], $2::uuid[], $3::text[], $4::text[], $5::text[], $6::text[], $7::text[],
                $8::timestamptz[], $9::jsonb[], $10::text[], $11::jsonb[], $12::text[], $13::boolean[], $14::text[], $15::text[])
         ON CONFLICT (source, external_event_id) DO NOTHING
         RETURNING id, source, external_event_id
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
                updated_at = CASE WHEN u.status <> s.status THEN $24::timestamptz ELSE s.updated_at END
           FROM unnest($16::uuid[], $17::text[], $18::text[], $19::int[], $20::timestamptz[], $21::timestamptz[],
                       $22::timestamptz[], $23::timestamptz[])
                AS u(id, from_status, status, rank, status_changed_at, last_event_occurred_at, delivered_at, return_requested_at)
          WHERE s.id = u.id AND s.status = u.from_status
          RETURNING s.id
       ), hist AS (
         INSERT INTO shipment_status_history (shipment_id, retailer_id, from_status, to_status, tracking_event_id, cause, occurred_at)
         SELECT h.shipment_id, h.retailer_id, h.from_status, h.to_status, ins.id, h.cause, h.occurred_at
           FROM unnest($25::uuid[], $26::uuid[], $27::text[], $28::text[], $29::text[], $30::text[], $31::text[], $32::timestamptz[])
                AS h(shipment_id, retailer_id, from_status, to_status, source, external_event_id, cause, occurred_at)
           LEFT JOIN ins ON ins.source = h.source AND ins.external_event_id = h.external_event_id
       ), outbox AS (
         INSERT INTO journey_events (shipment_id, retailer_id, type, payload, occurred_at)
         SELECT j.shipment_id, j.retailer_id, j.type, j.payload || jsonb_build_object('trackingEventId', ins.id::text), j.occurred_at
           FROM unnest($33::uuid[], $34::uuid[], $35::text[], $36::jsonb[], $37::timestamptz[], $38::text[], $39::text[])
                AS j(shipment_id, retailer_id, type, payload, occurred_at, source, external_event_id)
           LEFT JOIN ins ON ins.source = j.source AND ins.external_event_id = j.external_event_id
       )
       SELECT (SELECT count(*) FROM ins)::int AS inserted, (SELECT count(*) FROM upd)::int AS updated`,
      [
        events.map((r) => r.shipmentId),
        events.map((r) => r.retailerId),
        events.map((r) => r.source),
        events.map((r) => r.externalEventId),
        events.map((r) => r.code),
        events.map((r) => r.originalCode),
        events.map((r) => r.reason),
        events.map((r) => r.occurredAt),
        events.map((r) => JSON.stringify(r.location)),
        events.map((r) => r.description),
        events.map((r) => (r.raw === undefined ? null : JSON.stringify(r.raw))),
        events.map((r) => r.outcome),
        events.map((r) => r.late),
        events.map((r) => r.statusBefore),
        events.map((r) => r.statusAfter),
        updates.map((r) => r.id),
        updates.map((r) => r.fromStatus),
        updates.map((r) => r.status),
        updates.map((r) => r.rank),
        updates.map((r) => r.statusChangedAt),
        updates.map((r) => r.lastEventOccurredAt),
        updates.map((r) => r.deliveredAt),
        updates.map((r) => r.returnRequestedAt),
        now,
        history.map((r) => r.shipmentId),
        history.map((r) => r.retailerId),
        history.map((r) => r.fromStatus),
        history.map((r) => r.toStatus),
        history.map((r) => r.event.source),
        history.map((r) => r.event.externalEventId),
        history.map((r) => r.cause),
        history.map((r) => r.occurredAt),
        journeyEvents.map((r) => r.shipmentId),
        journeyEvents.map((r) => r.retailerId),
        journeyEvents.map((r) => r.type),
        journeyEvents.map((r) => JSON.stringify(r.payload)),
        journeyEvents.map((r) => r.occurredAt),
        journeyEvents.map((r) => r.event.source),
        journeyEvents.map((r) => r.event.externalEventId),
      ],
    );
    return counts;
  }
}

export function eventKey(source: string, externalEventId: string): string {
  return `${source}\u0000${externalEventId}`;
}
