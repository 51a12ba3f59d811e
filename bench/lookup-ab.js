'use strict';
/**
 * node bench/lookup-ab.js --app-dir-b=/path/to/other/build[,/path/to/a/third] — public-tracking lookups of
 * builds of Passage and of the node floor (bench/node-floor.js), in short interleaved windows, for comparisons
 * on a machine whose speed drifts (a shared 2-core box).
 *
 * Reads the data a previous `npm run bench:lookup` seeded in BENCH_DATABASE_URL (read-only: lookups change
 * nothing). All builds run at once (A: BENCH_APP_DIR, this tree by default; B, C…: BENCH_APP_DIR_B,
 * comma-separated), with the node floor. Then, BENCH_ROUNDS times, for every server in a shuffled order:
 * unthrottled with 8 connections for BENCH_WINDOW seconds (capacity), then paced at BENCH_RATE for
 * BENCH_PACED_WINDOW seconds. Capacity is taken as a ratio to the node floor's in the same round, so slow drift
 * cancels; medians are reported, and each server's paced windows pooled.
 * The builds' figures are comparable with each other; a full `npm run bench:lookup` remains the reference.
 */
const { randomUUID } = require('node:crypto');
const L = require('./lib');

const cfg = {
  databaseUrl: L.option('DATABASE_URL', 'postgres://postgres@127.0.0.1:5432/passage_bench'),
  appB: L.option('APP_DIR_B', ''),
  poolMax: L.intOption('POOL_MAX', L.DEFAULT_POOL_MAX),
  rounds: L.intOption('ROUNDS', 3),
  window: L.intOption('WINDOW', 10),
  pacedWindow: L.intOption('PACED_WINDOW', 20),
  rate: L.intOption('RATE', 500),
  connections: L.intOption('CONNECTIONS', 16),
};

const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length ? s[Math.floor((s.length - 1) / 2)] : null;
};

async function main() {
  const numbers = await L.seededTrackingNumbers(cfg.databaseUrl);
  if (numbers.length < 1000) throw new Error(`only ${numbers.length} seeded shipments in ${cfg.databaseUrl}: run npm run bench:lookup first`);
  const randomPath = L.lookupPathOver(numbers);
  L.log(`lookup-ab: ${numbers.length} seeded shipments; config ${JSON.stringify(cfg)}`);

  const builds = [L.APP_DIR, ...cfg.appB.split(',').filter(Boolean)];
  const servers = [];
  try {
    for (const [i, appDir] of builds.entries()) {
      const server = await L.startPassage({ databaseUrl: cfg.databaseUrl, adminToken: `bench-admin-${randomUUID()}`, poolMax: cfg.poolMax, appDir });
      servers.push({ label: String.fromCharCode(65 + i), appDir, server });
    }
    servers.push({ label: 'node floor', appDir: L.APP_DIR, server: await L.startNodeFloor({ databaseUrl: cfg.databaseUrl, poolMax: cfg.poolMax }) });
    for (const s of servers) L.log(`${s.label}: ${s.appDir} pid ${s.server.pid} on ${s.server.baseUrl}`);

    const drive = (server, opts) => L.driveLookups(server, numbers, opts);
    for (const s of servers) L.assertClean(`${s.label} warm-up`, L.summarizeAutocannon(await drive(s.server, { connections: 4, duration: 5 })));

    const results = new Map(servers.map((s) => [s.label, { capacity: [], ratio: [], cpuAtRate: [], paced: [] }]));
    for (let round = 1; round <= cfg.rounds; round++) {
      const capacityThisRound = new Map();
      for (const s of [...servers].sort(() => Math.random() - 0.5)) {
        const r = results.get(s.label);
        const sampler = L.startSampler(s.server.pid, L.parseDbUrl(cfg.databaseUrl).database);
        const capacity = L.summarizeAutocannon(await drive(s.server, { connections: 8, duration: cfg.window }));
        sampler.stop();
        L.assertClean(`${s.label} capacity`, capacity);
        const pacedSampler = L.startSampler(s.server.pid, L.parseDbUrl(cfg.databaseUrl).database);
        const paced = await L.pacedLoad({ baseUrl: s.server.baseUrl, rate: cfg.rate, duration: cfg.pacedWindow, connections: cfg.connections, pathFor: randomPath });
        const resources = pacedSampler.stop();
        L.assertClean(`${s.label} paced`, paced);
        capacityThisRound.set(s.label, capacity.reqPerS);
        r.capacity.push(capacity.reqPerS);
        r.cpuAtRate.push(resources.childCpuPercent);
        r.paced.push(paced);
        L.log(`round ${round} ${s.label}: capacity ${capacity.reqPerS} req/s; paced ${cfg.rate}/s p50 ${paced.p50Ms} ms, p99 ${paced.p99Ms} ms, CPU ${resources.childCpuPercent} % of a core`);
      }
      for (const s of servers) results.get(s.label).ratio.push(capacityThisRound.get(s.label) / capacityThisRound.get('node floor'));
    }

    const rows = servers.map((s) => {
      const r = results.get(s.label);
      const pooled = L.pooledLatencies(r.paced);
      return {
        build: s.label,
        'capacity req/s (median)': median(r.capacity),
        '÷ node floor (median)': `${(median(r.ratio) * 100).toFixed(1)} %`,
        [`CPU % at ${cfg.rate}/s (median)`]: median(r.cpuAtRate),
        'paced p50 ms (pooled)': pooled.p50Ms,
        'paced p99 ms (pooled)': pooled.p99Ms,
        'paced p99 per window': r.paced.map((p) => p.p99Ms).join(', '),
        dir: s.appDir,
      };
    });
    console.log(`\n== lookup-ab (${cfg.rounds} rounds, capacity ${cfg.window} s, paced ${cfg.pacedWindow} s, pool ${cfg.poolMax}) ==`);
    console.log(L.table(rows, Object.keys(rows[0])));
    return 0;
  } finally {
    for (const s of servers) await s.server.stop();
  }
}

L.runMain(main);
