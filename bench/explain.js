'use strict';
/**
 * node bench/explain.js [path/to/<tag>.queries.json] [--reps=15] [--plans]
 *
 * Replays, with EXPLAIN (ANALYZE, BUFFERS), one real sample of every statement Passage sent during a
 * benchmark window (captured by bench/child-hook.js when BENCH_COUNT_QUERIES=1), in request order, each
 * repetition in its own transaction that is rolled back. Prints per statement the median planning and
 * execution time, FK-trigger time and buffers; then the same for the floor's statements on passage_floor.
 * Run it right after the benchmark that wrote the file: it needs the data that run left behind.
 */
const fs = require('node:fs');
const path = require('node:path');
const L = require('./lib');

const ORDER = [
  /^WITH s AS \( SELECT id/,
  /^SELECT id, tracking_number FROM shipments/,
  /^SELECT id, retailer_id, tracking_number, status/,
  /^SELECT e\.source, e\.external_event_id/,
  /^SELECT shipment_id, code, occurred_at/,
  /^WITH guard AS/,
  /^INSERT INTO tracking_events/,
  /^WITH updated AS \(UPDATE shipments/,
  /^INSERT INTO shipment_status_history/,
  /^INSERT INTO journey_events/,
  /^SELECT s\.(id, s\.)?tracking_number/,
];
const SKIP = /^(START|BEGIN|COMMIT|ROLLBACK|SELECT k\.id|SELECT 1|SELECT version|SELECT \* FROM current_schema|SHOW)/i;

function latestQueriesFile() {
  const files = fs
    .readdirSync(L.RESULTS_DIR)
    .filter((f) => f.endsWith('.queries.json'))
    .map((f) => path.join(L.RESULTS_DIR, f))
    .sort((a, b) => fs.statSync(b).mtimeMs - fs.statSync(a).mtimeMs);
  if (!files.length) throw new Error('no *.queries.json in bench/results: run a benchmark with BENCH_COUNT_QUERIES=1 first');
  return files[0];
}

function median(values) {
  const s = [...values].sort((a, b) => a - b);
  return s.length ? s[Math.floor(s.length / 2)] : null;
}

function collect(planJson) {
  const [top] = planJson;
  const triggers = (top.Triggers || []).map((t) => ({ name: t['Trigger Name'] || t['Constraint Name'], ms: t.Time, calls: t.Calls }));
  const plan = top.Plan;
  return {
    planningMs: top['Planning Time'],
    executionMs: top['Execution Time'],
    triggerMs: triggers.reduce((a, t) => a + t.ms, 0),
    triggers,
    node: plan['Node Type'],
    rows: plan['Actual Rows'],
    sharedHit: plan['Shared Hit Blocks'],
    sharedRead: plan['Shared Read Blocks'],
    dirtied: plan['Shared Dirtied Blocks'],
    written: plan['Shared Written Blocks'],
  };
}

async function explainSet(url, statements, reps, showPlans) {
  const results = statements.map(() => []);
  const plans = statements.map(() => null);
  await L.withClient(url, async (c) => {
    for (let r = 0; r < reps; r++) {
      await c.query('BEGIN');
      for (let i = 0; i < statements.length; i++) {
        const { text, values } = await statements[i].make(r, c);
        const printPlan = showPlans && r === reps - 1;
        // The printed plan runs the same statement again: from before the first run's writes, else a guarded write finds its versions moved.
        if (printPlan) await c.query('SAVEPOINT before_plan');
        const { rows } = await c.query(`EXPLAIN (ANALYZE, BUFFERS, FORMAT JSON) ${text}`, values);
        results[i].push(collect(rows[0]['QUERY PLAN']));
        if (printPlan) {
          await c.query('ROLLBACK TO SAVEPOINT before_plan');
          const t = await c.query(`EXPLAIN (ANALYZE, BUFFERS) ${text}`, values);
          plans[i] = t.rows.map((row) => row['QUERY PLAN']).join('\n');
        }
      }
      await c.query('ROLLBACK');
    }
  });
  return statements.map((s, i) => {
    const runs = results[i];
    return {
      statement: s.label,
      planningMs: L.round(median(runs.map((x) => x.planningMs)), 3),
      executionMs: L.round(median(runs.map((x) => x.executionMs)), 3),
      triggerMs: L.round(median(runs.map((x) => x.triggerMs)), 3),
      rows: runs[runs.length - 1].rows,
      triggers: runs[runs.length - 1].triggers.map((t) => `${t.name}×${t.calls}`).join(' '),
      plan: plans[i],
    };
  });
}

function print(title, rows) {
  console.log(`\n${title}`);
  const view = rows.map((r) => ({ statement: r.statement, 'plan ms': r.planningMs, 'exec ms': r.executionMs, 'of which FK ms': r.triggerMs, rows: r.rows, 'FK triggers': r.triggers }));
  console.log(L.table(view, Object.keys(view[0])));
  const sum = (k) => L.round(rows.reduce((a, r) => a + (r[k] || 0), 0), 3);
  console.log(`total: planning ${sum('planningMs')} ms + execution ${sum('executionMs')} ms over ${rows.length} statements`);
  for (const r of rows) if (r.plan) console.log(`\n-- ${r.statement}\n${r.plan}`);
}

async function main() {
  const file = process.argv.slice(2).find((a) => !a.startsWith('--')) || latestQueriesFile();
  const reps = L.intOption('REPS', 15);
  const showPlans = process.argv.includes('--plans');
  const { queries } = JSON.parse(fs.readFileSync(file, 'utf8'));
  const benchUrl = L.option('DATABASE_URL', 'postgres://postgres@127.0.0.1:5432/passage_bench');
  const floorUrl = L.option('FLOOR_DATABASE_URL', 'postgres://postgres@127.0.0.1:5432/passage_floor');
  console.log(`samples from ${file}`);

  const rank = (shape) => {
    const i = ORDER.findIndex((re) => re.test(shape));
    return i < 0 ? ORDER.length : i;
  };
  const statements = queries
    .filter((q) => q.sample && q.sample.text && !SKIP.test(q.shape))
    .sort((a, b) => rank(a.shape) - rank(b.shape))
    .map((q) => ({
      label: q.shape.slice(0, 60),
      make: async (r, c) => {
        const values = q.sample.values ? JSON.parse(JSON.stringify(q.sample.values)) : [];
        // Fresh event ids, so that the insert inserts instead of hitting ON CONFLICT DO NOTHING.
        if (/^INSERT INTO tracking_events/.test(q.shape) && Array.isArray(values[3])) values[3] = values[3].map((id) => `${id}-explain-${r}-${Date.now()}`);
        if (/^WITH guard AS/.test(q.shape)) {
          // The guarded write: the shipments' current versions (else the guard refuses them and nothing is
          // written), and fresh event ids in the event, history and outbox rows ($2–$4, JSON).
          const updates = JSON.parse(values[0]);
          const { rows } = await c.query('SELECT id, version FROM shipments WHERE id = ANY($1::uuid[])', [updates.map((u) => u.id)]);
          const versions = new Map(rows.map((row) => [row.id, row.version]));
          values[0] = JSON.stringify(updates.map((u) => ({ ...u, version: versions.get(u.id) })));
          const suffix = `-explain-${r}-${Date.now()}`;
          for (const k of [1, 2, 3]) values[k] = JSON.stringify(JSON.parse(values[k]).map((row) => ({ ...row, external_event_id: row.external_event_id + suffix })));
        }
        return { text: q.sample.text, values };
      },
    }));
  const size = Math.max(
    1,
    ...queries.filter((q) => /^INSERT INTO tracking_events/.test(q.shape)).map((q) => (q.sample.values && Array.isArray(q.sample.values[0]) ? q.sample.values[0].length : 1)),
    ...queries.filter((q) => /^WITH guard AS/.test(q.shape)).map((q) => JSON.parse(q.sample.values[1]).length),
  );
  print(`Passage, as sampled (${size} event(s) per statement), median of ${reps}:`, await explainSet(benchUrl, statements, reps, showPlans));

  if (L.boolOption('SKIP_FLOOR')) return 0;
  if (queries.some((q) => /^SELECT s\.(id, s\.)?tracking_number/.test(q.shape))) {
    const lookup = fs.readFileSync(path.join(L.FLOOR_DIR, 'lookup.sql'), 'utf8').split('\n').filter((l) => !l.startsWith('\\')).join('\n');
    const statements = [{ label: 'floor lookup.sql', make: () => ({ text: lookup.replace(':sid', '$1::int').replace(/;\s*$/, ''), values: [1 + Math.floor(Math.random() * 100_000)] }) }];
    print(`Floor lookup.sql on passage_floor (as it stands: with or without seeded events), median of ${reps}:`, await explainSet(floorUrl, statements, reps, showPlans));
    return 0;
  }
  const batch = size > 1;
  const floor = batch
    ? [
        { label: 'INSERT INTO tracking_events (100)', sql: `INSERT INTO tracking_events (shipment_id, source, external_id, code, occurred_at, payload) SELECT $1::bigint + g, 'hub', 'explain-' || $2::text || '-' || g, 'OUT_FOR_DELIVERY', now(), '{"location":{"country":"DE","city":"Berlin"}}' FROM generate_series(0, 99) g ON CONFLICT (source, external_id) DO NOTHING` },
        { label: 'UPDATE shipments (100)', sql: `UPDATE shipments SET status = 'out_for_delivery', rank = 50, updated_at = now() WHERE id BETWEEN $1::bigint AND $1::bigint + 99 AND rank <= 50 AND $2::text IS NOT NULL` },
        { label: 'INSERT INTO outbox (100)', sql: `INSERT INTO outbox (shipment_id, channel, dedupe_key, payload) SELECT $1::bigint + g, 'email', ($1::bigint + g) || ':ofd:email:explain-' || $2::text, '{"template":"out_for_delivery"}' FROM generate_series(0, 99) g ON CONFLICT (dedupe_key) DO NOTHING` },
      ]
    : [
        { label: 'INSERT INTO tracking_events', sql: `INSERT INTO tracking_events (shipment_id, source, external_id, code, occurred_at, payload) VALUES ($1::bigint, 'hub', 'explain-' || $2::text, 'OUT_FOR_DELIVERY', now(), '{"location":{"country":"DE","city":"Berlin"}}') ON CONFLICT (source, external_id) DO NOTHING` },
        { label: 'UPDATE shipments', sql: `UPDATE shipments SET status = 'out_for_delivery', rank = 50, updated_at = now() WHERE id = $1::bigint AND rank <= 50 AND $2::text IS NOT NULL` },
        { label: 'INSERT INTO outbox', sql: `INSERT INTO outbox (shipment_id, channel, dedupe_key, payload) VALUES ($1::bigint, 'email', $1::bigint || ':out_for_delivery:email:explain-' || $2::text, '{"template":"out_for_delivery"}') ON CONFLICT (dedupe_key) DO NOTHING` },
      ];
  const floorStatements = floor.map((f) => ({
    label: f.label,
    make: (r) => ({ text: f.sql, values: [1 + Math.floor(Math.random() * 99_900), `${r}-${Date.now()}-${Math.random()}`] }),
  }));
  print(`Floor (${batch ? 'ingest-batch100.sql' : 'ingest.sql'}) on passage_floor, median of ${reps}:`, await explainSet(floorUrl, floorStatements, reps, showPlans));
  return 0;
}

L.runMain(main);
