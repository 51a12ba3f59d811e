import { MigrationInterface, QueryRunner } from 'typeorm';

/** The foundation: tenants and keys, shipments and their journey, scan events, the journey-event outbox. */
export class InitialSchema1764000000000 implements MigrationInterface {
  name = 'InitialSchema1764000000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE retailers (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        name text NOT NULL,
        return_window_days integer NOT NULL DEFAULT 30 CHECK (return_window_days BETWEEN 0 AND 365),
        is_demo boolean NOT NULL DEFAULT false,
        created_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now()
      )`);
    await q.query(`
      CREATE TABLE carriers (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        code text NOT NULL UNIQUE CHECK (code ~ '^[a-z0-9][a-z0-9_-]{1,39}$'),
        name text NOT NULL,
        created_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now()
      )`);
    await q.query(`
      CREATE TABLE api_keys (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        owner_type text NOT NULL CHECK (owner_type IN ('retailer', 'carrier', 'admin')),
        retailer_id uuid REFERENCES retailers(id) ON DELETE CASCADE,
        carrier_id uuid REFERENCES carriers(id) ON DELETE CASCADE,
        role text,
        name text NOT NULL DEFAULT 'default',
        prefix text NOT NULL,
        key_hash text NOT NULL UNIQUE,
        created_at timestamptz NOT NULL DEFAULT now(),
        revoked_at timestamptz,
        CHECK ((owner_type = 'retailer') = (retailer_id IS NOT NULL)),
        CHECK ((owner_type = 'carrier') = (carrier_id IS NOT NULL)),
        CHECK ((owner_type = 'admin') = (role IS NOT NULL))
      )`);
    await q.query(`CREATE INDEX api_keys_retailer_idx ON api_keys (retailer_id) WHERE retailer_id IS NOT NULL`);
    await q.query(`CREATE INDEX api_keys_carrier_idx ON api_keys (carrier_id) WHERE carrier_id IS NOT NULL`);

    await q.query(`
      CREATE TABLE shipments (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        retailer_id uuid NOT NULL REFERENCES retailers(id),
        reference text NOT NULL,
        tracking_number text NOT NULL UNIQUE,
        service text NOT NULL,
        incoterm text NOT NULL CHECK (incoterm IN ('DDP', 'DAP')),
        status text NOT NULL DEFAULT 'booked',
        status_rank integer NOT NULL DEFAULT 0,
        status_changed_at timestamptz NOT NULL DEFAULT now(),
        last_event_occurred_at timestamptz,
        origin jsonb NOT NULL,
        destination_country char(2) NOT NULL,
        destination_city text NOT NULL,
        consignee jsonb NOT NULL,
        consignee_postcode_key text,
        items jsonb NOT NULL,
        notify jsonb NOT NULL,
        metadata jsonb NOT NULL DEFAULT '{}',
        estimated_delivery_from timestamptz,
        estimated_delivery_to timestamptz,
        delivered_at timestamptz,
        return_reference text UNIQUE,
        return_requested_at timestamptz,
        version integer NOT NULL DEFAULT 1,
        created_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now(),
        UNIQUE (retailer_id, reference)
      ) WITH (fillfactor = 90)`);
    await q.query(`CREATE INDEX shipments_retailer_created_idx ON shipments (retailer_id, created_at DESC, id DESC)`);
    await q.query(`CREATE INDEX shipments_retailer_status_idx ON shipments (retailer_id, status, created_at DESC, id DESC)`);
    await q.query(`CREATE INDEX shipments_retailer_updated_idx ON shipments (retailer_id, updated_at)`);

    await q.query(`
      CREATE TABLE tracking_events (
        id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
        shipment_id uuid NOT NULL REFERENCES shipments(id),
        retailer_id uuid NOT NULL,
        source text NOT NULL,
        external_event_id text NOT NULL,
        code text NOT NULL,
        original_code text NOT NULL,
        reason text,
        occurred_at timestamptz NOT NULL,
        received_at timestamptz NOT NULL DEFAULT now(),
        location jsonb NOT NULL DEFAULT '{}',
        description text,
        raw jsonb,
        outcome text NOT NULL CHECK (outcome IN ('applied', 'recorded')),
        late boolean NOT NULL DEFAULT false,
        status_before text NOT NULL,
        status_after text NOT NULL,
        UNIQUE (source, external_event_id)
      )`);
    await q.query(`CREATE INDEX tracking_events_shipment_idx ON tracking_events (shipment_id, occurred_at, id)`);

    await q.query(`
      CREATE TABLE shipment_status_history (
        id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
        shipment_id uuid NOT NULL REFERENCES shipments(id),
        retailer_id uuid NOT NULL,
        from_status text,
        to_status text NOT NULL,
        tracking_event_id bigint REFERENCES tracking_events(id),
        cause text NOT NULL,
        occurred_at timestamptz NOT NULL,
        recorded_at timestamptz NOT NULL DEFAULT now()
      )`);
    await q.query(`CREATE INDEX shipment_status_history_shipment_idx ON shipment_status_history (shipment_id, id)`);

    // The durable outbox of journey events, written in the same transaction as the transition.
    await q.query(`
      CREATE TABLE journey_events (
        id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
        shipment_id uuid NOT NULL REFERENCES shipments(id),
        retailer_id uuid NOT NULL,
        type text NOT NULL,
        payload jsonb NOT NULL,
        occurred_at timestamptz NOT NULL,
        created_at timestamptz NOT NULL DEFAULT now()
      )`);
    await q.query(`CREATE INDEX journey_events_shipment_idx ON journey_events (shipment_id, id)`);

    await q.query(`
      CREATE TABLE idempotency_keys (
        principal text NOT NULL,
        key text NOT NULL,
        request_hash text NOT NULL,
        state text NOT NULL CHECK (state IN ('in_flight', 'completed')),
        response_status integer,
        response_body jsonb,
        created_at timestamptz NOT NULL DEFAULT now(),
        locked_until timestamptz NOT NULL,
        expires_at timestamptz NOT NULL,
        PRIMARY KEY (principal, key)
      )`);
    await q.query(`CREATE INDEX idempotency_keys_expires_idx ON idempotency_keys (expires_at)`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE IF EXISTS idempotency_keys, journey_events, shipment_status_history, tracking_events, shipments, api_keys, carriers, retailers CASCADE`);
  }
}
