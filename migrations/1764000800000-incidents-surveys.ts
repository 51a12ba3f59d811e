import { MigrationInterface, QueryRunner } from 'typeorm';

/** The statuses of a shipment still on its way to the consignee: what an incident can delay. Kept in step with `ACTIVE_STATUSES_SQL`. */
const ACTIVE = `('booked', 'collected', 'in_transit', 'at_customs', 'customs_hold', 'cleared', 'out_for_delivery', 'delivery_attempted', 'available_for_pickup')`;
/** The statuses after which nothing more is owed to the consignee: the retention clock starts there. */
const FINAL = `('delivered', 'returned', 'cancelled', 'lost')`;

/**
 * The CX desk's reach and its measures: incident broadcasts (an incident, the shipments it took in, and
 * the scan indexes its scopes match on), delivery surveys, the time indexes the CX metrics read by, and
 * personal-data retention (per retailer, with a marker of what was stripped).
 */
export class IncidentsSurveys1764000800000 implements MigrationInterface {
  name = 'IncidentsSurveys1764000800000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE incidents (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        kind text NOT NULL CHECK (kind IN ('flight_cancelled', 'flight_delayed', 'facility_closure', 'weather', 'strike',
                                           'customs_backlog', 'carrier_outage', 'other')),
        title text NOT NULL,
        scope_type text NOT NULL CHECK (scope_type IN ('facility', 'country', 'lane', 'manifest', 'shipments')),
        scope jsonb NOT NULL,
        expected_delay_hours integer NOT NULL CHECK (expected_delay_hours BETWEEN 1 AND 720),
        -- Locale → the agent's words; NULL: the catalog's delay message in the consignee's language.
        messages jsonb,
        resolution_messages jsonb,
        status text NOT NULL DEFAULT 'open' CHECK (status IN ('open', 'closed')),
        declared_by text NOT NULL,
        closed_by text,
        shipments_count integer NOT NULL DEFAULT 0,
        exceptions_opened integer NOT NULL DEFAULT 0,
        consignees_notified integer NOT NULL DEFAULT 0,
        resolutions_notified integer NOT NULL DEFAULT 0,
        last_swept_at timestamptz,
        created_at timestamptz NOT NULL,
        closed_at timestamptz,
        updated_at timestamptz NOT NULL,
        CHECK ((status = 'closed') = (closed_at IS NOT NULL))
      )`);
    await q.query(`CREATE INDEX incidents_open_idx ON incidents (created_at) WHERE status = 'open'`);
    await q.query(`CREATE INDEX incidents_created_idx ON incidents (created_at DESC, id DESC)`);

    // One row per shipment an incident took in. `contact_hash` + `notified_at`: one notice per consignee.
    await q.query(`
      CREATE TABLE incident_shipments (
        incident_id uuid NOT NULL REFERENCES incidents(id),
        shipment_id uuid NOT NULL REFERENCES shipments(id),
        retailer_id uuid NOT NULL,
        contact_hash text,
        exception_id uuid,
        exception_created boolean NOT NULL DEFAULT false,
        included_at timestamptz NOT NULL,
        notified_at timestamptz,
        resolution_notified_at timestamptz,
        PRIMARY KEY (incident_id, shipment_id)
      )`);
    await q.query(`
      CREATE UNIQUE INDEX incident_shipments_consignee_key ON incident_shipments (incident_id, retailer_id, contact_hash)
        WHERE notified_at IS NOT NULL AND contact_hash IS NOT NULL`);
    await q.query(`CREATE INDEX incident_shipments_shipment_idx ON incident_shipments (shipment_id)`);
    await q.query(`CREATE INDEX incident_shipments_retailer_idx ON incident_shipments (retailer_id, incident_id)`);

    // Scopes: the shipments still on their way to a country or along a lane…
    await q.query(`CREATE INDEX shipments_active_destination_idx ON shipments (destination_country, (origin->>'country')) WHERE status IN ${ACTIVE}`);
    // …and scans at a facility or carrying a manifest or flight reference (the scan's `raw.manifest`).
    await q.query(`CREATE INDEX tracking_events_facility_idx ON tracking_events (lower(location->>'facility'), occurred_at) WHERE location ? 'facility'`);
    await q.query(`CREATE INDEX tracking_events_manifest_idx ON tracking_events ((raw->'raw'->>'manifest'), occurred_at) WHERE raw->'raw' ? 'manifest'`);

    // Surveys: one per delivered shipment whose delivered message went out; the token is stored hashed. The
    // shipment's countries are copied in, so that the metrics group surveys without reading shipments.
    await q.query(`
      CREATE TABLE surveys (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        retailer_id uuid NOT NULL REFERENCES retailers(id),
        shipment_id uuid NOT NULL UNIQUE REFERENCES shipments(id),
        destination_country char(2) NOT NULL,
        origin_country char(2) NOT NULL,
        token_hash text NOT NULL UNIQUE,
        created_at timestamptz NOT NULL,
        expires_at timestamptz NOT NULL,
        used_at timestamptz,
        csat smallint CHECK (csat BETWEEN 1 AND 5),
        ces smallint CHECK (ces BETWEEN 1 AND 7),
        comment text,
        CHECK ((used_at IS NULL) = (csat IS NULL) AND (used_at IS NULL) = (ces IS NULL))
      )`);
    // Covering: the survey metrics read this index only (an index-only scan over a range of days).
    await q.query(`CREATE INDEX surveys_metrics_idx ON surveys (created_at) INCLUDE (retailer_id, destination_country, origin_country, used_at, csat, ces)`);

    // CX metrics read each family by its time column. BRIN for the big append-mostly tables: near-free to
    // maintain on the ingest and planner paths, and a range of days reads only the blocks written then.
    await q.query(`CREATE INDEX exceptions_opened_idx ON exceptions (opened_at)`);
    await q.query(`CREATE INDEX exceptions_resolved_idx ON exceptions (resolved_at) WHERE resolved_at IS NOT NULL`);
    await q.query(`CREATE INDEX customer_replies_received_idx ON customer_replies (received_at)`);
    await q.query(`CREATE INDEX messages_created_brin ON messages USING brin (created_at)`);
    await q.query(`CREATE INDEX shipments_created_brin ON shipments USING brin (created_at)`);

    // The metrics' rollup (the worker keeps it): per UTC day, retailer, destination and origin ('' when unknown),
    // one row per kind in `channel`: '' shipments booked, 'email'/'sms'/'webhook' messages by outcome, 'reply'
    // consignee replies, 'survey' surveys issued and answered. A day's rows cover what was created before its
    // `covered_until`; the metrics read the rest of a window live.
    const counts = ['shipments', 'attempted', 'delivered', 'sent', 'failed', 'pending', 'skipped', 'replies', 'wismo', 'issued', 'responses',
      'csat_sum', 'ces_sum', 'csat_1', 'csat_2', 'csat_3', 'csat_4', 'csat_5', 'ces_1', 'ces_2', 'ces_3', 'ces_4', 'ces_5', 'ces_6', 'ces_7'];
    await q.query(`
      CREATE TABLE cx_daily_stats (
        day date NOT NULL,
        retailer_id uuid NOT NULL,
        destination_country text NOT NULL,
        origin_country text NOT NULL,
        channel text NOT NULL CHECK (channel IN ('', 'email', 'sms', 'webhook', 'reply', 'survey')),
        ${counts.map((c) => `${c} integer NOT NULL DEFAULT 0`).join(',\n        ')},
        PRIMARY KEY (day, retailer_id, destination_country, origin_country, channel)
      )`);
    // Exceptions per UTC day, retailer, destination, origin and type: opened that day (and how many proactively),
    // resolved that day (by an agent, at first contact) with each one's hours to resolve, for exact percentiles.
    await q.query(`
      CREATE TABLE cx_daily_exception_stats (
        day date NOT NULL,
        retailer_id uuid NOT NULL,
        destination_country text NOT NULL,
        origin_country text NOT NULL,
        type text NOT NULL,
        opened integer NOT NULL,
        proactive integer NOT NULL,
        resolved integer NOT NULL,
        agent_resolved integer NOT NULL,
        first_contact integer NOT NULL,
        hours double precision[] NOT NULL,
        PRIMARY KEY (day, retailer_id, destination_country, origin_country, type)
      )`);
    // When each part of a day was last computed: a part is settled, and left alone, once computed long enough after
    // the day's end (traffic 3 days, exceptions 8, surveys the survey link's life).
    await q.query(`
      CREATE TABLE cx_daily_stats_days (
        day date PRIMARY KEY,
        covered_until timestamptz NOT NULL,
        traffic_computed_at timestamptz NOT NULL,
        surveys_computed_at timestamptz NOT NULL,
        exceptions_computed_at timestamptz NOT NULL
      )`);
    // What the metrics need of each exception beyond its row, once it can no longer change: whether it was proactive
    // (the consignee heard from Passage before Passage heard from them) and its shipment's origin (for lanes). The
    // metrics work out the undecided ones live.
    await q.query(`
      CREATE TABLE cx_exception_facts (
        exception_id uuid PRIMARY KEY REFERENCES exceptions(id),
        origin_country text,
        proactive boolean NOT NULL,
        notified_at timestamptz,
        replied_at timestamptz,
        decided_at timestamptz NOT NULL
      )`);

    // WISMO is read from the reply's words; an erasure keeps what they meant (true/false) and drops them.
    await q.query(`ALTER TABLE customer_replies ADD COLUMN wismo boolean`);
    // An erasure finds the replies of a contact that name no shipment.
    await q.query(`CREATE INDEX customer_replies_contact_idx ON customer_replies (contact_hash)`);

    // Personal-data retention: per retailer, counted from the shipment's final status.
    await q.query(`ALTER TABLE retailers ADD COLUMN pii_retention_days integer NOT NULL DEFAULT 180 CHECK (pii_retention_days BETWEEN 1 AND 3650)`);
    await q.query(`ALTER TABLE shipments ADD COLUMN pii_erased_at timestamptz`);
    await q.query(`
      CREATE INDEX shipments_retention_idx ON shipments (retailer_id, status_changed_at)
        WHERE status IN ${FINAL} AND pii_erased_at IS NULL`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP INDEX IF EXISTS shipments_retention_idx`);
    await q.query(`ALTER TABLE shipments DROP COLUMN IF EXISTS pii_erased_at`);
    await q.query(`ALTER TABLE retailers DROP COLUMN IF EXISTS pii_retention_days`);
    await q.query(`DROP INDEX IF EXISTS customer_replies_contact_idx`);
    await q.query(`ALTER TABLE customer_replies DROP COLUMN IF EXISTS wismo`);
    await q.query(`DROP TABLE IF EXISTS cx_exception_facts, cx_daily_stats_days, cx_daily_exception_stats, cx_daily_stats`);
    await q.query(`DROP INDEX IF EXISTS shipments_created_brin`);
    await q.query(`DROP INDEX IF EXISTS messages_created_brin`);
    await q.query(`DROP INDEX IF EXISTS customer_replies_received_idx`);
    await q.query(`DROP INDEX IF EXISTS exceptions_resolved_idx`);
    await q.query(`DROP INDEX IF EXISTS exceptions_opened_idx`);
    await q.query(`DROP TABLE IF EXISTS surveys`);
    await q.query(`DROP INDEX IF EXISTS tracking_events_manifest_idx`);
    await q.query(`DROP INDEX IF EXISTS tracking_events_facility_idx`);
    await q.query(`DROP INDEX IF EXISTS shipments_active_destination_idx`);
    await q.query(`DROP TABLE IF EXISTS incident_shipments`);
    await q.query(`DROP TABLE IF EXISTS incidents`);
  }
}
