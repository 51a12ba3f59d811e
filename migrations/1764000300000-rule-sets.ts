import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Per-country rule sets as immutable, effective-dated versions; the audit log that every operator write
 * lands in; retailer registrations (IOSS, UK VAT, VOEC…); and the compliance verdict stored with each
 * shipment at booking.
 */
export class RuleSets1764000300000 implements MigrationInterface {
  name = 'RuleSets1764000300000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE rule_sets (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        country text NOT NULL CHECK (country ~ '^[A-Z]{2}$'),
        version integer NOT NULL CHECK (version > 0),
        effective_from date NOT NULL,
        effective_to date CHECK (effective_to > effective_from),
        content jsonb NOT NULL,
        author text NOT NULL,
        change_note text NOT NULL,
        created_at timestamptz NOT NULL DEFAULT now(),
        UNIQUE (country, version)
      )`);
    await q.query(`CREATE INDEX rule_sets_country_effective_idx ON rule_sets (country, effective_from)`);
    // Versions are immutable: a change is a new version. The database refuses anything else.
    await q.query(`
      CREATE FUNCTION passage_refuse_change() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        RAISE EXCEPTION '% rows are immutable', TG_TABLE_NAME USING ERRCODE = 'P0001';
      END $$`);
    await q.query(`
      CREATE TRIGGER rule_sets_immutable BEFORE UPDATE OR DELETE ON rule_sets
        FOR EACH ROW EXECUTE FUNCTION passage_refuse_change()`);

    await q.query(`
      CREATE TABLE audit_log (
        id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
        actor text NOT NULL,
        action text NOT NULL,
        target_type text NOT NULL,
        target_id text NOT NULL,
        retailer_id uuid REFERENCES retailers(id),
        before jsonb,
        after jsonb,
        created_at timestamptz NOT NULL DEFAULT now()
      )`);
    await q.query(`CREATE INDEX audit_log_target_idx ON audit_log (target_type, target_id, created_at)`);
    await q.query(`CREATE INDEX audit_log_actor_idx ON audit_log (actor, created_at)`);
    await q.query(`CREATE INDEX audit_log_created_idx ON audit_log (created_at)`);
    await q.query(`
      CREATE TRIGGER audit_log_immutable BEFORE UPDATE OR DELETE ON audit_log
        FOR EACH ROW EXECUTE FUNCTION passage_refuse_change()`);

    await q.query(`ALTER TABLE retailers ADD COLUMN registrations jsonb NOT NULL DEFAULT '{}'`);

    await q.query(`ALTER TABLE shipments ADD COLUMN shipping jsonb`);
    await q.query(`
      ALTER TABLE shipments ADD COLUMN compliance_status text
        CHECK (compliance_status IN ('ok', 'needs_information', 'blocked'))`);
    await q.query(`ALTER TABLE shipments ADD COLUMN compliance jsonb`);
    // Which shipments a rule change affects: by destination and booking date (an operator query, cross-tenant).
    await q.query(`CREATE INDEX shipments_destination_created_idx ON shipments (destination_country, created_at)`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP INDEX IF EXISTS shipments_destination_created_idx`);
    await q.query(`ALTER TABLE shipments DROP COLUMN IF EXISTS compliance, DROP COLUMN IF EXISTS compliance_status, DROP COLUMN IF EXISTS shipping`);
    await q.query(`ALTER TABLE retailers DROP COLUMN IF EXISTS registrations`);
    await q.query(`DROP TABLE IF EXISTS audit_log`);
    await q.query(`DROP TABLE IF EXISTS rule_sets`);
    await q.query(`DROP FUNCTION IF EXISTS passage_refuse_change()`);
  }
}
