import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DataSource } from 'typeorm';
import { builtMain, spawnWorker } from '../utils/child-app';
import { isEmbedded, openTestDataSource } from '../utils/database';

const INTERVAL_SECONDS = 2;
const N = 60;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/**
 * Two worker processes, each with its own detection timer, sweep the same database for several intervals:
 * every overdue shipment gets exactly one detection, one exception and one journey event, including the ones
 * that go overdue while both run. PGlite serves every connection in one session, so its advisory locks cannot
 * exclude (embedded Passage is one process): real PostgreSQL only.
 */
(isEmbedded() ? describe.skip : describe)('proactive detection across two worker processes', () => {
  let db: DataSource;
  let dataDir: string;
  let retailerId: string;
  const tag = `two-workers-${randomUUID().slice(0, 8)}`;

  beforeAll(async () => {
    builtMain(); // fails at once, and says how to build, when there is no build
    db = await openTestDataSource();
    dataDir = mkdtempSync(join(tmpdir(), 'passage-workers-'));
    [{ id: retailerId }] = await db.query(`INSERT INTO retailers (name) VALUES ($1) RETURNING id`, [tag]);
  });
  afterAll(async () => {
    await db?.destroy();
    if (dataDir) rmSync(dataDir, { recursive: true, force: true });
  });

  /** Shipments in transit, silent for ten days (past any lane's allowed gap), with no estimate to miss. */
  const seedOverdue = async (from: number, count: number): Promise<string[]> => {
    const rows: Array<{ id: string }> = await db.query(
      `INSERT INTO shipments (retailer_id, reference, tracking_number, service, incoterm, status, status_rank, status_changed_at,
                              last_event_occurred_at, origin, destination_country, destination_city, consignee, consignee_postcode_key,
                              items, notify, metadata, compliance_status, version, created_at, updated_at)
       SELECT $1::uuid, $2 || '-' || i, upper(substr(md5($2 || i), 1, 16)), 'standard', 'DAP', 'in_transit', 20,
              now() - interval '10 days', now() - interval '10 days',
              '{"country":"GB","city":"London","postcode":"E1 6AN"}', 'DE', 'Berlin',
              jsonb_build_object('name', 'Workers Test', 'email', $2 || '-' || i || '@example.com',
                                 'address', jsonb_build_object('lines', jsonb_build_array('1 Test Street'), 'city', 'Berlin', 'postcode', '10115', 'country', 'DE')),
              '10115',
              '[{"description":"Cotton T-shirt","hsCode":"610910","quantity":1,"unitValue":1999,"currency":"EUR","originCountry":"PT","weightGrams":250}]',
              '{"email":true,"sms":false}', '{}', 'ok', 1, now() - interval '12 days', now() - interval '10 days'
         FROM generate_series($3::int, $4::int) AS g(i)
       RETURNING id`,
      [retailerId, tag, from, from + count - 1],
    );
    return rows.map((r) => r.id);
  };

  const worker = () => spawnWorker({ MIGRATIONS_RUN: 'false', PASSAGE_DATA_DIR: dataDir, DETECTION_INTERVAL_SECONDS: String(INTERVAL_SECONDS) });

  const counts = async (ids: string[]) =>
    (
      await db.query(
        `SELECT (SELECT count(*)::int FROM detections WHERE shipment_id = ANY($1::uuid[])) AS detections,
                (SELECT count(DISTINCT shipment_id)::int FROM detections WHERE shipment_id = ANY($1::uuid[])) AS "shipmentsDetected",
                (SELECT count(*)::int FROM exceptions WHERE shipment_id = ANY($1::uuid[])) AS exceptions,
                (SELECT count(*)::int FROM journey_events WHERE shipment_id = ANY($1::uuid[]) AND type = 'shipment.delay_detected') AS events`,
        [ids],
      )
    )[0] as { detections: number; shipmentsDetected: number; exceptions: number; events: number };
  const sweepStarts = async (): Promise<string | null> =>
    ((await db.query(`SELECT started_at::text FROM detection_sweeps WHERE name = 'cx-detection'`)) as Array<{ started_at: string }>)[0]?.started_at ?? null;

  it('detects each overdue shipment exactly once while both sweep on their own timers', async () => {
    const first = await seedOverdue(1, N);
    const workers = [worker(), worker()];
    const output = () => workers.map((w, i) => `--- worker ${i + 1}\n${w.output()}`).join('\n');
    const until = async (what: string, done: () => Promise<boolean>, timeoutMs: number) => {
      const deadline = Date.now() + timeoutMs;
      while (!(await done())) {
        if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}\n${output()}`);
        if (workers.some((w) => w.child.exitCode !== null)) throw new Error(`a worker exited\n${output()}`);
        await sleep(100);
      }
    };
    // Sweeps seen (each sweep moves detection_sweeps.started_at), sampled while the workers run.
    const starts = new Set<string>();
    const sample = async () => {
      const s = await sweepStarts();
      if (s) starts.add(s);
    };
    const before = await sweepStarts();
    try {
      await until('both workers to start', async () => workers.every((w) => w.output().includes('worker started')), 60_000);
      await until('the first wave to be detected', async () => (await sample(), (await counts(first)).detections >= N), 60_000);

      // Parcels that go overdue while both workers run are detected once too.
      const second = await seedOverdue(N + 1, N);
      await until('the second wave to be detected', async () => (await sample(), (await counts(second)).detections >= N), 60_000);

      // Several more intervals: every tick of either worker finds nothing new.
      const settleUntil = Date.now() + 4 * INTERVAL_SECONDS * 1000;
      while (Date.now() < settleUntil) {
        await sample();
        await sleep(200);
      }
      const all = [...first, ...second];
      await expect(counts(all)).resolves.toEqual({ detections: 2 * N, shipmentsDetected: 2 * N, exceptions: 2 * N, events: 2 * N });
      const [{ duplicates }] = await db.query(
        `SELECT count(*)::int AS duplicates FROM (
           SELECT shipment_id, type FROM exceptions WHERE shipment_id = ANY($1::uuid[]) GROUP BY shipment_id, type HAVING count(*) > 1) d`,
        [all],
      );
      expect(duplicates).toBe(0);
      starts.delete(before ?? '');
      // The workers kept sweeping the whole time (one at a time), not just once.
      expect(starts.size).toBeGreaterThanOrEqual(3);
      expect(workers.every((w) => w.child.exitCode === null)).toBe(true);
      process.stdout.write(`\ntwo workers: ${2 * N} overdue shipments, ${2 * N} detections, ${starts.size} sweeps seen\n`);
    } finally {
      await Promise.all(workers.map((w) => w.stop()));
    }
  }, 180_000);
});
