'use strict';
/**
 * node bench/ingest-ab.js --app-dir-b=/path/to/other/build[,/path/to/a/third] — builds of Passage and the
 * SQL floor, in short interleaved windows, for comparisons on a machine whose load drifts (a shared 2-core box).
 *
 * All builds run at once (A: BENCH_APP_DIR, this tree by default, on passage_bench; B, C…: BENCH_APP_DIR_B,
 * comma-separated, on passage_bench_b, passage_bench_c…), each seeded as bench:ingest seeds. Then,
 * BENCH_ROUNDS times: mode (a) for every build and the floor in a shuffled order, BENCH_WINDOW seconds each,
 * then mode (b) the same way. Each window's ratio is taken against the floor window of the same round, so
 * slow drift cancels; the medians are reported.
 * The builds' figures are comparable with each other; a full `npm run bench:ingest` remains the reference.
 */
const { randomUUID } = require('node:crypto');
const path = require('node:path');
const L = require('./lib');

const cfg = {
  urlA: L.option('DATABASE_URL', 'postgres://postgres@127.0.0.1:5432/passage_bench'),
  floorUrl: L.option('FLOOR_DATABASE_URL', 'postgres://postgres@127.0.0.1:5432/passage_floor'),
  appB: L.option('APP_DIR_B', ''),
  poolMax: L.intOption('POOL_MAX', L.DEFAULT_POOL_MAX),
  shipments: L.intOption('SHIPMENTS', 20_000),
  rounds: L.intOption('ROUNDS', 3),
  window: L.intOption('WINDOW', 8),
  concurrency: L.intOption('CONCURRENCY', 16),
  batch: L.intOption('BATCH', 100),
  batchConcurrency: L.intOption('BATCH_CONCURRENCY', 4),
  modes: L.option('MODES', 'a,b').split(','),
};

const CODES = ['HUB_SCAN', 'OUT_FOR_DELIVERY'];
const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length ? s[Math.floor((s.length - 1) / 2)] : null;
};

async function startBuild(label, appDir, url, runId) {
  const adminToken = `bench-admin-${randomUUID()}`;
  await L.ensureDatabase(url);
  await L.resetSchema(url);
  const passage = await L.startPassage({ databaseUrl: url, adminToken, poolMax: cfg.poolMax, appDir });
  const tenants = await L.setupTenants(passage.baseUrl, adminToken);
  const template = await L.bookTemplate(passage.baseUrl, tenants, { withJourney: false });
  const numbers = await L.seedFromTemplate(url, template, { count: cfg.shipments, withEvents: false });
  await L.vacuumAnalyze(url);
  L.log(`${label}: ${appDir} pid ${passage.pid} on ${passage.baseUrl}, ${numbers.length} shipments`);
  let seq = 0;
  const base = Date.now() - 2 * 3_600_000;
  const body = (mode, size) => {
    const events = new Array(size);
    for (let i = 0; i < size; i++) {
      seq += 1;
      events[i] = {
        trackingNumber: numbers[Math.floor(Math.random() * numbers.length)],
        eventId: `${label}${mode}-${runId}-${seq}`,
        code: CODES[Math.random() < 0.5 ? 0 : 1],
        occurredAt: new Date(base + seq).toISOString(),
        location: { country: 'DE', city: 'Berlin' },
      };
    }
    return JSON.stringify({ events });
  };
  const drive = async (mode, size, connections, duration) => {
    const sampler = L.startSampler(passage.pid, L.parseDbUrl(url).database);
    const raw = await L.runAutocannon({
      url: passage.baseUrl,
      connections,
      duration,
      pipelining: 1,
      timeout: 30,
      requests: [
        {
          method: 'POST',
          path: '/v1/tracking-events',
          headers: { authorization: `Bearer ${tenants.carrierKey}`, 'content-type': 'application/json' },
          setupRequest: (req) => ({ ...req, body: body(mode, size) }),
        },
      ],
    });
    const resources = sampler.stop();
    const http = L.summarizeAutocannon(raw);
    L.assertClean(`${label} (${mode})`, http);
    const eventsPerS = (http.ok2xx * size) / http.durationS;
    return {
      eventsPerS: L.round(eventsPerS, 1),
      p99Ms: http.p99Ms,
      nodeCpuMsPerEvent: L.round((resources.childCpuPercent * 10) / eventsPerS, 3),
      pgCpuMsPerEvent: L.round((resources.postgresCpuPercent * 10) / eventsPerS, 3),
      maxRssMb: resources.maxRssMb,
      machineBusyPercent: resources.machineBusyPercent,
    };
  };
  return { label, appDir, passage, drive };
}

async function main() {
  if (!cfg.appB) throw new Error('set BENCH_APP_DIR_B (or --app-dir-b=) to the build to compare with');
  const runId = randomUUID().slice(0, 8);
  const load = { start: L.loadAverages() };
  L.log(`ingest-ab ${runId} — ${load.start.uptime}`);
  L.log(`config ${JSON.stringify(cfg)}`);
  const builds = [await startBuild('A', L.APP_DIR, cfg.urlA, runId)];
  for (const [i, dir] of cfg.appB.split(',').entries()) {
    const label = String.fromCharCode(66 + i);
    builds.push(await startBuild(label, path.resolve(dir), `${cfg.urlA}_${label.toLowerCase()}`, runId));
  }
  const labels = builds.map((b) => b.label);
  await L.prepareFloor(cfg.floorUrl);
  const modes = {
    a: { size: 1, connections: cfg.concurrency, floor: { script: 'ingest.sql', clients: 16, multiplier: 1 } },
    b: { size: cfg.batch, connections: cfg.batchConcurrency, floor: { script: 'ingest-batch100.sql', clients: 2, multiplier: 100 } },
  };
  const windows = [];
  try {
    for (const b of builds) await b.drive('w', 1, cfg.concurrency, 3);
    await L.analyzeAfterWarmup(cfg.urlA);
    for (const label of labels.slice(1)) await L.analyzeAfterWarmup(`${cfg.urlA}_${label.toLowerCase()}`);
    for (let round = 1; round <= cfg.rounds; round++) {
      for (const mode of cfg.modes) {
        const m = modes[mode];
        const order = [...labels, 'floor'].sort(() => Math.random() - 0.5);
        const row = { round, mode, load1: L.loadAverages().one };
        for (const who of order) {
          if (who === 'floor') {
            const sampler = L.startSampler(null, L.parseDbUrl(cfg.floorUrl).database);
            const r = await L.pgbench(cfg.floorUrl, { clients: m.floor.clients, threads: 2, seconds: cfg.window, script: m.floor.script });
            const res = sampler.stop();
            row.floor = { eventsPerS: L.round(r.tps * m.floor.multiplier, 1), pgCpuMsPerEvent: L.round((res.postgresCpuPercent * 10) / (r.tps * m.floor.multiplier), 3) };
          } else {
            const build = builds.find((b) => b.label === who);
            build.passage.assertAlive();
            row[who] = await build.drive(mode, m.size, m.connections, cfg.window);
          }
        }
        for (const label of labels) row[`ratio${label}`] = L.round(row[label].eventsPerS / row.floor.eventsPerS, 3);
        L.log(JSON.stringify(row));
        windows.push(row);
      }
    }
  } finally {
    for (const b of builds) await b.passage.stop();
  }
  load.end = L.loadAverages();
  const rows = [];
  for (const mode of cfg.modes) {
    const ws = windows.filter((w) => w.mode === mode);
    for (const who of labels) {
      rows.push({
        run: `${who} (${mode})`,
        'events/s': median(ws.map((w) => w[who].eventsPerS)),
        'ratio to floor': median(ws.map((w) => w[`ratio${who}`])),
        'node CPU ms/event': median(ws.map((w) => w[who].nodeCpuMsPerEvent)),
        'pg CPU ms/event': median(ws.map((w) => w[who].pgCpuMsPerEvent)),
        'p99 ms': median(ws.map((w) => w[who].p99Ms)),
        'max RSS MB': Math.max(...ws.map((w) => w[who].maxRssMb)),
      });
    }
    rows.push({
      run: `floor (${mode})`,
      'events/s': median(ws.map((w) => w.floor.eventsPerS)),
      'ratio to floor': '',
      'node CPU ms/event': '',
      'pg CPU ms/event': median(ws.map((w) => w.floor.pgCpuMsPerEvent)),
      'p99 ms': '',
      'max RSS MB': '',
    });
  }
  console.log(`\n== ingest-ab: medians of ${cfg.rounds} rounds, ${cfg.window} s windows ==`);
  for (const b of builds) console.log(`${b.label}: ${b.appDir}`);
  console.log(`load average at start: ${load.start.one} ${load.start.five} ${load.start.fifteen}; at end: ${load.end.one} ${load.end.five} ${load.end.fifteen}`);
  console.log(`\n${L.table(rows, ['run', 'events/s', 'ratio to floor', 'node CPU ms/event', 'pg CPU ms/event', 'p99 ms', 'max RSS MB'])}`);
  console.log(`\nresults: ${L.writeResult('ingest-ab', { at: new Date().toISOString(), cfg, load, windows, rows })}`);
  return 0;
}

L.runMain(main);
