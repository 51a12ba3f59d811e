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

export interface HistoryRow {
  shipmentId: string;
  retailerId: string;
  fromStatus: JourneyStatus | null;
  toStatus: JourneyStatus;
  eventKey: string | null;
  /** `replay`: a correction after late events changed what the history means. */
  cause: 'event' | 'replay' | 'booking';
  occurredAt: Date;
}

export interface JourneyEventRow {
  shipmentId: string;
  retailerId: string;
  type: string;
  payload: object;
  occurredAt: Date;
}

/** Set-based SQL for the transition path: one statement per step, whatever the batch size. */
@Injectable()
export class JourneyRepository {
  /** Locks the shipments in id order, so that concurrent batches never deadlock. */
  async lockShipments(tx: EntityManager, ids: string[]): Promise<LockedShipment[]> {
    return tx.query(
      `SELECT id, retailer_id, tracking_number, status, last_event_occurred_at
         FROM shipments WHERE id = ANY($1::uuid[]) ORDER BY id FOR UPDATE`,
      [ids],
    );
  }

  async findExistingEventKeys(tx: EntityManager, sources: string[], externalIds: string[]): Promise<Set<string>> {
    const rows: { source: string; external_event_id: string }[] = await tx.query(
      `SELECT e.source, e.external_event_id FROM tracking_events e
         JOIN unnest($1::text[], $2::text[]) AS k(source, external_event_id)
           ON e.source = k.source AND e.external_event_id = k.external_event_id`,
      [sources, externalIds],
    );
    return new Set(rows.map((r) => eventKey(r.source, r.external_event_id)));
  }

  async loadHistory(tx: EntityManager, shipmentIds: string[]): Promise<HistoryEventRow[]> {
    return tx.query(
      `SELECT shipment_id, code, occurred_at, source, external_event_id
         FROM tracking_events WHERE shipment_id = ANY($1::uuid[]) ORDER BY shipment_id, occurred_at, id`,
      [shipmentIds],
    );
  }

  /** Inserts events; returns the keys of those inserted (a conflict means a concurrent duplicate). */
  async insertEvents(tx: EntityManager, rows: NewEventRow[]): Promise<Map<string, string>> {
    if (rows.length === 0) return new Map();
    const inserted: { id: string; source: string; external_event_id: string }[] = await tx.query(
      `INSERT INTO tracking_events (shipment_id, retailer_id, source, external_event_id, code, original_code, reason,
              occurred_at, location, description, raw, outcome, late, status_before, status_after)
       SELECT * FROM unnest($1::uuid[], $2::uuid[], $3::text[], $4::text[], $5::text[], $6::text[], $7::text[],
              $8::timestamptz[], $9::jsonb[], $10::text[], $11::jsonb[], $12::text[], $13::boolean[], $14::text[], $15::text[])
       ON CONFLICT (source, external_event_id) DO NOTHING
       RETURNING id, source, external_event_id`,
      [
        rows.map((r) => r.shipmentId),
        rows.map((r) => r.retailerId),
        rows.map((r) => r.source),
        rows.map((r) => r.externalEventId),
        rows.map((r) => r.code),
        rows.map((r) => r.originalCode),
        rows.map((r) => r.reason),
        rows.map((r) => r.occurredAt),
        rows.map((r) => JSON.stringify(r.location)),
        rows.map((r) => r.description),
        rows.map((r) => (r.raw === undefined ? null : JSON.stringify(r.raw))),
        rows.map((r) => r.outcome),
        rows.map((r) => r.late),
        rows.map((r) => r.statusBefore),
        rows.map((r) => r.statusAfter),
      ],
    );
    return new Map(inserted.map((r) => [eventKey(r.source, r.external_event_id), String(r.id)]));
  }

  /** The guarded write: each row updates only if the shipment is still in `fromStatus`. Returns the count. */
  async updateShipments(tx: EntityManager, rows: ShipmentUpdateRow[], now: Date): Promise<number> {
    if (rows.length === 0) return 0;
    // Wrapped in a CTE so the driver returns plain rows (TypeORM returns [rows, count] for a bare UPDATE).
    const [{ n }]: { n: number }[] = await tx.query(
      `WITH updated AS (UPDATE shipments s
          SET status = u.status, status_rank = u.rank,
              status_changed_at = COALESCE(u.status_changed_at, s.status_changed_at),
              last_event_occurred_at = GREATEST(s.last_event_occurred_at, u.last_event_occurred_at),
              delivered_at = COALESCE(u.delivered_at, s.delivered_at),
              return_requested_at = COALESCE(u.return_requested_at, s.return_requested_at),
              -- The return reference is derived, so the return leg opens in the same write as its transition.
              return_reference = CASE WHEN u.return_requested_at IS NOT NULL
                                      THEN COALESCE(s.return_reference, 'R' || s.tracking_number) ELSE s.return_reference END,
              version = s.version + 1, updated_at = $9
         FROM unnest($1::uuid[], $2::text[], $3::text[], $4::int[], $5::timestamptz[], $6::timestamptz[],
                     $7::timestamptz[], $8::timestamptz[])
              AS u(id, from_status, status, rank, status_changed_at, last_event_occurred_at, delivered_at, return_requested_at)
        WHERE s.id = u.id AND s.status = u.from_status
        RETURNING s.id) SELECT count(*)::int AS n FROM updated`,
      [
        rows.map((r) => r.id),
        rows.map((r) => r.fromStatus),
        rows.map((r) => r.status),
        rows.map((r) => r.rank),
        rows.map((r) => r.statusChangedAt),
        rows.map((r) => r.lastEventOccurredAt),
        rows.map((r) => r.deliveredAt),
        rows.map((r) => r.returnRequestedAt),
        now,
      ],
    );
    return n;
  }

  async insertHistory(tx: EntityManager, rows: HistoryRow[], eventIds: Map<string, string>): Promise<void> {
    if (rows.length === 0) return;
    await tx.query(
      `INSERT INTO shipment_status_history (shipment_id, retailer_id, from_status, to_status, tracking_event_id, cause, occurred_at)
       SELECT * FROM unnest($1::uuid[], $2::uuid[], $3::text[], $4::text[], $5::bigint[], $6::text[], $7::timestamptz[])`,
      [
        rows.map((r) => r.shipmentId),
        rows.map((r) => r.retailerId),
        rows.map((r) => r.fromStatus),
        rows.map((r) => r.toStatus),
        rows.map((r) => (r.eventKey ? (eventIds.get(r.eventKey) ?? null) : null)),
        rows.map((r) => r.cause),
        rows.map((r) => r.occurredAt),
      ],
    );
  }

  async insertJourneyEvents(tx: EntityManager, rows: JourneyEventRow[]): Promise<void> {
    if (rows.length === 0) return;
    await tx.query(
      `INSERT INTO journey_events (shipment_id, retailer_id, type, payload, occurred_at)
       SELECT * FROM unnest($1::uuid[], $2::uuid[], $3::text[], $4::jsonb[], $5::timestamptz[])`,
      [
        rows.map((r) => r.shipmentId),
        rows.map((r) => r.retailerId),
        rows.map((r) => r.type),
        rows.map((r) => JSON.stringify(r.payload)),
        rows.map((r) => r.occurredAt),
      ],
    );
  }
}

export function eventKey(source: string, externalEventId: string): string {
  return `${source}\u0000${externalEventId}`;
}
