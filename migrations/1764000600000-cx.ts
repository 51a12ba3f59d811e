import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The CX desk's core: exceptions (a problem on a shipment that someone must work) and their event log, the
 * projector's progress through the journey-event outbox, and admin users with roles (their tokens are
 * admin api keys linked to the user).
 */
export class Cx1764000600000 implements MigrationInterface {
  name = 'Cx1764000600000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE exceptions (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        retailer_id uuid NOT NULL REFERENCES retailers(id),
        shipment_id uuid NOT NULL REFERENCES shipments(id),
        type text NOT NULL CHECK (type IN ('delay', 'customs_hold', 'failed_attempt', 'address_issue', 'damaged', 'lost',
                                           'needs_information', 'pickup_expiring', 'customer_reply', 'return_issue')),
        severity text NOT NULL CHECK (severity IN ('low', 'medium', 'high', 'critical')),
        status text NOT NULL DEFAULT 'open' CHECK (status IN ('open', 'in_progress', 'waiting_customer', 'resolved')),
        assignee_id uuid,
        source text NOT NULL CHECK (source IN ('event', 'detector', 'agent', 'inbound')),
        -- Copied from the shipment when opened, so that the desk's country filter is an index of this table.
        destination_country char(2),
        sla_due_at timestamptz NOT NULL,
        opened_at timestamptz NOT NULL,
        first_touch_at timestamptz,
        touches integer NOT NULL DEFAULT 0,
        resolved_at timestamptz,
        resolution_code text,
        reopened_count integer NOT NULL DEFAULT 0,
        last_reopened_at timestamptz,
        incident_id uuid,
        consignee_notified_at timestamptz,
        occurrence_key text,
        created_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now(),
        CHECK ((status = 'resolved') = (resolved_at IS NOT NULL))
      )`);
    // At most one exception open per shipment and type: opening is INSERT … ON CONFLICT DO NOTHING against it.
    await q.query(`CREATE UNIQUE INDEX exceptions_open_key ON exceptions (shipment_id, type) WHERE status <> 'resolved'`);
    // The admin list: each filter leads an index, with (opened_at, id) or (sla_due_at, id) for the keyset.
    await q.query(`CREATE INDEX exceptions_status_opened_idx ON exceptions (status, opened_at, id)`);
    await q.query(`CREATE INDEX exceptions_retailer_status_opened_idx ON exceptions (retailer_id, status, opened_at, id)`);
    await q.query(`CREATE INDEX exceptions_assignee_status_idx ON exceptions (assignee_id, status, opened_at, id) WHERE assignee_id IS NOT NULL`);
    await q.query(`CREATE INDEX exceptions_incident_idx ON exceptions (incident_id, opened_at, id) WHERE incident_id IS NOT NULL`);
    await q.query(`CREATE INDEX exceptions_type_status_sla_idx ON exceptions (type, status, sla_due_at, id)`);
    await q.query(`CREATE INDEX exceptions_country_status_opened_idx ON exceptions (destination_country, status, opened_at, id)`);
    await q.query(`CREATE INDEX exceptions_unresolved_sla_idx ON exceptions (sla_due_at, id) WHERE status <> 'resolved'`);
    await q.query(`CREATE INDEX exceptions_unresolved_opened_idx ON exceptions (opened_at, id) WHERE status <> 'resolved'`);
    // The queue's default view is everything unresolved, in age order: its common filters get it ordered too.
    await q.query(`CREATE INDEX exceptions_retailer_unresolved_idx ON exceptions (retailer_id, opened_at, id) WHERE status <> 'resolved'`);
    await q.query(`CREATE INDEX exceptions_country_unresolved_idx ON exceptions (destination_country, opened_at, id) WHERE status <> 'resolved'`);
    await q.query(`CREATE INDEX exceptions_type_unresolved_idx ON exceptions (type, opened_at, id) WHERE status <> 'resolved'`);
    await q.query(`CREATE INDEX exceptions_type_unresolved_sla_idx ON exceptions (type, sla_due_at, id) WHERE status <> 'resolved'`);
    await q.query(`CREATE INDEX exceptions_assignee_unresolved_idx ON exceptions (assignee_id, opened_at, id) WHERE status <> 'resolved'`);
    await q.query(`CREATE INDEX exceptions_shipment_idx ON exceptions (shipment_id, opened_at)`);

    await q.query(`
      CREATE TABLE exception_events (
        id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
        exception_id uuid NOT NULL REFERENCES exceptions(id),
        kind text NOT NULL CHECK (kind IN ('opened', 'assigned', 'note', 'status', 'resolved', 'reopened', 'system_note')),
        actor text NOT NULL,
        body jsonb NOT NULL DEFAULT '{}',
        created_at timestamptz NOT NULL DEFAULT now()
      )`);
    await q.query(`CREATE INDEX exception_events_exception_idx ON exception_events (exception_id, id)`);

    // The exception projector's progress through the outbox. Rows already there when this runs are history,
    // not news: a constant default marks them processed without rewriting the table, and is then dropped.
    await q.query(`ALTER TABLE journey_events ADD COLUMN cx_processed_at timestamptz DEFAULT '1970-01-01T00:00:00Z'`);
    await q.query(`ALTER TABLE journey_events ALTER COLUMN cx_processed_at DROP DEFAULT`);
    await q.query(`CREATE INDEX journey_events_cx_unprocessed_idx ON journey_events (id) WHERE cx_processed_at IS NULL`);

    await q.query(`
      CREATE TABLE admin_users (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        email text NOT NULL,
        name text NOT NULL,
        role text NOT NULL CHECK (role IN ('agent', 'supervisor', 'admin')),
        created_at timestamptz NOT NULL DEFAULT now(),
        disabled_at timestamptz
      )`);
    await q.query(`CREATE UNIQUE INDEX admin_users_email_key ON admin_users (lower(email))`);
    await q.query(`ALTER TABLE api_keys ADD COLUMN admin_user_id uuid REFERENCES admin_users(id)`);
    await q.query(`ALTER TABLE api_keys ADD CONSTRAINT api_keys_admin_user_check CHECK (admin_user_id IS NULL OR owner_type = 'admin')`);
    await q.query(`CREATE INDEX api_keys_admin_user_idx ON api_keys (admin_user_id) WHERE admin_user_id IS NOT NULL`);

    // The desk's search: exact consignee email or phone across retailers (an operator query).
    await q.query(`CREATE INDEX shipments_consignee_email_idx ON shipments (lower(consignee->>'email')) WHERE consignee ? 'email'`);
    await q.query(`CREATE INDEX shipments_consignee_phone_idx ON shipments ((consignee->>'phone')) WHERE consignee ? 'phone'`);
    await q.query(`CREATE INDEX shipments_reference_idx ON shipments (reference)`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP INDEX IF EXISTS shipments_reference_idx`);
    await q.query(`DROP INDEX IF EXISTS shipments_consignee_phone_idx`);
    await q.query(`DROP INDEX IF EXISTS shipments_consignee_email_idx`);
    await q.query(`DROP INDEX IF EXISTS api_keys_admin_user_idx`);
    await q.query(`ALTER TABLE api_keys DROP CONSTRAINT IF EXISTS api_keys_admin_user_check`);
    await q.query(`ALTER TABLE api_keys DROP COLUMN IF EXISTS admin_user_id`);
    await q.query(`DROP TABLE IF EXISTS admin_users`);
    await q.query(`DROP INDEX IF EXISTS journey_events_cx_unprocessed_idx`);
    await q.query(`ALTER TABLE journey_events DROP COLUMN IF EXISTS cx_processed_at`);
    await q.query(`DROP TABLE IF EXISTS exception_events`);
    await q.query(`DROP TABLE IF EXISTS exceptions`);
  }
}
