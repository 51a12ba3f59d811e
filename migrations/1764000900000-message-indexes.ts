import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Every send rewrites its message row twice (claimed, then its outcome), and neither update can be HOT:
 * `status` sits in the partial indexes' predicates. So each index on `messages` costs two insertions per
 * message. `(retailer_id, shipment_id, created_at)` only ever served lookups that also name the shipment,
 * which `(shipment_id, channel, created_at)` already answers (a shipment has a handful of messages; the
 * retailer is then a filter), so it goes.
 */
export class MessageIndexes1764000900000 implements MigrationInterface {
  name = 'MessageIndexes1764000900000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`DROP INDEX IF EXISTS messages_retailer_shipment_idx`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`CREATE INDEX IF NOT EXISTS messages_retailer_shipment_idx ON messages (retailer_id, shipment_id, created_at)`);
  }
}
