import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The message outbox: one row per message owed to a recipient on a channel, written by the planner in the
 * transaction that decides it, and claimed by dispatchers with FOR UPDATE SKIP LOCKED under a lease.
 */
export class Messages1764000200000 implements MigrationInterface {
  name = 'Messages1764000200000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE messages (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        retailer_id uuid NOT NULL REFERENCES retailers(id),
        shipment_id uuid REFERENCES shipments(id),
        channel text NOT NULL CHECK (channel IN ('email', 'sms', 'webhook')),
        recipient text NOT NULL,
        template text NOT NULL,
        dedupe_key text NOT NULL UNIQUE,
        status text NOT NULL DEFAULT 'pending'
          CHECK (status IN ('pending', 'sending', 'sent', 'delivered', 'undelivered', 'failed', 'dead', 'skipped')),
        skip_reason text,
        payload jsonb NOT NULL,
        attempts integer NOT NULL DEFAULT 0,
        max_attempts integer NOT NULL CHECK (max_attempts > 0),
        next_attempt_at timestamptz NOT NULL DEFAULT now(),
        lease_until timestamptz,
        provider_message_id text,
        last_error_code text,
        last_error text,
        sent_at timestamptz,
        created_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now()
      )`);
    await q.query(`CREATE INDEX messages_due_idx ON messages (next_attempt_at) WHERE status = 'pending'`);
    await q.query(`CREATE INDEX messages_lease_idx ON messages (lease_until) WHERE status = 'sending'`);
    await q.query(`CREATE INDEX messages_retailer_shipment_idx ON messages (retailer_id, shipment_id, created_at)`);
    await q.query(`CREATE INDEX messages_dead_idx ON messages (updated_at) WHERE status = 'dead'`);
    await q.query(`CREATE INDEX messages_provider_idx ON messages (provider_message_id) WHERE provider_message_id IS NOT NULL`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE IF EXISTS messages`);
  }
}
