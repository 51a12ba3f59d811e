import { MigrationInterface, QueryRunner } from 'typeorm';

/** Statuses a parcel can still sit in without news: the scan-gap, customs and pickup detectors look only at these. */
const OPEN_STATUSES = `('booked', 'collected', 'in_transit', 'at_customs', 'customs_hold', 'cleared', 'out_for_delivery',
  'delivery_attempted', 'available_for_pickup', 'return_requested', 'return_in_transit')`;
/** Statuses in which an estimated delivery date can still be missed. */
const EDD_STATUSES = `('booked', 'collected', 'in_transit', 'at_customs', 'customs_hold', 'cleared', 'out_for_delivery')`;

/**
 * Proactive detection and the estimated delivery date.
 *
 * - `detections`: one row per firing, unique per (shipment, detector, occurrence), so a detector fires once
 *   per occurrence however often and however many workers sweep.
 * - `detection_sweeps`: when each sweep last ran, so that workers on a timer do not repeat one another.
 * - `journey_events.edd_processed_at`: the estimated-delivery loop's progress through the outbox.
 * - Indexes that drive every detector query. None of them covers `last_event_occurred_at`: a scan that does not
 *   move the status changes only that column (and `version`), and the ingest path relies on such updates being
 *   HOT (no index touched). The scan-gap detector therefore ranges over `(status, status_changed_at)`, which only
 *   status moves change (and a move rewrites the status-keyed indexes anyway), and rechecks the last scan on the
 *   rows the range returns: the last activity is never earlier than the status change, so the range is a
 *   superset of the answer.
 */
export class Detection1764000700000 implements MigrationInterface {
  name = 'Detection1764000700000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE detections (
        id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
        shipment_id uuid NOT NULL REFERENCES shipments(id),
        retailer_id uuid NOT NULL,
        detector text NOT NULL CHECK (detector IN ('scan_gap', 'edd_missed', 'customs_hold_overdue', 'pickup_expiring', 'information_overdue')),
        -- What makes this occurrence itself: e.g. the status and when it last had news, or the missed estimate.
        occurrence_key text NOT NULL,
        exception_id uuid REFERENCES exceptions(id),
        journey_event_id bigint,
        details jsonb NOT NULL DEFAULT '{}',
        detected_at timestamptz NOT NULL,
        CONSTRAINT detections_occurrence_key UNIQUE (shipment_id, detector, occurrence_key)
      )`);
    await q.query(`CREATE INDEX detections_retailer_detected_idx ON detections (retailer_id, detected_at)`);

    await q.query(`
      CREATE TABLE detection_sweeps (
        name text PRIMARY KEY,
        started_at timestamptz NOT NULL,
        finished_at timestamptz,
        duration_ms integer,
        fired jsonb NOT NULL DEFAULT '{}'
      )`);

    // Scan gap (per status), customs hold overdue, pickup expiring: a range on the time the status began.
    await q.query(`CREATE INDEX shipments_open_status_changed_idx ON shipments (status, status_changed_at) WHERE status IN ${OPEN_STATUSES}`);
    // The estimate missed: a range on its end, among parcels still on their way.
    await q.query(`
      CREATE INDEX shipments_edd_due_idx ON shipments (estimated_delivery_to)
       WHERE estimated_delivery_to IS NOT NULL AND status IN ${EDD_STATUSES}`);
    // Information still missing a day after booking: few rows, by booking time.
    await q.query(`CREATE INDEX shipments_needs_information_idx ON shipments (created_at) WHERE compliance_status = 'needs_information'`);
    // Observed transit times: deliveries on one lane (destination, origin) in a window.
    await q.query(`
      CREATE INDEX shipments_lane_delivered_idx ON shipments (destination_country, (origin->>'country'), delivered_at)
       WHERE delivered_at IS NOT NULL`);

    // Rows already in the outbox are history, not news: a constant default marks them processed without
    // rewriting the table, and is then dropped so that new rows arrive unprocessed.
    await q.query(`ALTER TABLE journey_events ADD COLUMN edd_processed_at timestamptz DEFAULT '1970-01-01T00:00:00Z'`);
    await q.query(`ALTER TABLE journey_events ALTER COLUMN edd_processed_at DROP DEFAULT`);
    await q.query(`CREATE INDEX journey_events_edd_unprocessed_idx ON journey_events (id) WHERE edd_processed_at IS NULL`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP INDEX IF EXISTS journey_events_edd_unprocessed_idx`);
    await q.query(`ALTER TABLE journey_events DROP COLUMN IF EXISTS edd_processed_at`);
    await q.query(`DROP INDEX IF EXISTS shipments_lane_delivered_idx`);
    await q.query(`DROP INDEX IF EXISTS shipments_needs_information_idx`);
    await q.query(`DROP INDEX IF EXISTS shipments_edd_due_idx`);
    await q.query(`DROP INDEX IF EXISTS shipments_open_status_changed_idx`);
    await q.query(`DROP TABLE IF EXISTS detection_sweeps`);
    await q.query(`DROP TABLE IF EXISTS detections`);
  }
}
