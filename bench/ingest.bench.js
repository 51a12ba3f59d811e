'use strict';
/**
 * npm run bench:ingest — carrier scan ingestion (POST /v1/tracking-events) against the SQL floor.
 *
 * Mode (a): one event per request, BENCH_CONCURRENCY (16) connections, BENCH_DURATION (20) s.
 * Mode (b): BENCH_BATCH (100) events per request, BENCH_BATCH_CONCURRENCY (4) connections, same duration.
 * Each mode is followed at once by its floor (pgbench ingest.sql -c 16 -j 2 -T 20, ingest-batch100.sql
 * -c 2 -j 2 -T 20) on passage_floor, so each ratio compares figures measured a minute apart.
 * See bench/README.md for every option.
 */
const { randomUUID } = require('node:crypto');
const L = require('./lib');

const cfg = {
  databaseUrl: L.option('DATABASE_URL', 'postgres://postgres@127.0.0.1:5432/passage_bench'),
  floorUrl: L.option('FLOOR_DATABASE_URL', 'postgres://postgres@127.0.0.1:5432/passage_floor'),
  poolMax: L.intOption('POOL_MAX', L.DEFAULT_POOL_MAX),
  shipments: L.intOption('SHIPMENTS', 20_000),
  duration: L.intOption('DURATION', 20),
  warmup: L.intOption('WARMUP', 3),
  concurrency: L.intOption('CONCURRENCY', 16),
  batch: L.intOption('BATCH', 100),
  batchConcurrency: L.intOption('BATCH_CONCURRENCY', 4),
  floorDuration: L.intOption('FLOOR_DURATION', 20),
  skipFloor: L.boolOption('SKIP_FLOOR'),
  instrumented: L.boolOption('PROFILE') || L.boolOption('COUNT_QUERIES'),
};
// BENCH_DATABASE_URL is the documented name; option() reads BENCH_<NAME>, so DATABASE_URL above is it.

const TARGETS = { singleRatio: 0.5, batchRatio: 0.3, rssMb: 300 };
const CODES = ['HUB_SCAN', 'OUT_FOR_DELIVERY'];

async function main() {
  const runId = randomUUID().slice(0, 8);
  const adminToken = `bench-admin-${randomUUID()}`;
  const load = { start: L.loadAverages() };
  L.log(`bench:ingest ${runId} — ${load.start.uptime}`);
  L.log(`config ${JSON.stringify(cfg)}`);

  await L.ensureDatabase(cfg.databaseUrl);
  await L.resetSchema(cfg.databaseUrl);
  const passage = await L.startPassage({ databaseUrl: cfg.databaseUrl, adminToken, poolMax: cfg.poolMax });
  L.log(`Passage pid ${passage.pid} on ${passage.baseUrl} (migrations ran)`);

  try {
    const tenants = await L.setupTenants(passage.baseUrl, adminToken);
    const template = await L.bookTemplate(passage.baseUrl, tenants, { withJourney: false });
    const seedStart = Date.now();
    const numbers = await L.seedFromTemplate(cfg.databaseUrl, template, { count: cfg.shipments, withEvents: false });
    await L.vacuumAnalyze(cfg.databaseUrl);
    L.log(`seeded ${numbers.length} booked shipments in ${((Date.now() - seedStart) / 1000).toFixed(1)} s`);

    if (!cfg.skipFloor) await L.prepareFloor(cfg.floorUrl);

    // Scans move forward in time, 1 ms apart, from two hours ago: never "in the future", rarely late.
    let seq = 0;
    const base = Date.now() - 2 * 3_600_000;
    const nextEvent = (mode) => {
      seq += 1;
      return {
        trackingNumber: numbers[Math.floor(Math.random() * numbers.length)],
        eventId: `${mode}-${runId}-${seq}`,
        code: CODES[Math.random() < 0.5 ? 0 : 1],
        occurredAt: new Date(base + seq).toISOString(),
        location: { country: 'DE', city: 'Berlin' },
      };
    };
    const bodyOf = (mode, size) => {
      const events = new Array(size);
      for (let i = 0; i < size; i++) events[i] = nextEvent(mode);
      return JSON.stringify({ events });
    };
    const drive = (mode, size, connections, duration) =>
      L.runAutocannon({
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
            setupRequest: (req) => ({ ...req, body: bodyOf(mode, size) }),
          },
        ],
      });

    const countEvents = async (prefix) =>
      L.withClient(cfg.databaseUrl, async (c) => {
        const { rows } = await c.query(
          `SELECT outcome, late, count(*)::int AS n FROM tracking_events WHERE external_event_id LIKE $1 GROUP BY 1, 2 ORDER BY 1, 2`,
          [`${prefix}-${runId}-%`],
        );
        const { rows: [je] } = await c.query(`SELECT count(*)::int AS n FROM journey_events`);
        return { total: rows.reduce((a, r) => a + r.n, 0), byOutcome: rows, journeyEventsTotal: je.n };
      });

    L.log(`warm-up: ${cfg.warmup} s of single events`);
    L.assertClean('warm-up', L.summarizeAutocannon(await drive('w', 1, cfg.concurrency, cfg.warmup)));
    await L.analyzeAfterWarmup(cfg.databaseUrl);

    const runMode = async (mode, size, connections) => {
      passage.assertAlive();
      const before = await countEvents(mode);
      const loadBefore = L.loadAverages();
      L.log(`mode (${mode}): ${size} event(s)/request, ${connections} connections, ${cfg.duration} s — ${loadBefore.uptime}`);
      await passage.windowStart();
      const sampler = L.startSampler(passage.pid, L.parseDbUrl(cfg.databaseUrl).database);
      const raw = await drive(mode, size, connections, cfg.duration);
      const resources = sampler.stop();
      const hookFiles = await passage.windowStop(`ingest-${mode}-${runId}`);
      passage.assertAlive();
      const http = L.summarizeAutocannon(raw);
      L.assertClean(`mode (${mode})`, http);
      await L.sleep(1000); // let requests still in flight when autocannon stopped finish
      const after = await countEvents(mode);
      const stored = after.total - before.total;
      const expected = http.ok2xx * size;
      // Every 2xx request's events must be stored (none unknown or duplicate); requests in flight at the stop add at most connections × size.
      if (stored < expected || stored > expected + connections * size) {
        throw new Error(`mode (${mode}): ${expected} events acknowledged but ${stored} stored: ${JSON.stringify(after.byOutcome)}`);
      }
      const result = {
        mode,
        eventsPerRequest: size,
        connections,
        eventsPerS: L.round((http.ok2xx * size) / http.durationS, 1),
        http,
        resources,
        storedEvents: stored,
        outcomes: after.byOutcome,
        journeyEventsWritten: after.journeyEventsTotal - before.journeyEventsTotal,
        load: { before: loadBefore, after: L.loadAverages() },
        hookFiles,
      };
      L.log(
        `mode (${mode}): ${result.eventsPerS} events/s, p50 ${http.p50Ms} ms, p99 ${http.p99Ms} ms, non-2xx ${http.non2xx}, ` +
          `max RSS ${resources.maxRssMb} MB, CPU (% of one core): passage ${resources.childCpuPercent} (kernel ${resources.childSystemCpuPercent}) postgres ${resources.postgresCpuPercent} ` +
          `autocannon ${resources.loadGeneratorCpuPercent}; machine busy ${resources.machineBusyPercent}% of ${resources.machineCores} cores`,
      );
      L.reportHookFiles(hookFiles, http.ok2xx, size);
      return result;
    };

    const runFloor = async (script, clients, threads, multiplier) => {
      if (cfg.skipFloor) return null;
      const loadBefore = L.loadAverages();
      L.log(`floor: ${script} -c ${clients} -j ${threads} -T ${cfg.floorDuration} — ${loadBefore.uptime}`);
      const sampler = L.startSampler(null, L.parseDbUrl(cfg.floorUrl).database);
      const r = await L.pgbench(cfg.floorUrl, { clients, threads, seconds: cfg.floorDuration, script });
      const resources = sampler.stop();
      const floor = { ...r, eventsPerS: L.round(r.tps * multiplier, 1), postgresCpuPercent: resources.postgresCpuPercent, machineBusyPercent: resources.machineBusyPercent, load: { before: loadBefore, after: L.loadAverages() } };
      L.log(`floor: ${script} ${floor.eventsPerS} events/s (tps ${r.tps}, avg latency ${r.latencyAvgMs} ms, failed ${r.failed})`);
      return floor;
    };

    const single = await runMode('a', 1, cfg.concurrency);
    const singleFloor = await runFloor('ingest.sql', 16, 2, 1);
    const batched = await runMode('b', cfg.batch, cfg.batchConcurrency);
    const batchFloor = await runFloor('ingest-batch100.sql', 2, 2, 100);

    load.end = L.loadAverages();
    const maxRss = Math.max(single.resources.maxRssMb, batched.resources.maxRssMb);
    const ratios = {
      single: singleFloor ? L.round(single.eventsPerS / singleFloor.eventsPerS, 3) : null,
      batch: batchFloor ? L.round(batched.eventsPerS / batchFloor.eventsPerS, 3) : null,
    };
    const verdict = {
      single: ratios.single === null ? 'n/a' : ratios.single >= TARGETS.singleRatio ? 'MET' : 'MISSED',
      batch: ratios.batch === null ? 'n/a' : ratios.batch >= TARGETS.batchRatio ? 'MET' : 'MISSED',
      rss: maxRss < TARGETS.rssMb ? 'MET' : 'MISSED',
    };

    const rows = [
      {
        run: `Passage (a) 1/req c=${single.connections}`,
        'events/s': single.eventsPerS,
        'req/s': single.http.reqPerS,
        'p50 ms': single.http.p50Ms,
        'p99 ms': single.http.p99Ms,
        'non-2xx': single.http.non2xx,
        'max RSS MB': single.resources.maxRssMb,
        'CPU node/pg %': `${single.resources.childCpuPercent}/${single.resources.postgresCpuPercent}`,
        'CPU ms/event node/pg': cpuPerEvent(single.resources.childCpuPercent, single.resources.postgresCpuPercent, single.eventsPerS),
      },
      singleFloor && {
        run: 'floor ingest.sql c=16',
        'events/s': singleFloor.eventsPerS,
        'req/s': L.round(singleFloor.tps, 1),
        'p50 ms': `avg ${singleFloor.latencyAvgMs}`,
        'p99 ms': '',
        'non-2xx': singleFloor.failed,
        'max RSS MB': '',
        'CPU node/pg %': `-/${singleFloor.postgresCpuPercent}`,
        'CPU ms/event node/pg': cpuPerEvent(null, singleFloor.postgresCpuPercent, singleFloor.eventsPerS),
      },
      {
        run: `Passage (b) ${batched.eventsPerRequest}/req c=${batched.connections}`,
        'events/s': batched.eventsPerS,
        'req/s': batched.http.reqPerS,
        'p50 ms': batched.http.p50Ms,
        'p99 ms': batched.http.p99Ms,
        'non-2xx': batched.http.non2xx,
        'max RSS MB': batched.resources.maxRssMb,
        'CPU node/pg %': `${batched.resources.childCpuPercent}/${batched.resources.postgresCpuPercent}`,
        'CPU ms/event node/pg': cpuPerEvent(batched.resources.childCpuPercent, batched.resources.postgresCpuPercent, batched.eventsPerS),
      },
      batchFloor && {
        run: 'floor ingest-batch100.sql c=2',
        'events/s': batchFloor.eventsPerS,
        'req/s': L.round(batchFloor.tps, 1),
        'p50 ms': `avg ${batchFloor.latencyAvgMs}`,
        'p99 ms': '',
        'non-2xx': batchFloor.failed,
        'max RSS MB': '',
        'CPU node/pg %': `-/${batchFloor.postgresCpuPercent}`,
        'CPU ms/event node/pg': cpuPerEvent(null, batchFloor.postgresCpuPercent, batchFloor.eventsPerS),
      },
    ].filter(Boolean);

    console.log('\n== bench:ingest ==');
    console.log(`revision ${L.gitRevision()}, Node ${process.version}, pool ${cfg.poolMax}, ${cfg.shipments} shipments, ${cfg.duration} s per mode${cfg.instrumented ? ', INSTRUMENTED (profiler/query counter on: figures are not comparable)' : ''}`);
    console.log(`load average at start: ${load.start.one} ${load.start.five} ${load.start.fifteen}; at end: ${load.end.one} ${load.end.five} ${load.end.fifteen}`);
    console.log(`\n${L.table(rows, Object.keys(rows[0]))}\n`);
    console.log(`(a) single-event ratio Passage/floor: ${fmtRatio(ratios.single)}  (target >= ${TARGETS.singleRatio * 100} %)  ${verdict.single}`);
    console.log(`(b) batch ratio Passage/floor:        ${fmtRatio(ratios.batch)}  (target >= ${TARGETS.batchRatio * 100} %)  ${verdict.batch}`);
    console.log(`max RSS: ${maxRss} MB  (target < ${TARGETS.rssMb} MB)  ${verdict.rss}`);
    console.log(`outcomes (a): ${fmtOutcomes(single.outcomes)}; journey events written ${single.journeyEventsWritten}`);
    console.log(`outcomes (b): ${fmtOutcomes(batched.outcomes)}; journey events written ${batched.journeyEventsWritten}`);

    const file = L.writeResult('ingest', {
      benchmark: 'ingest',
      runId,
      at: new Date().toISOString(),
      revision: L.gitRevision(),
      node: process.version,
      config: cfg,
      load,
      passage: { single, batched },
      floor: { single: singleFloor, batched: batchFloor },
      ratios,
      targets: TARGETS,
      verdict,
      maxRssMb: maxRss,
    });
    console.log(`\nresults: ${file}`);
    return 0;
  } finally {
    await passage.stop();
  }
}

/** CPU time per event from % of one core and events/s: less sensitive to the machine's load than events/s. */
function cpuPerEvent(nodePercent, pgPercent, eventsPerS) {
  const ms = (percent) => (percent === null ? '-' : ((percent * 10) / eventsPerS).toFixed(eventsPerS > 2000 ? 3 : 2));
  return `${ms(nodePercent)}/${ms(pgPercent)}`;
}

function fmtRatio(r) {
  return r === null ? 'n/a (floor skipped)' : `${(r * 100).toFixed(1)} %`;
}

function fmtOutcomes(rows) {
  return rows.map((r) => `${r.outcome}${r.late ? '(late)' : ''} ${r.n}`).join(', ');
}

L.runMain(main);
