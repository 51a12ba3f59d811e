import { DataSource, DataSourceOptions } from 'typeorm';
import { MIGRATIONS } from '../../migrations';
import { dataSourceOptions } from '../../src/database/data-source-options';
import { scratchDatabaseUrl } from '../utils/database';

const TABLES = [
  'admin_users',
  'api_keys',
  'audit_log',
  'carriers',
  'contact_preferences',
  'customer_replies',
  'cx_daily_exception_stats',
  'cx_daily_stats',
  'cx_daily_stats_days',
  'cx_exception_facts',
  'detection_sweeps',
  'detections',
  'exception_events',
  'exceptions',
  'fx_rates',
  'idempotency_keys',
  'incident_shipments',
  'incidents',
  'journey_events',
  'messages',
  'retailer_notification_settings',
  'retailers',
  'rule_sets',
  'shipment_status_history',
  'shipments',
  'surveys',
  'tracking_events',
  'webhook_endpoints',
];

describe('migrations on an empty database', () => {
  let db: DataSource;

  beforeAll(async () => {
    // The same options as the app, quieter: some tests below break constraints on purpose.
    db = new DataSource({ ...dataSourceOptions({ url: scratchDatabaseUrl(), poolMax: 2 }), logger: 'simple-console', logging: false } as DataSourceOptions);
    await db.initialize();
  });
  afterAll(() => db.destroy());

  const tables = async (): Promise<string[]> =>
    (await db.query(`SELECT tablename FROM pg_tables WHERE schemaname = 'public' ORDER BY tablename`)).map((r: { tablename: string }) => r.tablename);
  const indexes = async (): Promise<Map<string, string>> =>
    new Map(
      (await db.query(`SELECT indexname, indexdef FROM pg_indexes WHERE schemaname = 'public'`)).map((r: { indexname: string; indexdef: string }) => [
        r.indexname,
        r.indexdef,
      ]),
    );

  it('starts from a database without our tables', async () => {
    expect((await tables()).filter((t) => TABLES.includes(t))).toEqual([]);
  });

  it('applies every migration cleanly, each in its own transaction', async () => {
    const applied = await db.runMigrations({ transaction: 'each' });
    expect(applied.map((m) => m.name)).toEqual(MIGRATIONS.map((M) => new M().name));
    await expect(db.showMigrations()).resolves.toBe(false);
    expect(await tables()).toEqual([...TABLES, 'migrations'].sort());
  });

  it('creates the indexes that idempotency, tenancy and the journey path rely on', async () => {
    const defs = await indexes();
    const def = (name: string) => {
      expect(defs.has(name)).toBe(true);
      return defs.get(name)!.replace(/\s+/g, ' ');
    };
    expect(def('tracking_events_source_external_event_id_key')).toMatch(/UNIQUE INDEX .* \(source, external_event_id\)/);
    expect(def('tracking_events_shipment_idx')).toMatch(/\(shipment_id, occurred_at, id\)/);
    expect(def('idempotency_keys_pkey')).toMatch(/UNIQUE INDEX .* \(principal, key\)/);
    expect(def('idempotency_keys_expires_idx')).toMatch(/\(expires_at\)/);
    expect(def('shipments_tracking_number_key')).toMatch(/UNIQUE INDEX .* \(tracking_number\)/);
    expect(def('shipments_retailer_id_reference_key')).toMatch(/UNIQUE INDEX .* \(retailer_id, reference\)/);
    expect(def('shipments_return_reference_key')).toMatch(/UNIQUE INDEX .* \(return_reference\)/);
    expect(def('shipment_status_history_shipment_idx')).toMatch(/\(shipment_id, id\)/);
    expect(def('journey_events_shipment_idx')).toMatch(/\(shipment_id, id\)/);
    expect(def('api_keys_key_hash_key')).toMatch(/UNIQUE INDEX .* \(key_hash\)/);
    // Retailer-owned indexes lead with retailer_id.
    for (const name of ['shipments_retailer_created_idx', 'shipments_retailer_status_idx', 'shipments_retailer_updated_idx']) {
      expect(def(name)).toMatch(/\(retailer_id, /);
    }
  });

  it('stores every timestamp with its time zone', async () => {
    const naive = await db.query(
      `SELECT table_name, column_name FROM information_schema.columns
        WHERE table_schema = 'public' AND data_type = 'timestamp without time zone' AND table_name <> 'migrations'`,
    );
    expect(naive).toEqual([]);
  });

  it('enforces the checks the code depends on', async () => {
    await expect(db.query(`INSERT INTO carriers (code, name) VALUES ('Not Valid!', 'x')`)).rejects.toThrow(/check constraint/);
    await expect(
      db.query(`INSERT INTO idempotency_keys (principal, key, request_hash, state, locked_until, expires_at) VALUES ('p', 'k', 'h', 'done', now(), now())`),
    ).rejects.toThrow(/check constraint/);
  });

  it('reverts to an empty schema when the migration is undone, and applies again', async () => {
    for (let i = 0; i < MIGRATIONS.length; i++) await db.undoLastMigration({ transaction: 'each' });
    expect(await tables()).toEqual(['migrations']);
    await expect(db.query(`SELECT count(*)::int AS n FROM migrations`)).resolves.toEqual([{ n: 0 }]);
    expect([...(await indexes()).keys()].filter((name) => !name.startsWith('PK_'))).toEqual([]);
    await expect(db.showMigrations()).resolves.toBe(true);

    const again = await db.runMigrations({ transaction: 'each' });
    expect(again).toHaveLength(MIGRATIONS.length);
    expect(await tables()).toEqual([...TABLES, 'migrations'].sort());
    await expect(db.query(`SELECT count(*)::int AS n FROM shipments`)).resolves.toEqual([{ n: 0 }]);
  });
});
