// bench:metrics — the CX metrics (issue 5) over 1,000,000 shipments and 100,000 exceptions: seeds, with set-based
// SQL on the real schema (migrations applied), 90 days of shipments with their consignee messages (4 each),
// surveys, exceptions (some reopened, each with its log) and replies. Then: the metrics without rollups (for the
// record), the rollups' backfill and steady-state runs, and GET /v1/admin/metrics as the service computes it (four
// statements side by side on the pool) for each grouping over the last 30 days and over all 90, with EXPLAIN
// (ANALYZE, BUFFERS) of each family's statement. Target: < 2 s. No HTTP: the services run in this process,
// loaded from dist/, against their own database.
'use strict';
const path = require('node:path');
const { performance } = require('node:perf_hooks');
const { APP_DIR, option, intOption, boolOption, log, round, loadAverages, runMain, ensureDatabase, resetSchema, withClient, table, writeResult, gitRevision } = require('./lib');

const DB = option('METRICS_DATABASE_URL', 'postgres://postgres@127.0.0.1:5432/passage_bench_metrics');
const SHIPMENTS = intOption('SHIPMENTS', 1_000_000);
/** Every EXCEPTION_EVERY-th shipment has an exception: 100,000 of 1,000,000. */
const EXCEPTION_EVERY = intOption('EXCEPTION_EVERY', 10);
const DAYS = intOption('DAYS', 90);
const CHUNK = intOption('CHUNK', 100_000);
const RUNS = intOption('RUNS', 3);
const REUSE = boolOption('REUSE_DATA', false);
const TARGET_MS = 2000;

const dist = (p) => require(path.join(APP_DIR, 'dist', p));
const { DataSource } = require(path.join(APP_DIR, 'node_modules/typeorm'));
const { dataSourceOptions } = dist('src/database/data-source-options.js');
const { SystemClock } = dist('src/common/clock/clock.js');
const { CxMetricsService } = dist('src/modules/cx/metrics/cx-metrics.service.js');
const { CxRollupService } = dist('src/modules/cx/metrics/cx-rollup.service.js');
const { coverage } = dist('src/modules/cx/metrics/coverage.js');
const { surveysQuery, exceptionsQuery, wismoQuery, messagesQuery, GROUP_BYS } = dist('src/modules/cx/metrics/cx-metrics.sql.js');
const { WISMO_PATTERN } = dist('src/modules/cx/metrics/wismo.js');

const DESTINATIONS = ['DE', 'FR', 'US', 'GB', 'JP', 'AU', 'NL', 'ES', 'IT', 'BR', 'CA', 'SE'];
const ORIGINS = ['GB', 'US', 'CN', 'DE', 'FR'];
const RETAILERS = 8;
const TYPES = ['delay', 'delay', 'delay', 'customs_hold', 'customs_hold', 'failed_attempt', 'address_issue', 'damaged', 'lost', 'customer_reply'];

/** Pseudo-random in [0, 1) from the row number, stable across runs. */
const r = (i, p, q) => `((${i})::bigint * ${p} % ${q})::float8 / ${q}`;

/**
 * Shipments [$2, $3] for retailers $4 (uuid[]), created uniformly over DAYS days before $1 (row 1 newest), with a
 * 2–12 day transit: older ones delivered, the rest on their way.
 */
const SEED_SHIPMENTS = `
WITH p AS (
  SELECT i, $1::timestamptz - (i::float8 / ${SHIPMENTS}) * interval '${DAYS} days' AS created,
         (2 + ${r('i', 7919, 10007)} * 10) * interval '1 day' AS transit,
         (ARRAY['${DESTINATIONS.join("','")}'])[1 + i % ${DESTINATIONS.length}] AS d,
         (ARRAY['${ORIGINS.join("','")}'])[1 + (i / ${DESTINATIONS.length}) % ${ORIGINS.length}] AS o
    FROM generate_series($2::int, $3::int) AS g(i)
), s AS (
  SELECT p.*, CASE WHEN created + transit <= $1 THEN 'delivered' ELSE 'in_transit' END AS status FROM p
)
INSERT INTO shipments (retailer_id, reference, tracking_number, service, incoterm, status, status_rank, status_changed_at,
                       last_event_occurred_at, origin, destination_country, destination_city, consignee, consignee_postcode_key,
                       items, notify, metadata, delivered_at, version, created_at, updated_at)
SELECT ($4::uuid[])[1 + i % ${RETAILERS}], 'BENCH-' || i, 'PM' || lpad(i::text, 12, '0'), 'standard', 'DAP', status,
       CASE status WHEN 'delivered' THEN 60 ELSE 20 END,
       CASE status WHEN 'delivered' THEN created + transit ELSE created + transit * 0.3 END,
       CASE status WHEN 'delivered' THEN created + transit ELSE created + transit * 0.3 END,
       jsonb_build_object('country', o, 'city', 'Origin', 'postcode', '1000'), d, 'City',
       jsonb_build_object('name', 'Bench Consignee', 'email', 'bench' || i || '@example.com', 'phone', '+4915' || lpad(i::text, 9, '0'),
                          'address', jsonb_build_object('lines', jsonb_build_array('1 Bench Street'), 'city', 'City', 'postcode', '10115', 'country', d)),
       '10115',
       '[{"description":"Cotton T-shirt","hsCode":"610910","quantity":1,"unitValue":1999,"currency":"EUR","originCountry":"PT","weightGrams":250}]',
       '{"email":true,"sms":true}', '{}',
       CASE status WHEN 'delivered' THEN created + transit END, 3, created,
       CASE status WHEN 'delivered' THEN created + transit ELSE created END
  FROM s`;

/**
 * Four consignee messages per shipment that has reached each milestone (booked, in transit and delivered by email,
 * out for delivery by SMS): 70 % delivered, 24 % sent, 3 % failed or dead, 3 % skipped.
 */
const SEED_MESSAGES = `
INSERT INTO messages (retailer_id, shipment_id, channel, recipient, template, dedupe_key, status, payload, max_attempts,
                      audience, milestone, milestone_rank, created_at, updated_at, sent_at)
SELECT s.retailer_id, s.id, m.channel, CASE m.channel WHEN 'sms' THEN s.consignee->>'phone' ELSE s.consignee->>'email' END,
       m.template, s.id::text || ':' || m.template || ':' || m.channel, x.status, '{}', 5, 'consignee', m.template, m.rank, x.at, x.at,
       CASE WHEN x.status IN ('sent', 'delivered') THEN x.at END
  FROM shipments s
  CROSS JOIN (VALUES (1, 'booked', 'email', 0, 0.0), (2, 'in_transit', 'email', 20, 0.3), (3, 'out_for_delivery', 'sms', 50, 0.95),
                     (4, 'delivered', 'email', 60, 1.0)) AS m(k, template, channel, rank, frac)
  CROSS JOIN LATERAL (
    SELECT s.created_at + (coalesce(s.delivered_at, s.status_changed_at) - s.created_at) * m.frac AS at,
           CASE WHEN ${r("(hashtext(s.id::text) & 1048575) + m.k", 104729, 10009)} < 0.70 THEN 'delivered'
                WHEN ${r("(hashtext(s.id::text) & 1048575) + m.k", 104729, 10009)} < 0.94 THEN 'sent'
                WHEN ${r("(hashtext(s.id::text) & 1048575) + m.k", 104729, 10009)} < 0.97 THEN (ARRAY['failed', 'dead'])[1 + m.k % 2]
                ELSE 'skipped' END AS status) x
 WHERE (m.k <= 2 OR s.status = 'delivered')
   AND s.created_at >= $1 AND s.created_at < $2`;

/**
 * One exception on every EXCEPTION_EVERY-th shipment, opened two days after booking; 85 % resolved after 1–97 h
 * with 0–3 agent touches; 3 % of those were reopened (within a day of a first resolution) and resolved again.
 */
const SEED_EXCEPTIONS = `
WITH e AS (
  SELECT s.id, s.retailer_id, s.destination_country, n,
         (ARRAY['${TYPES.join("','")}'])[1 + (n / 7) % ${TYPES.length}] AS type,
         s.created_at + interval '2 days' AS opened,
         ${r('n', 7919, 10007)} AS ra, ${r('n', 1299709, 10037)} AS rb
    FROM (SELECT s.*, substr(s.reference, 7)::int AS n FROM shipments s WHERE s.created_at >= $2 AND s.created_at < $3) s
   WHERE n % ${EXCEPTION_EVERY} = 0 AND s.created_at + interval '2 days' < $1
)
INSERT INTO exceptions (retailer_id, shipment_id, type, severity, status, source, destination_country, sla_due_at, opened_at,
                        first_touch_at, touches, resolved_at, resolution_code, reopened_count, last_reopened_at, created_at, updated_at)
SELECT retailer_id, id, type, 'medium', CASE WHEN ra < 0.85 AND opened + (1 + rb * 96) * interval '1 hour' < $1 THEN 'resolved' ELSE 'open' END,
       (ARRAY['event', 'detector', 'agent', 'inbound'])[1 + n % 4], destination_country, opened + interval '24 hours', opened,
       CASE WHEN rb > 0.3 THEN opened + interval '30 minutes' END,
       CASE WHEN rb <= 0.3 THEN 0 ELSE 1 + (n / 3) % 3 END,
       CASE WHEN ra < 0.85 AND opened + (1 + rb * 96) * interval '1 hour' < $1 THEN opened + (1 + rb * 96) * interval '1 hour' END,
       CASE WHEN ra < 0.85 AND opened + (1 + rb * 96) * interval '1 hour' < $1 THEN 'fixed' END,
       CASE WHEN ra < 0.85 * 0.03 THEN 1 ELSE 0 END,
       CASE WHEN ra < 0.85 * 0.03 THEN opened + interval '1 hour' END,
       opened, opened
  FROM e`;

/** The log: opened, an agent's note on those touched, resolved; the reopened ones were resolved and reopened before. */
const SEED_EXCEPTION_EVENTS = `
INSERT INTO exception_events (exception_id, kind, actor, created_at)
SELECT id, k.kind, 'bench', k.at
  FROM exceptions x
  CROSS JOIN LATERAL (VALUES ('opened', x.opened_at, true), ('note', x.first_touch_at, x.touches > 0),
                             ('resolved', x.opened_at + interval '30 minutes', x.reopened_count > 0),
                             ('reopened', x.opened_at + interval '1 hour', x.reopened_count > 0),
                             ('resolved', x.resolved_at, x.resolved_at IS NOT NULL)) AS k(kind, at, present)
 WHERE k.present AND k.at IS NOT NULL`;

/** A survey for each delivered shipment whose delivered email went out; 15 % answered within a day. */
const SEED_SURVEYS = `
INSERT INTO surveys (retailer_id, shipment_id, destination_country, origin_country, token_hash, created_at, expires_at, used_at, csat, ces)
SELECT m.retailer_id, m.shipment_id, s.destination_country, s.origin->>'country', md5(m.shipment_id::text), m.created_at, m.created_at + interval '30 days',
       CASE WHEN q < 0.15 THEN m.created_at + interval '5 hours' END,
       CASE WHEN q < 0.15 THEN 1 + (q * 1000)::int % 5 END,
       CASE WHEN q < 0.15 THEN 1 + (q * 10000)::int % 7 END
  FROM (SELECT m.*, ${r('hashtext(m.shipment_id::text) & 1048575', 7919, 10007)} AS q FROM messages m
         WHERE m.template = 'delivered' AND m.status IN ('sent', 'delivered')) m
  JOIN shipments s ON s.id = m.shipment_id
 ORDER BY m.created_at DESC`;

/** A reply from one consignee in 50, three days after booking; 60 % ask where their parcel is. */
const SEED_REPLIES = `
INSERT INTO customer_replies (retailer_id, shipment_id, channel, contact_hash, body, received_at)
SELECT s.retailer_id, s.id, 'sms', md5(s.id::text),
       (ARRAY['Where is my parcel?', 'Wo ist mein Paket?', 'Où est mon colis ?', 'Thanks!', 'Please leave it with the neighbour'])[1 + n % 5],
       s.created_at + interval '3 days'
  FROM (SELECT s.*, substr(s.reference, 7)::int AS n FROM shipments s) s
 WHERE n % 50 = 0 AND s.created_at + interval '3 days' < $1`;

async function withoutSecondaryIndexes(client, tables, load) {
  const { rows: indexes } = await client.query(
    `SELECT i.tablename, i.indexname, i.indexdef FROM pg_indexes i
      WHERE i.tablename = ANY($1) AND i.schemaname = 'public'
        AND NOT EXISTS (SELECT 1 FROM pg_constraint c WHERE c.conname = i.indexname)`,
    [tables],
  );
  for (const i of indexes) await client.query(`DROP INDEX ${i.indexname}`);
  await load();
  const t = performance.now();
  for (const i of indexes) await client.query(i.indexdef);
  log(`  ${indexes.length} secondary indexes of ${tables.join(', ')} rebuilt in ${round((performance.now() - t) / 1000)} s`);
}

async function seed(client, now) {
  const retailers = [];
  for (let i = 0; i < RETAILERS; i++) retailers.push((await client.query(`INSERT INTO retailers (name) VALUES ($1) RETURNING id`, [`Bench Retailer ${i + 1}`])).rows[0].id);
  const t0 = performance.now();
  const step = async (label, sql, values) => {
    const t = performance.now();
    const { rowCount } = await client.query(sql, values);
    log(`  ${label}: ${rowCount.toLocaleString('en')} rows (${round((performance.now() - t) / 1000)} s)`);
    return rowCount;
  };
  const counts = {};
  // Loaded in chunks of shipments, in time order (newest first), so that every table lies in time order on disk.
  const edges = [];
  for (let start = 1; start <= SHIPMENTS; start += CHUNK) edges.push([start, Math.min(SHIPMENTS, start + CHUNK - 1)]);
  const at = (i) => new Date(now.getTime() - (i / SHIPMENTS) * DAYS * 86_400_000);
  await withoutSecondaryIndexes(client, ['shipments', 'messages', 'exceptions', 'surveys', 'customer_replies', 'exception_events'], async () => {
    for (const [start, end] of edges) counts.shipments = (counts.shipments ?? 0) + (await step(`shipments ${start}–${end}`, SEED_SHIPMENTS, [now, start, end, retailers]));
    for (const [start, end] of edges) {
      // Chunk [start, end] spans created_at (at(end), at(start - 1)].
      counts.messages = (counts.messages ?? 0) + (await step(`messages of shipments ${start}–${end}`, SEED_MESSAGES, [at(end + 0.5), at(start - 0.5)]));
    }
    for (const [start, end] of edges) counts.exceptions = (counts.exceptions ?? 0) + (await step(`exceptions of shipments ${start}–${end}`, SEED_EXCEPTIONS, [now, at(end + 0.5), at(start - 0.5)]));
    counts.exceptionEvents = await step('exception events', SEED_EXCEPTION_EVENTS, []);
    counts.surveys = await step('surveys', SEED_SURVEYS, []);
    counts.replies = await step('customer replies', SEED_REPLIES, [now]);
  });
  await client.query('VACUUM (ANALYZE) shipments, messages, exceptions, exception_events, surveys, customer_replies');
  return { retailers: retailers.length, counts, seedSeconds: round((performance.now() - t0) / 1000) };
}

async function explain(client, label, text, values) {
  const { rows } = await client.query(`EXPLAIN (ANALYZE, BUFFERS) ${text}`, values);
  const plan = rows.map((r) => r['QUERY PLAN']);
  console.log(`\n--- EXPLAIN (ANALYZE, BUFFERS): ${label}\n${plan.join('\n')}`);
  const execution = plan.find((l) => l.startsWith('Execution Time'));
  const text_ = plan.join('\n');
  return {
    label,
    executionMs: execution ? Number(/([\d.]+) ms/.exec(execution)[1]) : null,
    indexes: [...new Set([...text_.matchAll(/(?:Index (?:Only )?Scan (?:Backward )?using|Bitmap Index Scan on) (\w+)/g)].map((m) => m[1]))],
    seqScans: [...new Set(text_.match(/Seq Scan on (\w+)/g) ?? [])],
  };
}

const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

runMain(async () => {
  log(`bench:metrics — ${SHIPMENTS.toLocaleString('en')} shipments over ${DAYS} days, an exception on 1 in ${EXCEPTION_EVERY}; load ${loadAverages().uptime}`);
  await ensureDatabase(DB);
  if (!REUSE) await resetSchema(DB);
  const ds = new DataSource(dataSourceOptions({ url: DB, poolMax: 4 }));
  await ds.initialize();
  await ds.runMigrations({ transaction: 'each' });
  const now = REUSE
    ? (await withClient(DB, (c) => c.query(`SELECT max(created_at) AS now FROM shipments`))).rows[0].now
    : new Date();

  let seeded = { seedSeconds: 0 };
  if (!REUSE) {
    log('seeding (set-based SQL, generate_series)…');
    seeded = await withClient(DB, (c) => seed(c, now));
  }
  const sizes = await withClient(DB, async (c) =>
    (
      await c.query(
        `SELECT relname AS table, n_live_tup::bigint AS rows, pg_size_pretty(pg_total_relation_size(relid)) AS size
           FROM pg_stat_user_tables WHERE relname IN ('shipments', 'messages', 'exceptions', 'exception_events', 'surveys', 'customer_replies') ORDER BY relname`,
      )
    ).rows,
  );
  console.log(`\n${table(sizes, ['table', 'rows', 'size'])}`);

  const clock = new SystemClock();
  const metrics = new CxMetricsService(ds, clock);
  const rollup = new CxRollupService(ds, clock);
  const windows = [
    { name: 'last 30 days', from: new Date(now.getTime() - 30 * 86_400_000), to: now },
    { name: `all ${DAYS} days`, from: new Date(now.getTime() - (DAYS + 1) * 86_400_000), to: new Date(now.getTime() + 1) },
  ];
  const time = async (fn) => {
    const t = performance.now();
    const result = await fn();
    return { ms: performance.now() - t, result };
  };

  // Without the rollups (every row read live): what the rollups are for. One warm run of each window, by country.
  const liveOnly = [];
  if (!REUSE) {
    for (const w of windows) {
      await metrics.compute({ from: w.from, to: w.to, groupBy: 'country' });
      const { ms } = await time(() => metrics.compute({ from: w.from, to: w.to, groupBy: 'country' }));
      liveOnly.push({ window: w.name, groupBy: 'country', ms: round(ms) });
      log(`  without rollups, ${w.name} by country: ${round(ms)} ms`);
    }
  }

  log('rollups: backfill (every day back to the longest window, every exception decided)…');
  const backfill = await time(() => rollup.run({ maxDays: 400 }));
  log(`  ${JSON.stringify(backfill.result)} in ${round(backfill.ms)} ms`);
  const steadyRuns = [];
  for (let i = 0; i < 3; i++) steadyRuns.push(await time(() => rollup.run()));
  log(`  steady state (today and the unsettled days): ${steadyRuns.map((r) => `${round(r.ms)} ms ${JSON.stringify(r.result)}`).join('; ')}`);

  const timings = [];
  let sample;
  for (const w of windows) {
    for (const groupBy of GROUP_BYS) {
      const ms = [];
      for (let i = 0; i < RUNS + 1; i++) {
        const run = await time(() => metrics.compute({ from: w.from, to: w.to, groupBy }));
        if (i > 0) ms.push(run.ms); // the first run warms the cache
        if (w === windows[1] && groupBy === 'country') sample = run.result.totals;
      }
      timings.push({ window: w.name, groupBy, medianMs: round(median(ms)), maxMs: round(Math.max(...ms)), met: Math.max(...ms) < TARGET_MS ? 'yes' : 'NO' });
      log(`  ${w.name}, by ${groupBy}: ${timings[timings.length - 1].medianMs} ms`);
    }
  }
  console.log(`\ntotals over all ${DAYS} days: surveys ${JSON.stringify({ issued: sample.surveys.issued, responseRate: sample.surveys.responseRate, csat: sample.surveys.csatAverage, ces: sample.surveys.cesAverage })}`);
  console.log(`  exceptions ${JSON.stringify({ opened: sample.exceptions.opened, resolved: sample.exceptions.resolved, ttr: sample.exceptions.timeToResolve, fcr: sample.exceptions.firstContactResolution.rate, proactive: sample.exceptions.proactive.share })}`);
  console.log(`  wismo ${JSON.stringify(sample.wismo)}; sms ${JSON.stringify(sample.messages.sms)}`);

  // Each family's statement as compute() runs it (the same coverage of the window, JIT off, work_mem 64MB).
  const plans = await withClient(DB, async (c) => {
    await c.query(`SET jit = off`);
    await c.query(`SET work_mem = '64MB'`);
    const out = [];
    for (const w of windows) {
      const days = (await c.query(`SELECT day::text AS day, covered_until FROM cx_daily_stats_days WHERE day >= ($1::timestamptz AT TIME ZONE 'UTC')::date AND day < $2::timestamptz AT TIME ZONE 'UTC'`, [w.from, w.to])).rows;
      const cover = coverage(w.from, w.to, days.map((d) => ({ day: d.day, coveredUntil: new Date(d.covered_until) })));
      log(`  ${w.name}: ${cover.rolledDays.length} days from the rollup, live ${cover.live.map(([a, b]) => `${a.toISOString()}–${b.toISOString()}`).join(', ')}`);
      for (const [family, q] of [
        ['surveys', surveysQuery('country', cover)],
        ['exceptions', exceptionsQuery('country', cover)],
        ['wismo', wismoQuery('country', cover, WISMO_PATTERN)],
        ['messages', messagesQuery('country', cover)],
      ]) {
        out.push(await explain(c, `${family} by country, ${w.name}`, q.sql, q.params));
      }
    }
    return out;
  });
  await ds.destroy();

  if (liveOnly.length) console.log(`\nwithout the rollups:\n${table(liveOnly, ['window', 'groupBy', 'ms'])}`);
  console.log(`\nrollups: backfill ${round(backfill.ms)} ms ${JSON.stringify(backfill.result)}; steady state ${steadyRuns.map((r) => round(r.ms)).join(', ')} ms`);
  console.log(`\n${table(timings, ['window', 'groupBy', 'medianMs', 'maxMs', 'met'])}`);
  console.log(`\n${table(plans.map((p) => ({ ...p, indexes: p.indexes.join(', ') || '-', seqScans: p.seqScans.join(', ') || '-' })), ['label', 'executionMs', 'indexes', 'seqScans'])}`);
  const worst = Math.max(...timings.map((t) => t.maxMs));
  console.log(`\nmetrics over ${SHIPMENTS.toLocaleString('en')} shipments: worst ${worst} ms (target < ${TARGET_MS} ms) ${worst < TARGET_MS ? 'MET' : 'MISSED'}`);
  console.log(`load after: ${loadAverages().uptime}`);
  const file = writeResult('metrics', {
    revision: gitRevision(),
    shipments: SHIPMENTS,
    days: DAYS,
    exceptionEvery: EXCEPTION_EVERY,
    seeded,
    sizes,
    liveOnly,
    rollup: { backfillMs: round(backfill.ms), backfill: backfill.result, steadyMs: steadyRuns.map((r) => round(r.ms)) },
    timings,
    plans,
    met: worst < TARGET_MS,
  });
  log(`written ${file}`);
});
