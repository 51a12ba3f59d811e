// bench:detect — proactive detection over 1,000,000 shipments (issue 5): seeds the shipments in bulk with
// set-based SQL on the real schema (migrations applied), a few thousand of them overdue, then times the delay
// sweep (target < 5 s), a steady-state sweep, each detector's query, and prints EXPLAIN (ANALYZE, BUFFERS) of
// every detector query to show that an index drives it. No HTTP: the detection service runs in this process,
// loaded from dist/, against its own database.
'use strict';
const path = require('node:path');
const { performance } = require('node:perf_hooks');
const { APP_DIR, backendCpuTicks, cpuMsBetween, option, intOption, boolOption, log, round, loadAverages, runMain, ensureDatabase, resetSchema, withClient, table, writeResult, gitRevision } = require('./lib');

const DB = option('DETECT_DATABASE_URL', 'postgres://postgres@127.0.0.1:5432/passage_bench_detect');
const SHIPMENTS = intOption('SHIPMENTS', 1_000_000);
const CHUNK = intOption('CHUNK', 100_000);
/** Every OVERDUE_EVERY-th shipment has gone silent in transit for 9–14 days, past its estimate. */
const OVERDUE_EVERY = intOption('OVERDUE_EVERY', 400);
const BATCH = intOption('DETECT_BATCH', 500); // DETECTION_BATCH_SIZE's default
/** Delay sweeps measured, each on the same occurrences (the previous round's writes undone); the median is judged. */
const ROUNDS = intOption('ROUNDS', 3);
const HOT_CHECK = boolOption('HOT_CHECK', true);
/** Reuse the shipments a previous run seeded (the run's detections, exceptions and events are undone first). */
const REUSE = boolOption('REUSE_DATA', false);
const TARGET_MS = 5000;

const dist = (p) => require(path.join(APP_DIR, 'dist', p));
const { DataSource } = require(path.join(APP_DIR, 'node_modules/typeorm'));
// The services log through Nest's static logger; the benchmark prints its own summary.
require(path.join(APP_DIR, 'node_modules/@nestjs/common')).Logger.overrideLogger(false);
const { dataSourceOptions } = dist('src/database/data-source-options.js');
const { loadAppConfig } = dist('src/config/app-config.js');
const { SystemClock } = dist('src/common/clock/clock.js');
const { seedCatalog } = dist('src/modules/country-rules/seed/rule-set-seed.js');
const { DetectionService } = dist('src/modules/cx/detection/detection.service.js');
const { DetectionRepository, candidatesQuery } = dist('src/modules/cx/detection/detection.repository.js');
const { DETECTORS } = dist('src/modules/cx/detection/detectors.js');
const { EddService } = dist('src/modules/cx/edd/edd.service.js');
const { EddRepository, OBSERVED_SAMPLE_CAP } = dist('src/modules/cx/edd/edd.repository.js');
const { laneTable, rulesDay } = dist('src/modules/cx/edd/lane-expectations.js');
const { ExceptionsService } = dist('src/modules/cx/exceptions/exceptions.service.js');

const DESTINATIONS = ['DE', 'FR', 'US', 'GB', 'JP', 'AU', 'NL', 'ES', 'IT', 'BR', 'CA', 'SE'];
const ORIGINS = ['GB', 'US', 'CN', 'DE', 'FR'];

/**
 * One chunk of shipments [$2, $3], relative to $1 (now), for retailer $4. Created uniformly over 60 days with a
 * door-to-door transit of 2–12 days: older ones delivered, the rest on their way with a scan in the last 10 h
 * and an estimate ahead. Mixed in (by id): overdue ones silent in transit for 9–14 days with their estimate
 * missed; customs holds of 80–120 h; parcels at a pickup point for 5–6.5 days; bookings still missing
 * information (1–3 days old).
 */
const SEED_CHUNK = `
WITH p AS (
  SELECT i,
         (i::bigint * 7919 % 10007)::float8 / 10007 AS r1,
         (i::bigint * 104729 % 10009)::float8 / 10009 AS r2,
         (i::bigint * 1299709 % 10037)::float8 / 10037 AS r3,
         (ARRAY['${DESTINATIONS.join("','")}'])[1 + i % ${DESTINATIONS.length}] AS d,
         (ARRAY['${ORIGINS.join("','")}'])[1 + (i / ${DESTINATIONS.length}) % ${ORIGINS.length}] AS o,
         CASE WHEN i % ${OVERDUE_EVERY} = 0 THEN 'silent' WHEN i % 1999 = 0 THEN 'held' WHEN i % 3001 = 0 THEN 'pickup'
              WHEN i % 997 = 0 THEN 'info' ELSE 'normal' END AS kind
    FROM generate_series($2::int, $3::int) AS g(i)
), t AS (
  SELECT p.*,
         CASE kind WHEN 'silent' THEN $1::timestamptz - (10 + r2 * 5) * interval '1 day'
                   WHEN 'held' THEN $1::timestamptz - interval '6 days'
                   WHEN 'pickup' THEN $1::timestamptz - interval '12 days'
                   WHEN 'info' THEN $1::timestamptz - (24 + r2 * 48) * interval '1 hour'
                   ELSE $1::timestamptz - (i % 86400) * interval '1 minute' END AS created,
         (2 + r1 * 10) * interval '1 day' AS transit
    FROM p
), s AS (
  SELECT t.*,
         CASE WHEN kind <> 'normal' THEN NULL
              ELSE LEAST(1.0, extract(epoch FROM $1::timestamptz - created) / extract(epoch FROM transit)) END AS frac
    FROM t
), r AS (
  SELECT s.*,
         CASE kind WHEN 'silent' THEN 'in_transit' WHEN 'held' THEN 'customs_hold' WHEN 'pickup' THEN 'available_for_pickup'
                   WHEN 'info' THEN 'in_transit'
                   ELSE CASE WHEN frac >= 1 THEN 'delivered' WHEN frac < 0.15 THEN 'collected' WHEN frac < 0.55 THEN 'in_transit'
                             WHEN frac < 0.7 THEN 'at_customs' WHEN frac < 0.9 THEN 'cleared' ELSE 'out_for_delivery' END END AS status,
         CASE kind WHEN 'silent' THEN created + interval '1 day'
                   WHEN 'held' THEN $1::timestamptz - (80 + r3 * 40) * interval '1 hour'
                   WHEN 'pickup' THEN $1::timestamptz - (120 + r3 * 36) * interval '1 hour'
                   WHEN 'info' THEN created + interval '2 hours'
                   ELSE created + transit * (CASE WHEN frac >= 1 THEN 1 WHEN frac < 0.15 THEN 0 WHEN frac < 0.55 THEN 0.15
                                                   WHEN frac < 0.7 THEN 0.55 WHEN frac < 0.9 THEN 0.7 ELSE 0.9 END) END AS changed
    FROM s
)
INSERT INTO shipments (retailer_id, reference, tracking_number, service, incoterm, status, status_rank, status_changed_at,
                       last_event_occurred_at, origin, destination_country, destination_city, consignee, consignee_postcode_key,
                       items, notify, metadata, estimated_delivery_from, estimated_delivery_to, delivered_at, compliance_status,
                       compliance, version, created_at, updated_at)
SELECT $4::uuid, 'BENCH-' || i, 'PD' || lpad(i::text, 12, '0'), 'standard', 'DAP', status,
       CASE status WHEN 'collected' THEN 10 WHEN 'in_transit' THEN 20 WHEN 'at_customs' THEN 30 WHEN 'customs_hold' THEN 35
                   WHEN 'cleared' THEN 40 WHEN 'out_for_delivery' THEN 50 WHEN 'available_for_pickup' THEN 58 ELSE 60 END,
       changed,
       CASE WHEN kind IN ('silent', 'held', 'pickup') OR status = 'delivered' THEN changed
            ELSE GREATEST(changed, $1::timestamptz - r3 * interval '10 hours') END,
       jsonb_build_object('country', o, 'city', 'Origin', 'postcode', '1000'),
       d, 'City',
       jsonb_build_object('name', 'Bench Consignee', 'email', 'bench' || i || '@example.com',
                          'address', jsonb_build_object('lines', jsonb_build_array('1 Bench Street'), 'city', 'City', 'postcode', '10115', 'country', d)),
       '10115',
       '[{"description":"Cotton T-shirt","hsCode":"610910","quantity":1,"unitValue":1999,"currency":"EUR","originCountry":"PT","weightGrams":250}]',
       '{"email":true,"sms":false}', '{}',
       created + transit * 0.5,
       CASE kind WHEN 'silent' THEN $1::timestamptz - (1 + r3 * 3) * interval '1 day' ELSE created + transit + interval '1 day' END,
       CASE WHEN status = 'delivered' THEN changed END,
       CASE WHEN kind = 'info' THEN 'needs_information' ELSE 'ok' END,
       CASE WHEN kind = 'info' THEN '{"status":"needs_information","issues":[{"code":"TAX_ID_REQUIRED","field":"consignee.taxId","severity":"needs_information"}]}'::jsonb END,
       3, created, changed
  FROM r`;

async function seed(client, now) {
  const [{ id: retailerId }] = (await client.query(`INSERT INTO retailers (name) VALUES ('Bench Retailer') RETURNING id`)).rows;
  // Secondary indexes are built once after the load, from their own definitions (as a bulk load would).
  const { rows: indexes } = await client.query(
    `SELECT i.indexname, i.indexdef FROM pg_indexes i
      WHERE i.tablename = 'shipments' AND i.schemaname = 'public'
        AND NOT EXISTS (SELECT 1 FROM pg_constraint c WHERE c.conname = i.indexname)`,
  );
  for (const i of indexes) await client.query(`DROP INDEX ${i.indexname}`);
  const t0 = performance.now();
  for (let start = 1; start <= SHIPMENTS; start += CHUNK) {
    const end = Math.min(SHIPMENTS, start + CHUNK - 1);
    await client.query(SEED_CHUNK, [now, start, end, retailerId]);
    log(`  seeded ${end.toLocaleString('en')} shipments (${round((performance.now() - t0) / 1000)} s)`);
  }
  const t1 = performance.now();
  for (const i of indexes) await client.query(i.indexdef);
  log(`  ${indexes.length} secondary indexes built in ${round((performance.now() - t1) / 1000)} s`);
  await client.query('VACUUM (ANALYZE) shipments');
  return { retailerId, seedSeconds: round((performance.now() - t0) / 1000) };
}

/**
 * Runs `fn` and measures the CPU it cost: this process (the detection service) and the database's backends.
 * On a shared machine the wall time follows the load average; the CPU time much less.
 */
async function withCpu(fn) {
  const node0 = process.cpuUsage();
  const pg0 = backendCpuTicks(DB);
  const result = await fn();
  const node = process.cpuUsage(node0);
  const pgMs = cpuMsBetween(pg0, backendCpuTicks(DB));
  return { result, nodeCpuMs: round((node.user + node.system) / 1000), pgCpuMs: pgMs };
}

/** Undoes a delay sweep's writes, so that the next round finds the same occurrences: missed estimates come back. */
async function undo(client) {
  await client.query(`UPDATE shipments s SET estimated_delivery_from = (d.details->'missedEstimate'->>'from')::timestamptz,
                                             estimated_delivery_to = (d.details->'missedEstimate'->>'to')::timestamptz
                        FROM detections d WHERE d.shipment_id = s.id AND d.detector = 'edd_missed'
                         AND d.id = (SELECT min(id) FROM detections x WHERE x.shipment_id = s.id AND x.detector = 'edd_missed')`);
  // CASCADE: other CX tables (e.g. metrics' per-exception rows) reference these.
  await client.query('TRUNCATE detections, exception_events, exceptions, detection_sweeps, journey_events CASCADE');
  await client.query('VACUUM (ANALYZE) shipments');
}

async function profile(client, now) {
  const { rows } = await client.query(
    `SELECT count(*)::int AS shipments,
            count(*) FILTER (WHERE status <> 'delivered')::int AS active,
            count(*) FILTER (WHERE estimated_delivery_to < $1 AND status NOT IN ('delivered', 'available_for_pickup'))::int AS estimate_missed,
            count(*) FILTER (WHERE status = 'in_transit' AND last_event_occurred_at < $1::timestamptz - interval '72 hours')::int AS silent_in_transit,
            count(*) FILTER (WHERE status = 'customs_hold')::int AS customs_hold,
            count(*) FILTER (WHERE status = 'available_for_pickup')::int AS at_pickup,
            count(*) FILTER (WHERE compliance_status = 'needs_information')::int AS needs_information
       FROM shipments`,
    [now],
  );
  return rows[0];
}

async function explain(client, label, text, values) {
  const { rows } = await client.query(`EXPLAIN (ANALYZE, BUFFERS) ${text}`, values);
  const plan = rows.map((r) => r['QUERY PLAN']);
  console.log(`\n--- EXPLAIN (ANALYZE, BUFFERS): ${label}\n${plan.join('\n')}`);
  const execution = plan.find((l) => l.startsWith('Execution Time'));
  return { label, executionMs: execution ? Number(/([\d.]+) ms/.exec(execution)[1]) : null, indexes: [...new Set([...plan.join('\n').matchAll(/(?:Index (?:Only )?Scan (?:Backward )?using|Bitmap Index Scan on) (\w+)/g)].map((m) => m[1]))], seqScans: (plan.join('\n').match(/Seq Scan on (\w+)/g) ?? []) };
}

/**
 * HOT updates on the ingest path: a scan that does not move the status changes only last_event_occurred_at and
 * version. With no index on those columns the update is HOT; an index on (status, last_event_occurred_at), the
 * obvious alternative for the scan-gap detector, would make every such update write every index of shipments.
 */
async function hotCheck(client) {
  const xact = async () =>
    (await client.query(`SELECT n_tup_upd::int AS updated, n_tup_hot_upd::int AS hot FROM pg_stat_xact_user_tables WHERE relname = 'shipments'`)).rows[0];
  const run = async (label) => {
    await client.query('BEGIN');
    // The view also counts earlier transactions whose statistics are not flushed yet: take the difference.
    const start = await xact();
    const t0 = performance.now();
    await client.query(
      `UPDATE shipments SET last_event_occurred_at = last_event_occurred_at + interval '1 second', version = version + 1
        WHERE id IN (SELECT id FROM shipments WHERE status = 'in_transit' LIMIT 20000)`,
    );
    const ms = performance.now() - t0;
    const end = await xact();
    await client.query('ROLLBACK');
    return { variant: label, updated: end.updated - start.updated, hot: end.hot - start.hot, ms: round(ms) };
  };
  const without = await run('as migrated (no index on last_event_occurred_at)');
  await client.query(`CREATE INDEX bench_alt_gap_idx ON shipments (status, last_event_occurred_at) WHERE status IN ('booked', 'collected', 'in_transit', 'at_customs', 'customs_hold', 'cleared', 'out_for_delivery', 'delivery_attempted', 'return_requested', 'return_in_transit')`);
  const withIndex = await run('with (status, last_event_occurred_at) partial index');
  await client.query('DROP INDEX bench_alt_gap_idx');
  return [without, withIndex];
}

runMain(async () => {
  log(`bench:detect — ${SHIPMENTS.toLocaleString('en')} shipments, 1 in ${OVERDUE_EVERY} overdue; load ${loadAverages().uptime}`);
  const config = loadAppConfig({ NODE_ENV: 'development', DATABASE_URL: DB, LOG_LEVEL: 'silent', DETECTION_INTERVAL_SECONDS: '0', DETECTION_BATCH_SIZE: String(BATCH) });
  await ensureDatabase(DB);
  if (!REUSE) await resetSchema(DB);
  const ds = new DataSource(dataSourceOptions({ url: DB, poolMax: 4 }));
  await ds.initialize();
  await ds.runMigrations({ transaction: 'each' });
  const now = new Date();

  let seeded = { seedSeconds: 0 };
  if (!REUSE) {
    log('seeding (set-based SQL, generate_series)…');
    seeded = await withClient(DB, (c) => seed(c, now));
  } else {
    log('reusing the seeded shipments; undoing the previous run…');
    await withClient(DB, undo);
  }
  // The seed's dirty pages are written back now, not during the measured sweep.
  await withClient(DB, (c) => c.query('CHECKPOINT'));
  const before = await withClient(DB, (c) => profile(c, now));
  console.log(`\n${table([before], Object.keys(before))}`);

  const catalog = seedCatalog();
  const rules = { get: async () => ({ catalog }) };
  const clock = new SystemClock();
  // Round 1 starts a fresh service, so the lanes' observed transit times are read during the sweep (a worker just
  // started); later rounds keep it, with the lanes warm, as in a running worker whose estimated-delivery loop keeps
  // them warm (they are re-read every 10 minutes).
  const newDetection = () => {
    const eddRepository = new EddRepository();
    const edd = new EddService(ds, eddRepository, rules, clock, config);
    return new DetectionService(ds, new DetectionRepository(), rules, new ExceptionsService(config), edd, eddRepository, clock, config);
  };
  const lanes = laneTable(catalog, rulesDay(now));

  // Each detector's query as the first batch of a sweep runs it (read-only), before anything is recorded.
  const plans = await withClient(DB, async (c) => {
    const out = [];
    for (const detector of DETECTORS) {
      const q = candidatesQuery(detector, { now: clock.now(), lanes, limit: BATCH });
      out.push(await explain(c, `${detector} (first batch, limit ${BATCH})`, q.text, q.values));
    }
    const since = new Date(now.getTime() - config.edd.windowDays * 86_400_000);
    const observed = `SELECT count(*)::int, percentile_cont(0.5) WITHIN GROUP (ORDER BY days), percentile_cont(0.9) WITHIN GROUP (ORDER BY days)
        FROM (SELECT GREATEST(0, extract(epoch FROM s.delivered_at - COALESCE(f.first_scan, s.created_at)) / 86400) AS days
                FROM shipments s LEFT JOIN LATERAL (SELECT t.occurred_at AS first_scan FROM tracking_events t WHERE t.shipment_id = s.id ORDER BY t.occurred_at LIMIT 1) f ON true
               WHERE s.destination_country = $1 AND s.origin->>'country' = $2 AND s.delivered_at >= $3 AND s.delivered_at <= $4
               ORDER BY s.delivered_at DESC LIMIT ${OBSERVED_SAMPLE_CAP}) x`;
    out.push(await explain(c, 'observed transit, lane GB → DE (EDD)', observed, ['DE', 'GB', since, now]));
    return out;
  });

  const delays = [];
  const detection = newDetection();
  for (let r = 1; r <= ROUNDS; r++) {
    if (r > 1) {
      await withClient(DB, undo);
      await withClient(DB, (c) => c.query('CHECKPOINT'));
    }
    log(`delay sweep ${r}/${ROUNDS} (edd_missed, scan_gap, customs_hold_overdue); load ${loadAverages().one}…`);
    const { result, nodeCpuMs, pgCpuMs } = await withCpu(() => detection.sweep({ detectors: ['edd_missed', 'scan_gap', 'customs_hold_overdue'] }));
    log(`  ${round(result.durationMs)} ms wall, CPU ${nodeCpuMs} ms Node + ${pgCpuMs} ms PostgreSQL, ${JSON.stringify(result.fired)}`);
    delays.push({ ...result, nodeCpuMs, pgCpuMs, load: loadAverages().one, lanes: r === 1 ? 'cold' : 'warm' });
  }
  log('the other detectors (pickup_expiring, information_overdue)…');
  const others = await detection.sweep({ detectors: ['pickup_expiring', 'information_overdue'] });
  log(`  ${JSON.stringify(others)}`);
  log('steady state: a full sweep with nothing new…');
  const steady = [];
  for (let i = 0; i < 3; i++) steady.push(await detection.sweep());
  log(`  ${steady.map((x) => `${round(x.durationMs)} ms`).join(', ')}`);

  const recorded = await withClient(DB, async (c) => ({
    detections: (await c.query(`SELECT detector, count(*)::int AS n FROM detections GROUP BY detector ORDER BY detector`)).rows,
    exceptions: (await c.query(`SELECT type, count(*)::int AS n FROM exceptions GROUP BY type ORDER BY type`)).rows,
    events: (await c.query(`SELECT type, count(*)::int AS n FROM journey_events GROUP BY type ORDER BY type`)).rows,
  }));
  console.log(`\ndetections:\n${table(recorded.detections, ['detector', 'n'])}\n\nexceptions:\n${table(recorded.exceptions, ['type', 'n'])}\n\njourney events:\n${table(recorded.events, ['type', 'n'])}`);

  const hot = HOT_CHECK ? await withClient(DB, hotCheck) : [];
  if (hot.length) console.log(`\nHOT updates for 20,000 same-status scans (rolled back):\n${table(hot, ['variant', 'updated', 'hot', 'ms'])}`);
  await ds.destroy();

  const rows = [
    ...delays.map((d, i) => ({ phase: `delay sweep #${i + 1} (lanes ${d.lanes}; load ${d.load})`, ms: round(d.durationMs), fired: `${JSON.stringify(d.fired)}; CPU ${d.nodeCpuMs} ms Node + ${d.pgCpuMs} ms PostgreSQL` })),
    { phase: 'pickup + information (first)', ms: round(others.durationMs), fired: JSON.stringify(others.fired) },
    ...steady.map((s, i) => ({ phase: `full sweep, steady state #${i + 1}`, ms: round(s.durationMs), fired: Object.values(s.fired).reduce((a, b) => a + b, 0) })),
    ...plans.map((p) => ({ phase: `query: ${p.label}`, ms: p.executionMs, fired: `indexes: ${p.indexes.join(', ') || '-'}${p.seqScans.length ? `; SEQ SCAN ${p.seqScans.join(', ')}` : ''}` })),
  ];
  console.log(`\n${table(rows, ['phase', 'ms', 'fired'])}`);
  const median = [...delays.map((d) => d.durationMs)].sort((x, y) => x - y)[Math.floor((delays.length - 1) / 2)];
  const met = median < TARGET_MS;
  console.log(`\ndelay sweep over ${SHIPMENTS.toLocaleString('en')} shipments: median ${round(median)} ms of ${delays.length} (${delays.map((d) => round(d.durationMs)).join(', ')}) (target < ${TARGET_MS} ms) ${met ? 'MET' : 'MISSED'}`);
  console.log(`load after: ${loadAverages().uptime}`);
  const file = writeResult('detect', { revision: gitRevision(), shipments: SHIPMENTS, overdueEvery: OVERDUE_EVERY, batch: BATCH, seeded, before, delays, median, others, steady, plans, recorded, hot, met });
  log(`written ${file}`);
});
