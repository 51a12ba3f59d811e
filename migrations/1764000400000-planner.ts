import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The planner: journey events it has yet to plan; what each message is about (kind, milestone and its rank,
 * audience, locale, the consignee's local day for the SMS cap); contact preferences (STOP, unsubscribe) kept
 * as hashes of the contact; and each retailer's notification settings.
 */
export class Planner1764000400000 implements MigrationInterface {
  name = 'Planner1764000400000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE journey_events ADD COLUMN planned_at timestamptz`);
    await q.query(`CREATE INDEX journey_events_unplanned_idx ON journey_events (id) WHERE planned_at IS NULL`);

    await q.query(`
      ALTER TABLE messages
        ADD COLUMN audience text NOT NULL DEFAULT 'consignee' CHECK (audience IN ('consignee', 'retailer', 'webhook')),
        ADD COLUMN milestone text,
        ADD COLUMN milestone_rank integer,
        ADD COLUMN critical boolean NOT NULL DEFAULT false,
        ADD COLUMN locale text,
        ADD COLUMN local_day date,
        ADD COLUMN journey_event_id bigint,
        ADD COLUMN deferred_reason text,
        ADD COLUMN sms_encoding text,
        ADD COLUMN sms_segments integer,
        ADD COLUMN status_history jsonb NOT NULL DEFAULT '[]'`);
    // Supersede and the SMS cap look at one shipment's messages on one channel.
    await q.query(`CREATE INDEX messages_shipment_channel_idx ON messages (shipment_id, channel, created_at)`);
    await q.query(`CREATE INDEX messages_recipient_idx ON messages (channel, recipient, created_at)`);

    await q.query(`
      CREATE TABLE contact_preferences (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        retailer_id uuid NOT NULL REFERENCES retailers(id),
        channel text NOT NULL CHECK (channel IN ('email', 'sms')),
        contact_hash text NOT NULL,
        shipment_id uuid REFERENCES shipments(id),
        opted_out boolean NOT NULL,
        source text NOT NULL,
        created_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now()
      )`);
    // One row per scope: the retailer (shipment_id NULL) or one shipment.
    await q.query(`
      CREATE UNIQUE INDEX contact_preferences_scope_key
        ON contact_preferences (retailer_id, channel, contact_hash, coalesce(shipment_id, '00000000-0000-0000-0000-000000000000'))`);

    // Replies from consignees (an SMS that is not a keyword), for the CX desk. The text is theirs: never logged.
    await q.query(`
      CREATE TABLE customer_replies (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        retailer_id uuid NOT NULL REFERENCES retailers(id),
        shipment_id uuid REFERENCES shipments(id),
        channel text NOT NULL CHECK (channel IN ('sms', 'email')),
        contact_hash text NOT NULL,
        body text NOT NULL,
        provider_message_id text,
        received_at timestamptz NOT NULL DEFAULT now()
      )`);
    await q.query(`CREATE INDEX customer_replies_retailer_idx ON customer_replies (retailer_id, received_at)`);
    await q.query(`CREATE INDEX customer_replies_shipment_idx ON customer_replies (shipment_id, received_at)`);

    await q.query(`
      CREATE TABLE retailer_notification_settings (
        retailer_id uuid PRIMARY KEY REFERENCES retailers(id),
        channels jsonb NOT NULL DEFAULT '{}',
        branding jsonb NOT NULL DEFAULT '{}',
        language jsonb NOT NULL DEFAULT '{}',
        sms_daily_cap integer NOT NULL DEFAULT 3 CHECK (sms_daily_cap BETWEEN 0 AND 50),
        retailer_email text,
        template_overrides jsonb NOT NULL DEFAULT '{}',
        updated_at timestamptz NOT NULL DEFAULT now()
      )`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE IF EXISTS retailer_notification_settings`);
    await q.query(`DROP TABLE IF EXISTS customer_replies`);
    await q.query(`DROP TABLE IF EXISTS contact_preferences`);
    await q.query(`DROP INDEX IF EXISTS messages_recipient_idx`);
    await q.query(`DROP INDEX IF EXISTS messages_shipment_channel_idx`);
    await q.query(`
      ALTER TABLE messages DROP COLUMN IF EXISTS audience, DROP COLUMN IF EXISTS milestone, DROP COLUMN IF EXISTS milestone_rank,
        DROP COLUMN IF EXISTS critical, DROP COLUMN IF EXISTS locale, DROP COLUMN IF EXISTS local_day,
        DROP COLUMN IF EXISTS journey_event_id, DROP COLUMN IF EXISTS deferred_reason, DROP COLUMN IF EXISTS sms_encoding,
        DROP COLUMN IF EXISTS sms_segments, DROP COLUMN IF EXISTS status_history`);
    await q.query(`DROP INDEX IF EXISTS journey_events_unplanned_idx`);
    await q.query(`ALTER TABLE journey_events DROP COLUMN IF EXISTS planned_at`);
  }
}
