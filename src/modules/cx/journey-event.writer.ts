import { EntityManager } from 'typeorm';

/** A journey event written by the CX desk (the planner then decides whom to tell). */
export interface CxJourneyEvent {
  shipmentId: string;
  retailerId: string;
  type: string;
  payload: object;
  occurredAt: Date;
}

/**
 * Writes a batch of the CX desk's journey events (detections, estimate revisions, incident notices) into the
 * journey-event outbox in one statement, in the caller's transaction. Returns each one's id by shipment (so at
 * most one event per shipment in a batch when the ids matter).
 */
export async function insertJourneyEvents(tx: EntityManager, events: readonly CxJourneyEvent[]): Promise<Map<string, string>> {
  if (events.length === 0) return new Map();
  const rows: Array<{ id: string; shipment_id: string }> = await tx.query(
    `INSERT INTO journey_events (shipment_id, retailer_id, type, payload, occurred_at)
     SELECT e.shipment_id, e.retailer_id, e.type, e.payload, e.occurred_at
       FROM jsonb_to_recordset($1::jsonb) AS e(shipment_id uuid, retailer_id uuid, type text, payload jsonb, occurred_at timestamptz)
     RETURNING id::text, shipment_id`,
    [JSON.stringify(events.map((e) => ({ shipment_id: e.shipmentId, retailer_id: e.retailerId, type: e.type, payload: e.payload, occurred_at: e.occurredAt })))],
  );
  return new Map(rows.map((r) => [r.shipment_id, r.id]));
}
