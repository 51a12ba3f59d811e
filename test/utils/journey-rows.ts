import { DataSource } from 'typeorm';

/** Read-side helpers for integration tests of the journey path: what a shipment has in each table. */
export interface ShipmentRows {
  status: string;
  lastEventOccurredAt: Date | null;
  events: { source: string; external_event_id: string; code: string; outcome: string; late: boolean; raw: unknown }[];
  history: { from_status: string | null; to_status: string; cause: string; tracking_event_id: string | null }[];
  journeyEvents: { type: string; payload: Record<string, unknown> }[];
}

export async function shipmentRows(db: DataSource, shipmentId: string): Promise<ShipmentRows> {
  const [shipment] = await db.query(`SELECT status, last_event_occurred_at FROM shipments WHERE id = $1`, [shipmentId]);
  const events = await db.query(
    `SELECT source, external_event_id, code, outcome, late, raw FROM tracking_events WHERE shipment_id = $1 ORDER BY id`,
    [shipmentId],
  );
  const history = await db.query(
    `SELECT from_status, to_status, cause, tracking_event_id::text AS tracking_event_id
       FROM shipment_status_history WHERE shipment_id = $1 ORDER BY id`,
    [shipmentId],
  );
  const journeyEvents = await db.query(`SELECT type, payload FROM journey_events WHERE shipment_id = $1 ORDER BY id`, [shipmentId]);
  return {
    status: shipment.status,
    lastEventOccurredAt: shipment.last_event_occurred_at ? new Date(shipment.last_event_occurred_at) : null,
    events,
    history,
    journeyEvents,
  };
}

/** Row counts of the tables a journey transition writes, for "nothing was written" assertions. */
export async function journeyTableCounts(db: DataSource, shipmentId: string): Promise<Record<string, number>> {
  const [row] = await db.query(
    `SELECT (SELECT count(*)::int FROM tracking_events WHERE shipment_id = $1) AS tracking_events,
            (SELECT count(*)::int FROM shipment_status_history WHERE shipment_id = $1) AS history,
            (SELECT count(*)::int FROM journey_events WHERE shipment_id = $1) AS journey_events,
            (SELECT version FROM shipments WHERE id = $1) AS version`,
    [shipmentId],
  );
  return row;
}
