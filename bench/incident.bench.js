// bench:incident — "tell 5,000 affected customers about a grounded flight in one action" (issue 5): seeds 100,000
// shipments in bulk with set-based SQL on the real schema (migrations applied), 5,000 of them scanned onto one
// flight's manifest, then previews and declares an incident on that manifest and plans every message it causes.
// Reports the preview time, the declare time, the time until every exception is open and every consignee message
// is planned, the CPU of the app (this process) and of PostgreSQL, and counts the messages: exactly one per
// consignee per channel. No HTTP: the app's services run in this process, loaded from dist/, against its own database.
'use strict';
const path = require('node:path');
const { performance } = require('node:perf_hooks');
const { APP_DIR, backendCpuTicks, cpuMsBetween, option, intOption, log, round, loadAverages, runMain, ensureDatabase, resetSchema, withClient, table, writeResult, gitRevision } = require('./lib');

const DB = option('DATABASE_URL', 'postgres://postgres@127.0.0.1:5432/passage_bench_incident');
const SHIPMENTS = intOption('SHIPMENTS', 100_000);
const IN_SCOPE = intOption('IN_SCOPE', 5_000);
/** In scope, consignee k % CONSIGNEES: the first IN_SCOPE - CONSIGNEES consignees have two parcels on the flight. */
const CONSIGNEES = intOption('CONSIGNEES', 4_000);
/** Planner batch (the worker's PlanLoop plans 200 events per transaction). */
const PLAN_BATCH = intOption('PLAN_BATCH', 200);
const MANIFEST = 'LH400-FRA-JFK';
const STEP = Math.floor(SHIPMENTS / IN_SCOPE);
if (STEP < 2 || CONSIGNEES > IN_SCOPE || CONSIGNEES % 2 !== 0) throw new Error('need SHIPMENTS ≥ 2 × IN_SCOPE and an even CONSIGNEES ≤ IN_SCOPE');

const dist = (p) => require(path.join(APP_DIR, 'dist', p));
const { DataSource } = require(path.join(APP_DIR, 'node_modules/typeorm'));
const { Module, Logger } = require(path.join(APP_DIR, 'node_modules/@nestjs/common'));
const { NestFactory } = require(path.join(APP_DIR, 'node_modules/@nestjs/core'));
// The services log through Nest's static logger; the benchmark prints its own summary.
Logger.overrideLogger(false);
const { dataSourceOptions } = dist('src/database/data-source-options.js');
const { loadAppConfig } = dist('src/config/app-config.js');
const { AppModule } = dist('src/app.module.js');
const { PlannerModule } = dist('src/modules/notifications/planner/planner.module.js');
const { PlannerService } = dist('src/modules/notifications/planner/planner.service.js');
const { IncidentsService } = dist('src/modules/cx/incidents/incidents.service.js');

/**
 * Shipments [$2, $3] of two retailers ($4, $5), relative to $1 (now). A third delivered, the rest on their way
 * (DE, from GB/US/CN), each with one scan 6 h ago on some manifest; every STEP-th (k = i / STEP) is on MANIFEST,
 * to consignee k % CONSIGNEES (the same retailer for both of a consignee's parcels), a third of them with a phone
 * and SMS consent.
 */
const SEED_SHIPMENTS = `
WITH p AS (
  SELECT i, i % ${STEP} = 0 AS flight, i / ${STEP} AS k,
         CASE WHEN i % ${STEP} <> 0 AND i % 3 = 0 THEN 'delivered' ELSE 'in_transit' END AS status,
         (ARRAY['GB','US','CN'])[1 + i % 3] AS o
    FROM generate_series($2::int, $3::int) AS g(i)
), c AS (
  SELECT p.*, CASE WHEN flight THEN 'flyer' || (k % ${CONSIGNEES}) ELSE 'c' || i END AS who,
         flight AND (k % ${CONSIGNEES}) % 3 = 0 AS texts
    FROM p
)
INSERT INTO shipments (retailer_id, reference, tracking_number, service, incoterm, status, status_rank, status_changed_at,
                       last_event_occurred_at, origin, destination_country, destination_city, consignee, consignee_postcode_key,
                       items, notify, metadata, estimated_delivery_from, estimated_delivery_to, delivered_at, compliance_status,
                       version, created_at, updated_at)
SELECT CASE WHEN (CASE WHEN flight THEN k % ${CONSIGNEES} ELSE i END) % 2 = 0 THEN $4::uuid ELSE $5::uuid END,
       'INC-' || i, 'PI' || lpad(i::text, 12, '0'), 'standard', 'DAP', status, CASE status WHEN 'delivered' THEN 60 ELSE 20 END,
       $1::timestamptz - interval '1 day', $1::timestamptz - interval '6 hours',
       jsonb_build_object('country', o, 'city', 'Origin', 'postcode', '1000'), 'DE', 'Berlin',
       jsonb_build_object('name', 'Bench Consignee', 'email', who || '@example.com',
                          'address', jsonb_build_object('lines', jsonb_build_array('1 Bench Street'), 'city', 'Berlin', 'postcode', '10115', 'country', 'DE'))
         || CASE WHEN texts THEN jsonb_build_object('phone', '+4915' || lpad((k % ${CONSIGNEES})::text, 9, '0')) ELSE '{}'::jsonb END,
       '10115',
       '[{"description":"Cotton T-shirt","hsCode":"610910","quantity":1,"unitValue":1999,"currency":"EUR","originCountry":"PT","weightGrams":250}]',
       jsonb_build_object('email', true, 'sms', texts), '{}',
       $1::timestamptz + interval '1 day', $1::timestamptz + interval '3 days', CASE WHEN status = 'delivered' THEN $1::timestamptz - interval '6 hours' END,
       'ok', 2, $1::timestamptz - interval '2 days', $1::timestamptz - interval '6 hours'
  FROM c`;

/** One hub scan 6 h ago per shipment of the chunk: on MANIFEST for the flight's, on one of 97 other manifests for the rest. */
const SEED_SCANS = `
INSERT INTO tracking_events (shipment_id, retailer_id, source, external_event_id, code, original_code, occurred_at, location, raw,
                             outcome, status_before, status_after)
SELECT s.id, s.retailer_id, 'bench', 'scan-' || s.reference, 'HUB_SCAN', 'HUB_SCAN', $1::timestamptz - interval '6 hours',
       '{"country":"DE","city":"Frankfurt","facility":"FRA hub"}',
       jsonb_build_object('raw', jsonb_build_object('manifest',
         CASE WHEN substr(s.reference, 5)::int % ${STEP} = 0 THEN '${MANIFEST}' ELSE 'XX' || (substr(s.reference, 5)::int % 97) || '-FRA' END)),
       'applied', 'in_transit', 'in_transit'
  FROM shipments s WHERE s.reference >= 'INC-' AND substr(s.reference, 5)::int BETWEEN $2 AND $3`;

async function seed(client, now) {
  const retailers = (await client.query(`INSERT INTO retailers (name) VALUES ('Bench Retailer A'), ('Bench Retailer B') RETURNING id`)).rows.map((r) => r.id);
  // Each retailer's one incident notice goes to its operations address.
  await client.query(`INSERT INTO retailer_notification_settings (retailer_id, retailer_email) SELECT id, 'ops-' || id || '@example.com' FROM unnest($1::uuid[]) AS id`, [retailers]);
  const t0 = performance.now();
  const CHUNK = 50_000;
  for (let start = 1; start <= SHIPMENTS; start += CHUNK) {
    const end = Math.min(SHIPMENTS, start + CHUNK - 1);
    await client.query(SEED_SHIPMENTS, [now, start, end, retailers[0], retailers[1]]);
    await client.query(SEED_SCANS, [now, start, end]);
    log(`  seeded ${end.toLocaleString('en')} shipments with a scan each (${round((performance.now() - t0) / 1000)} s)`);
  }
  await client.query('VACUUM (ANALYZE) shipments, tracking_events');
  return { retailers, seedSeconds: round((performance.now() - t0) / 1000) };
}

/** Runs `fn` and measures its wall time and the CPU it cost: this process (the app's services) and the database's backends. */
async function measured(fn) {
  const node0 = process.cpuUsage();
  const pg0 = backendCpuTicks(DB);
  const t0 = performance.now();
  const result = await fn();
  const ms = performance.now() - t0;
  const node = process.cpuUsage(node0);
  const pgMs = cpuMsBetween(pg0, backendCpuTicks(DB));
  return { result, ms: round(ms), nodeCpuMs: round((node.user + node.system) / 1000), pgCpuMs: pgMs };
}

/** The incident's consignee messages, per channel: rows, recipients, and recipients with more than one. */
async function messageCounts(client, incidentId) {
  const { rows } = await client.query(
    `SELECT channel, count(*)::int AS messages, count(DISTINCT recipient)::int AS recipients,
            count(*) FILTER (WHERE status = 'pending')::int AS pending, count(*) FILTER (WHERE status = 'skipped')::int AS skipped,
            count(*) FILTER (WHERE next_attempt_at > now() + interval '1 minute')::int AS deferred
       FROM messages WHERE milestone = 'incident:' || $1 AND audience = 'consignee' GROUP BY channel ORDER BY channel`,
    [incidentId],
  );
  const [{ retailer }] = (await client.query(`SELECT count(*)::int AS retailer FROM messages WHERE milestone = 'incident:' || $1 AND audience = 'retailer'`, [incidentId])).rows;
  return { byChannel: rows, retailerNotices: retailer };
}

/** What the seed says the incident must come to: consignees (per retailer), and those of them who can be texted. */
async function expected(client) {
  const { rows } = await client.query(
    `SELECT count(*)::int AS shipments,
            count(DISTINCT (retailer_id, lower(consignee->>'email')))::int AS consignees,
            count(DISTINCT (retailer_id, consignee->>'phone')) FILTER (WHERE consignee ? 'phone')::int AS texted
       FROM shipments WHERE reference >= 'INC-' AND substr(reference, 5)::int % ${STEP} = 0 AND status = 'in_transit'`,
  );
  return rows[0];
}

runMain(async () => {
  log(`bench:incident — ${IN_SCOPE.toLocaleString('en')} shipments on ${MANIFEST} among ${SHIPMENTS.toLocaleString('en')}, ${CONSIGNEES.toLocaleString('en')} consignees; load ${loadAverages().uptime}`);
  await ensureDatabase(DB);
  await resetSchema(DB);
  const ds = new DataSource(dataSourceOptions({ url: DB, poolMax: 2 }));
  await ds.initialize();
  await ds.runMigrations({ transaction: 'each' });
  await ds.destroy();
  const now = new Date();
  log('seeding (set-based SQL, generate_series)…');
  const seeded = await withClient(DB, (c) => seed(c, now));
  await withClient(DB, (c) => c.query('CHECKPOINT'));
  const want = await withClient(DB, expected);
  log(`  in scope: ${JSON.stringify(want)}`);

  // The api role's services (the admin endpoints call IncidentsService) plus the worker's planner, in this
  // process; no HTTP server, no worker loops: the benchmark drives the planner as one worker would.
  const config = loadAppConfig(
    { NODE_ENV: 'development', DATABASE_URL: DB, DATABASE_POOL_MAX: '8', LOG_LEVEL: 'silent', MIGRATIONS_RUN: 'false', SEED_DEMO: 'false', DETECTION_INTERVAL_SECONDS: '0' },
    { role: 'api' },
  );
  class BenchModule {}
  Module({ imports: [AppModule.forRoot(config), PlannerModule] })(BenchModule);
  const app = await NestFactory.createApplicationContext(BenchModule, { logger: false });
  await app.init();
  const incidents = app.get(IncidentsService);
  const planner = app.get(PlannerService);
  const body = {
    kind: 'flight_cancelled',
    title: `${MANIFEST} grounded (storm)`,
    scope: { manifest: MANIFEST },
    expectedDelayHours: 24,
    messages: { de: 'Ein Sturm hält den Flug mit Ihrem Paket am Boden. Es fliegt mit dem nächsten Flug.', en: 'A storm grounded the flight carrying your parcel; it flies on the next one.' },
  };

  log('preview…');
  const preview = await measured(() => incidents.preview(body));
  log(`  ${preview.ms} ms: ${preview.result.shipments} shipments, ${preview.result.consignees} consignees, ${preview.result.retailers} retailers`);

  log('declare (opens the exceptions and writes the journey events, in batches of 1,000)…');
  const declared = await measured(() => incidents.declare('user:bench', body));
  const incidentId = declared.result.id;
  const { rows: [{ exceptions }] } = await withClient(DB, (c) => c.query(`SELECT count(*)::int AS exceptions FROM exceptions WHERE incident_id = $1 AND status = 'open'`, [incidentId]));
  log(`  ${declared.ms} ms: ${JSON.stringify(declared.result.progress)}; ${exceptions} exceptions open`);

  log(`planning (PlannerService.planOnce(${PLAN_BATCH}) until no event is left, as one worker)…`);
  let rounds = 0;
  const planned = await measured(async () => {
    const totals = { events: 0, planned: 0, skipped: {}, duplicates: 0, deferred: 0 };
    for (;;) {
      const s = await planner.planOnce(PLAN_BATCH);
      if (s.events === 0) break;
      rounds += 1;
      totals.events += s.events;
      totals.planned += s.planned;
      totals.duplicates += s.duplicates;
      totals.deferred += s.deferred;
      for (const [k, v] of Object.entries(s.skipped)) totals.skipped[k] = (totals.skipped[k] ?? 0) + v;
    }
    return totals;
  });
  log(`  ${planned.ms} ms in ${rounds} transactions: ${JSON.stringify(planned.result)}`);
  const counts = await withClient(DB, (c) => messageCounts(c, incidentId));
  await app.close();

  const email = counts.byChannel.find((r) => r.channel === 'email') ?? { messages: 0, recipients: 0 };
  const sms = counts.byChannel.find((r) => r.channel === 'sms') ?? { messages: 0, recipients: 0 };
  const checks = [
    { check: 'shipments taken in', want: want.shipments, got: declared.result.progress.shipments },
    { check: 'exceptions open on the incident', want: want.shipments, got: exceptions },
    { check: 'consignees notified', want: want.consignees, got: declared.result.progress.consigneesNotified },
    { check: 'consignee emails (one per consignee)', want: want.consignees, got: `${email.messages} to ${email.recipients} recipients` },
    { check: 'consignee SMS (one per texted consignee)', want: want.texted, got: `${sms.messages} to ${sms.recipients} recipients` },
    { check: 'retailer notices (one per retailer)', want: preview.result.retailers, got: counts.retailerNotices },
  ];
  const ok =
    declared.result.progress.shipments === want.shipments &&
    exceptions === want.shipments &&
    email.messages === want.consignees &&
    email.recipients === want.consignees &&
    sms.messages === want.texted &&
    sms.recipients === want.texted &&
    counts.retailerNotices === preview.result.retailers;
  const total = { ms: round(declared.ms + planned.ms), nodeCpuMs: round(declared.nodeCpuMs + planned.nodeCpuMs), pgCpuMs: declared.pgCpuMs + planned.pgCpuMs };
  const rows = [
    { phase: 'preview', ms: preview.ms, 'CPU app ms': preview.nodeCpuMs, 'CPU PostgreSQL ms': preview.pgCpuMs },
    { phase: 'declare (exceptions open, events written)', ms: declared.ms, 'CPU app ms': declared.nodeCpuMs, 'CPU PostgreSQL ms': declared.pgCpuMs },
    { phase: 'plan every message', ms: planned.ms, 'CPU app ms': planned.nodeCpuMs, 'CPU PostgreSQL ms': planned.pgCpuMs },
    { phase: 'declare → every exception open and message planned', ms: total.ms, 'CPU app ms': total.nodeCpuMs, 'CPU PostgreSQL ms': total.pgCpuMs },
  ];
  console.log(`\n${table(rows, ['phase', 'ms', 'CPU app ms', 'CPU PostgreSQL ms'])}`);
  console.log(`\nconsignee messages by channel:\n${table(counts.byChannel, ['channel', 'messages', 'recipients', 'pending', 'skipped', 'deferred'])}`);
  console.log(`\n${table(checks, ['check', 'want', 'got'])}`);
  console.log(`\n${ok ? 'COUNTS OK' : 'COUNTS WRONG'}: exactly one message per consignee per channel${ok ? '' : ' — see the table above'}`);
  console.log(`load after: ${loadAverages().uptime}`);
  const file = writeResult('incident', { revision: gitRevision(), shipments: SHIPMENTS, inScope: IN_SCOPE, consignees: CONSIGNEES, seeded, want, preview, declared: { ...declared, result: declared.result.progress }, planned, rounds, counts, total, ok, load: loadAverages() });
  log(`written ${file}`);
  return ok ? 0 : 1;
});
