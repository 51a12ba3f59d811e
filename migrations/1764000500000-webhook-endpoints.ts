import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Retailer webhook endpoints. Signing secrets are sealed (AES-256-GCM, common/secrets/secret-box.ts), never
 * hashed: Passage signs with them. During a rotation the previous secret signs beside the current one until
 * it expires. Deliveries are rows of the message outbox (channel `webhook`, recipient = endpoint id), so the
 * delivery log is an index on messages.
 */
export class WebhookEndpoints1764000500000 implements MigrationInterface {
  name = 'WebhookEndpoints1764000500000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE webhook_endpoints (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        retailer_id uuid NOT NULL REFERENCES retailers(id),
        url text NOT NULL,
        description text,
        event_types text[] NOT NULL CHECK (cardinality(event_types) > 0),
        secret_sealed text NOT NULL,
        previous_secret_sealed text,
        previous_secret_expires_at timestamptz,
        status text NOT NULL DEFAULT 'enabled' CHECK (status IN ('enabled', 'disabled')),
        disabled_reason text CHECK (disabled_reason IN ('manual', 'consecutive_failures')),
        failing_since timestamptz,
        last_success_at timestamptz,
        last_failure_at timestamptz,
        last_failure_code text,
        created_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now(),
        CHECK ((previous_secret_sealed IS NULL) = (previous_secret_expires_at IS NULL)),
        CHECK ((status = 'disabled') = (disabled_reason IS NOT NULL))
      )`);
    await q.query(`CREATE INDEX webhook_endpoints_retailer_idx ON webhook_endpoints (retailer_id, created_at, id)`);
    // The delivery log of one endpoint, newest first.
    await q.query(
      `CREATE INDEX messages_webhook_deliveries_idx ON messages (retailer_id, recipient, created_at DESC, id DESC) WHERE channel = 'webhook'`,
    );
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP INDEX IF EXISTS messages_webhook_deliveries_idx`);
    await q.query(`DROP TABLE IF EXISTS webhook_endpoints`);
  }
}
