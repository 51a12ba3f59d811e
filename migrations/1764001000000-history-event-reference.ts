import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * `shipment_status_history.tracking_event_id` keeps no foreign key. Its rows are written only by the journey's
 * one write statement, joined to the events that same statement inserted, and tracking events are never
 * deleted, so the reference cannot dangle; an integration test checks it after concurrent ingestion.
 *
 * The key cost more than it guarded. Its check (`SELECT 1 FROM tracking_events WHERE id = $1 FOR KEY SHARE`)
 * ran for every transition, locking a row the statement had just inserted (one more WAL record each), and
 * its plan is cached per connection when first used: on a new install `tracking_events` is empty then, the
 * cached plan is a sequential scan, and every transition scanned the whole growing table until autovacuum
 * analysed it (measured: 0.87 ms per transition at 10 000 events, 86 % of the write's time).
 */
export class HistoryEventReference1764001000000 implements MigrationInterface {
  name = 'HistoryEventReference1764001000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE shipment_status_history DROP CONSTRAINT IF EXISTS shipment_status_history_tracking_event_id_fkey`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`
      ALTER TABLE shipment_status_history ADD CONSTRAINT shipment_status_history_tracking_event_id_fkey
        FOREIGN KEY (tracking_event_id) REFERENCES tracking_events(id)`);
  }
}
