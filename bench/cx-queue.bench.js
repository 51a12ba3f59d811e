'use strict';
/**
 * npm run bench:cx-queue — the CX desk's exception queue and search at scale, with the plans that serve them.
 *
 * Seeds, set-based, BENCH_SHIPMENTS (1M) shipments across 20 destination countries and BENCH_EXCEPTIONS
 * (100k) exceptions on them (all types; a fifth resolved; some assigned, some in an incident, some past their
 * SLA), then runs every filter of GET /v1/admin/exceptions as the repository builds it (listQuery, from dist)
 * and each arm of the search BENCH_REPS (25) times, printing the median and p95 execution time and the
 * indexes each plan uses (EXPLAIN ANALYZE). A plan without an index scan on the filtered table fails the run.
 * Uses its own database (BENCH_DATABASE_URL, default passage_bench_cx), dropped and recreated each run.
 */
const { randomUUID } = require('node:crypto');
const path = require('node:path');
const L = require('./lib');

const cfg = {
  databaseUrl: L.option('DATABASE_URL', 'postgres://postgres@127.0.0.1:5432/passage_bench_cx'),
  shipments: L.intOption('SHIPMENTS', 1_000_000),
  exceptions: L.intOption('EXCEPTIONS', 100_000),
  reps: L.intOption('REPS', 25),
};

const DIST = path.join(L.ROOT, 'dist');
const COUNTRIES = ['DE', 'FR', 'IT', 'ES', 'NL', 'BE', 'AT', 'PL', 'SE', 'DK', 'IE', 'PT', 'US', 'CA', 'AU', 'JP', 'KR', 'BR', 'MX', 'GB'];
const TYPES = ['delay', 'customs_hold', 'failed_attempt', 'address_issue', 'damaged', 'lost', 'needs_information', 'pickup_expiring', 'customer_reply', 'return_issue'];

async function seed(c) {
  const [{ id: retailerId }] = (await c.query(`INSERT INTO retailers (name) VALUES ('Bench CX') RETURNING id`)).rows;
  // A small retailer with 0.5 % of the shipments: its queue must not cost a scan of everyone else's.
  const [{ id: smallRetailerId }] = (await c.query(`INSERT INTO retailers (name) VALUES ('Bench CX small') RETURNING id`)).rows;
  const users = (await c.query(`INSERT INTO admin_users (email, name, role) SELECT 'agent' || g || '@bench.test', 'Agent ' || g, 'agent' FROM generate_series(1, 50) g RETURNING id`)).rows.map((r) => r.id);
  const started = Date.now();
  const chunk = 200_000;
  for (let from = 0; from < cfg.shipments; from += chunk) {
    await c.query(
      `INSERT INTO shipments (retailer_id, reference, tracking_number, service, incoterm, origin, destination_country, destination_city,
                              consignee, items, notify, created_at, status_changed_at)
       SELECT CASE WHEN g % 200 = 0 THEN $5::uuid ELSE $1::uuid END, 'REF-' || g, 'PSGB' || lpad(g::text, 12, '0'), 'standard', 'DAP', '{"country":"GB"}', ($3::text[])[1 + g % 20], 'City',
              jsonb_build_object('name', 'Bench ' || g, 'email', 'c' || g || '@example.com', 'phone', '+4915' || lpad(g::text, 9, '0'),
                                 'address', jsonb_build_object('lines', jsonb_build_array('Street 1'), 'city', 'City', 'country', 'DE')),
              '[]', '{"email":true,"sms":true}', now() - (g % 1000) * interval '1 hour', now()
         FROM generate_series($2::int + 1, $2::int + $4::int) g`,
      [retailerId, from, COUNTRIES, Math.min(chunk, cfg.shipments - from), smallRetailerId],
    );
  }
  L.log(`seeded ${cfg.shipments} shipments in ${L.round((Date.now() - started) / 1000)} s`);
  const t2 = Date.now();
  const incident = randomUUID();
  // One exception per (shipment, type) slot: shipment g gets type g % 10, spread over the shipments.
  await c.query(
    `INSERT INTO exceptions (retailer_id, shipment_id, type, severity, status, assignee_id, source, destination_country, sla_due_at,
                             opened_at, resolved_at, incident_id, created_at, updated_at)
     SELECT s.retailer_id, s.id, ($2::text[])[1 + n % 10], (ARRAY['low','medium','high','critical'])[1 + n % 4],
            CASE WHEN n % 5 = 0 THEN 'resolved' WHEN n % 5 = 1 THEN 'in_progress' WHEN n % 5 = 2 THEN 'waiting_customer' ELSE 'open' END,
            CASE WHEN n % 3 = 0 THEN ($3::uuid[])[1 + n % 50] END, 'event', s.destination_country,
            now() - (n % 200) * interval '1 hour' + interval '24 hours', now() - (n % 200) * interval '1 hour',
            CASE WHEN n % 5 = 0 THEN now() END, CASE WHEN n % 20 = 7 THEN $4::uuid END, now(), now()
       FROM (SELECT s.*, row_number() OVER () AS n FROM (SELECT * FROM shipments ORDER BY id LIMIT $1) s) s`,
    [cfg.exceptions, TYPES, users, incident],
  );
  L.log(`seeded ${cfg.exceptions} exceptions in ${L.round((Date.now() - t2) / 1000)} s`);
  for (const table of ['shipments', 'exceptions', 'admin_users']) await c.query(`VACUUM (ANALYZE) ${table}`);
  return { retailerId, smallRetailerId, assignee: users[0], incident };
}

function indexesOf(plan, acc = []) {
  if (plan['Index Name']) acc.push(`${plan['Node Type']}:${plan['Index Name']}`);
  else if (plan['Node Type'] === 'Seq Scan') acc.push(`Seq Scan:${plan['Relation Name']}`);
  for (const child of plan.Plans ?? []) indexesOf(child, acc);
  return acc;
}

async function measure(c, name, sql, params) {
  const times = [];
  let used = [];
  for (let i = 0; i < cfg.reps; i++) {
    const { rows } = await c.query(`EXPLAIN (ANALYZE, FORMAT JSON) ${sql}`, params);
    const [explained] = rows[0]['QUERY PLAN'];
    times.push(explained['Execution Time']);
    used = indexesOf(explained.Plan);
  }
  times.sort((a, b) => a - b);
  const row = { name, medianMs: L.round(times[Math.floor(times.length / 2)], 2), p95Ms: L.round(times[Math.floor(times.length * 0.95)], 2), plan: [...new Set(used)].join(', ') };
  L.log(`${name.padEnd(44)} median ${String(row.medianMs).padStart(7)} ms  p95 ${String(row.p95Ms).padStart(7)} ms  ${row.plan}`);
  return row;
}

async function main() {
  const { listQuery } = require(path.join(DIST, 'src/modules/cx/exceptions/exceptions.repository.js'));
  const { DataSource } = require('typeorm');
  const { dataSourceOptions } = require(path.join(DIST, 'src/database/data-source-options.js'));
  L.log(`bench:cx-queue — ${L.loadAverages().uptime}`);
  L.log(`config ${JSON.stringify(cfg)}`);
  await L.ensureDatabase(cfg.databaseUrl);
  await L.resetSchema(cfg.databaseUrl);
  const ds = new DataSource(dataSourceOptions({ url: cfg.databaseUrl, poolMax: 2 }));
  await ds.initialize();
  await ds.runMigrations({ transaction: 'each' });
  await ds.destroy();

  return L.withClient(cfg.databaseUrl, async (c) => {
    const seeded = await seed(c);
    const now = new Date();
    const base = { status: 'unresolved', sort: 'opened_at', order: 'asc', limit: 51, now };
    const scenarios = [
      ['queue (unresolved, oldest first)', {}],
      ['queue by sla_due_at', { sort: 'sla_due_at' }],
      ['queue newest first', { order: 'desc' }],
      ['status=open', { status: 'open' }],
      ['status=resolved', { status: 'resolved' }],
      ['type=customs_hold', { types: ['customs_hold'] }],
      ['type=customs_hold by sla_due_at', { types: ['customs_hold'], sort: 'sla_due_at' }],
      ['country=JP', { country: 'JP' }],
      ['retailer (99.5 % of shipments)', { retailerId: seeded.retailerId }],
      ['retailer (0.5 % of shipments)', { retailerId: seeded.smallRetailerId }],
      ['small retailer, status=open', { retailerId: seeded.smallRetailerId, status: 'open' }],
      ['country=JP, status=waiting_customer', { country: 'JP', status: 'waiting_customer' }],
      ['assignee', { assigneeId: seeded.assignee }],
      ['incident', { incidentId: seeded.incident }],
      ['olderThanHours=150', { openedBefore: new Date(now.getTime() - 150 * 3_600_000) }],
      ['slaBreached=true', { slaBreached: true, sort: 'sla_due_at' }],
      ['page 2 (cursor)', { after: { value: new Date(now.getTime() - 100 * 3_600_000), id: '00000000-0000-0000-0000-000000000000' } }],
    ];
    const results = [];
    L.log('GET /v1/admin/exceptions, one page of 50:');
    for (const [name, filter] of scenarios) {
      const { sql, params } = listQuery({ ...base, ...filter });
      const row = await measure(c, name, sql, params);
      if (!/Index|Bitmap/.test(row.plan) || /Seq Scan:exceptions/.test(row.plan)) throw new Error(`${name}: no index drives the plan (${row.plan})`);
      results.push(row);
    }
    L.log('GET /v1/admin/search, each arm:');
    const search = [
      ['tracking number', `SELECT id FROM shipments WHERE tracking_number = upper($1)`, ['psgb000000500000']],
      ['reference', `SELECT id FROM shipments WHERE reference = $1`, ['REF-500000']],
      ['email', `SELECT id FROM shipments WHERE consignee ? 'email' AND lower(consignee->>'email') = lower($1)`, ['C500000@example.com']],
      ['phone', `SELECT id FROM shipments WHERE consignee ? 'phone' AND consignee->>'phone' = $1`, ['+4915000500000']],
    ];
    for (const [name, sql, params] of search) {
      const row = await measure(c, name, sql, params);
      if (/Seq Scan/.test(row.plan)) throw new Error(`${name}: sequential scan`);
      results.push(row);
    }
    return 0;
  });
}

L.runMain(main);
