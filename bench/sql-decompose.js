'use strict';
/**
 * node bench/sql-decompose.js — is single-event ingestion bound by its SQL or by Node?
 *
 * Runs, back to back with the same clients and duration (-c 16 -j 2 -T BENCH_FLOOR_DURATION):
 *   1. the floor, ingest.sql on a fresh passage_floor (as its README says);
 *   2. bench/sql/passage-ingest.sql: Passage's own 9 statements per event, pgbench -M extended (as pg sends them);
 *   3. bench/sql/passage-ingest-merged.sql: the same writes in 4 round trips (the shape before the optimistic write);
 *   4. bench/sql/passage-ingest-optimistic.sql: the optimistic shape src/ sends now, 2 round trips and no transaction,
 *      unnamed (-M extended) and as named prepared statements (-M prepared), as src/ sends them now.
 * (2) and (3) run on passage_bench as a previous bench:ingest or bench:lookup run left it (no Node involved).
 * If (2) is far above Passage's HTTP figure, Node is the bound; the gap between (2) and (3) is what merging
 * statements in src/ would buy.
 */
const path = require('node:path');
const L = require('./lib');

async function main() {
  const benchUrl = L.option('DATABASE_URL', 'postgres://postgres@127.0.0.1:5432/passage_bench');
  const floorUrl = L.option('FLOOR_DATABASE_URL', 'postgres://postgres@127.0.0.1:5432/passage_floor');
  const seconds = L.intOption('FLOOR_DURATION', 20);
  const clients = L.intOption('CLIENTS', 16);
  const load = { start: L.loadAverages() };
  L.log(`sql-decompose — ${load.start.uptime}`);

  const nships = await L.withClient(benchUrl, async (c) => {
    await c.query('DROP TABLE IF EXISTS bench_pick');
    await c.query(`CREATE TABLE bench_pick AS SELECT row_number() OVER (ORDER BY reference)::int AS n, tracking_number AS tn
                     FROM shipments WHERE reference LIKE 'BENCH-%' AND reference <> 'BENCH-TEMPLATE'`);
    await c.query('ALTER TABLE bench_pick ADD PRIMARY KEY (n)');
    await c.query('VACUUM (ANALYZE) bench_pick');
    const { rows: [r] } = await c.query('SELECT count(*)::int AS n FROM bench_pick');
    return r.n;
  });
  if (nships === 0) throw new Error('passage_bench holds no seeded shipments: run npm run bench:ingest first');
  L.log(`passage_bench: ${nships} seeded shipments`);
  await L.prepareFloor(floorUrl);

  const runs = [];
  const run = async (label, url, script, protocol, defines) => {
    const loadBefore = L.loadAverages();
    const sampler = L.startSampler(null, L.parseDbUrl(url).database);
    const r = await L.pgbench(url, { clients, threads: 2, seconds, script, protocol, defines });
    const res = sampler.stop();
    const row = { run: label, 'events/s': L.round(r.tps, 1), 'avg ms': r.latencyAvgMs, 'pg CPU %': res.postgresCpuPercent, 'pg CPU ms/event': L.round((res.postgresCpuPercent * 10) / r.tps, 2), 'machine busy %': res.machineBusyPercent, load1: loadBefore.one, failed: r.failed };
    L.log(JSON.stringify(row));
    runs.push({ ...row, command: r.command });
  };
  await run('floor ingest.sql (simple protocol, 5 round trips)', floorUrl, 'ingest.sql');
  await run('Passage statements (extended, 9 round trips)', benchUrl, path.join(__dirname, 'sql/passage-ingest.sql'), 'extended', { nships });
  await run('Passage work merged (extended, 4 round trips)', benchUrl, path.join(__dirname, 'sql/passage-ingest-merged.sql'), 'extended', { nships });
  await run('Passage optimistic (extended, 2 round trips, autocommit)', benchUrl, path.join(__dirname, 'sql/passage-ingest-optimistic.sql'), 'extended', { nships });
  await run('Passage optimistic, prepared as src/ sends it now', benchUrl, path.join(__dirname, 'sql/passage-ingest-optimistic.sql'), 'prepared', { nships });
  await L.withClient(benchUrl, (c) => c.query('DROP TABLE IF EXISTS bench_pick'));

  load.end = L.loadAverages();
  console.log(`\n== sql-decompose (-c ${clients} -j 2 -T ${seconds}) ==`);
  console.log(`load average at start: ${load.start.one} ${load.start.five} ${load.start.fifteen}; at end: ${load.end.one} ${load.end.five} ${load.end.fifteen}`);
  console.log(`\n${L.table(runs, ['run', 'events/s', 'avg ms', 'pg CPU %', 'pg CPU ms/event', 'machine busy %', 'load1', 'failed'])}`);
  console.log(`\nresults: ${L.writeResult('sql-decompose', { at: new Date().toISOString(), load, runs })}`);
  return 0;
}

L.runMain(main);
