'use strict';
/**
 * npm run bench:lookup — public tracking (GET /v1/track/:trackingNumber) against the SQL floor.
 *
 * Seeds BENCH_SHIPMENTS (100k) shipments with 10 events each (1M) by cloning, set-based, a template
 * shipment and journey written through the API. The floor (pgbench lookup.sql -c 8 -j 2 -T 15) runs in the
 * same run on passage_floor twice: exactly as its README says (schema.sql: shipments without events), and with
 * 10 events per shipment like ours. Then BENCH_PACED_ROUNDS (3) rounds of: random tracking numbers at a fixed
 * BENCH_RATE (500) requests/s for BENCH_DURATION (30) s, followed by the floor paced the same way (pgbench -R,
 * latency from when each transaction was due), so that the p99 this machine allows is printed beside Passage's,
 * window by window and pooled. Last, autocannon at overallRate, and unthrottled for capacity with
 * BENCH_CAPACITY_CONNECTIONS (8) connections for BENCH_CAPACITY_DURATION (15) s.
 */
const { randomUUID } = require('node:crypto');
const L = require('./lib');

const cfg = {
  databaseUrl: L.option('DATABASE_URL', 'postgres://postgres@127.0.0.1:5432/passage_bench'),
  floorUrl: L.option('FLOOR_DATABASE_URL', 'postgres://postgres@127.0.0.1:5432/passage_floor'),
  poolMax: L.intOption('POOL_MAX', L.DEFAULT_POOL_MAX),
  shipments: L.intOption('SHIPMENTS', 100_000),
  rate: L.intOption('RATE', 500),
  connections: L.intOption('CONNECTIONS', 16),
  duration: L.intOption('DURATION', 30),
  pacedRounds: L.intOption('PACED_ROUNDS', 3),
  warmup: L.intOption('WARMUP', 5),
  autocannonRateDuration: L.intOption('AUTOCANNON_RATE_DURATION', 30),
  capacityConnections: L.intOption('CAPACITY_CONNECTIONS', 8),
  capacityDuration: L.intOption('CAPACITY_DURATION', 15),
  floorDuration: L.intOption('FLOOR_DURATION', 15),
  skipFloor: L.boolOption('SKIP_FLOOR'),
  skipNodeFloor: L.boolOption('SKIP_NODE_FLOOR'),
  reuseData: L.boolOption('REUSE_DATA'),
  instrumented: L.boolOption('PROFILE') || L.boolOption('COUNT_QUERIES'),
  loopStats: L.boolOption('LOOP_STATS'),
};

const TARGETS = { p99Ms: 15, rate: 500 };

async function main() {
  const runId = randomUUID().slice(0, 8);
  const adminToken = `bench-admin-${randomUUID()}`;
  const load = { start: L.loadAverages() };
  L.log(`bench:lookup ${runId} — ${load.start.uptime}`);
  L.log(`config ${JSON.stringify(cfg)}`);

  await L.ensureDatabase(cfg.databaseUrl);
  // BENCH_REUSE_DATA=1 keeps the data a previous lookup run seeded (for profiling iterations).
  const reuse = cfg.reuseData && (await L.seededTrackingNumbers(cfg.databaseUrl)).length >= cfg.shipments;
  if (!reuse) await L.resetSchema(cfg.databaseUrl);
  const passage = await L.startPassage({ databaseUrl: cfg.databaseUrl, adminToken, poolMax: cfg.poolMax });
  L.log(`Passage pid ${passage.pid} on ${passage.baseUrl} (migrations ran)`);

  let nodeFloor = null;
  try {
    let numbers;
    const seedStart = Date.now();
    if (reuse) {
      numbers = (await L.seededTrackingNumbers(cfg.databaseUrl)).slice(0, cfg.shipments);
      L.log(`reusing ${numbers.length} seeded shipments`);
    } else {
      const tenants = await L.setupTenants(passage.baseUrl, adminToken);
      const template = await L.bookTemplate(passage.baseUrl, tenants, { withJourney: true });
      numbers = await L.seedFromTemplate(cfg.databaseUrl, template, {
        count: cfg.shipments,
        withEvents: true,
        onChunk: (done) => L.log(`  seeded ${done} shipments (${((Date.now() - seedStart) / 1000).toFixed(1)} s)`),
      });
    }
    const seedSeconds = (Date.now() - seedStart) / 1000;
    const analyzeStart = Date.now();
    if (!reuse) await L.vacuumAnalyze(cfg.databaseUrl);
    const analyzeSeconds = (Date.now() - analyzeStart) / 1000;
    const dataset = await L.withClient(cfg.databaseUrl, async (c) => {
      const { rows: [r] } = await c.query(`SELECT (SELECT count(*) FROM shipments)::int AS shipments,
              (SELECT count(*) FROM tracking_events)::int AS events,
              (SELECT count(*) FROM shipment_status_history)::int AS history,
              (SELECT count(*) FROM journey_events)::int AS journey_events,
              pg_size_pretty(pg_database_size(current_database())) AS size`);
      return r;
    });
    L.log(`seeded in ${seedSeconds.toFixed(1)} s, VACUUM ANALYZE ${analyzeSeconds.toFixed(1)} s: ${JSON.stringify(dataset)}`);

    // Sanity: a seeded number answers like the template does.
    const sample = await (await fetch(`${passage.baseUrl}/v1/track/${numbers[numbers.length - 1]}`)).json();
    if (!Array.isArray(sample.milestones) || sample.milestones.length !== 10 || sample.status !== 'delivered') {
      throw new Error(`seeded lookup looks wrong: ${JSON.stringify(sample).slice(0, 400)}`);
    }

    const drive = (opts, server = passage) => L.driveLookups(server, numbers, opts);

    L.log(`warm-up: ${cfg.warmup} s unthrottled, 4 connections`);
    L.assertClean('warm-up', L.summarizeAutocannon(await drive({ connections: 4, duration: cfg.warmup })));
    if (!cfg.skipNodeFloor) {
      nodeFloor = await L.startNodeFloor({ databaseUrl: cfg.databaseUrl, poolMax: cfg.poolMax });
      L.log(`node floor pid ${nodeFloor.pid} on ${nodeFloor.baseUrl}; warm-up: ${cfg.warmup} s unthrottled, 4 connections`);
      L.assertClean('node floor warm-up', L.summarizeAutocannon(await drive({ connections: 4, duration: cfg.warmup }, nodeFloor)));
    }

    const randomPath = L.lookupPathOver(numbers);
    /** One measured window against `server` (Passage unless the node floor is named). */
    const measure = async (name, describe, run, server = passage) => {
      server.assertAlive();
      const loadBefore = L.loadAverages();
      L.log(`${name}: ${describe} — ${loadBefore.uptime}`);
      await server.windowStart();
      const sampler = L.startSampler(server.pid, L.parseDbUrl(cfg.databaseUrl).database);
      const http = await run();
      const resources = sampler.stop();
      const hookFiles = await server.windowStop(`lookup-${name}-${runId}`);
      server.assertAlive();
      L.assertClean(name, http);
      L.log(
        `${name}: ${http.reqPerS} req/s, p50 ${http.p50Ms} ms, p90 ${http.p90Ms} ms, p99 ${http.p99Ms} ms, max ${http.maxMs} ms, non-2xx ${http.non2xx}, ` +
          `max RSS ${resources.maxRssMb} MB, CPU (% of one core): ${server.name} ${resources.childCpuPercent} (kernel ${resources.childSystemCpuPercent}) postgres ${resources.postgresCpuPercent} ` +
          `load generator ${resources.loadGeneratorCpuPercent}; machine busy ${resources.machineBusyPercent}% of ${resources.machineCores} cores`,
      );
      L.reportHookFiles(hookFiles, http.ok2xx, 1);
      return { name, describe, http, resources, load: { before: loadBefore, after: L.loadAverages() }, hookFiles };
    };

    let floorAsReadme = null;
    let floorWithEvents = null;
    /** One floor run: as fast as 8 clients go, or, with `rate`, paced like Passage (latency from when each was due). */
    const runFloor = async (label, { clients = 8, rate, seconds = cfg.floorDuration } = {}) => {
      const loadBefore = L.loadAverages();
      L.log(`floor (${label}): lookup.sql${rate ? ` -R ${rate}` : ''} -c ${clients} -j ${Math.min(2, clients)} -T ${seconds} — ${loadBefore.uptime}`);
      const sampler = L.startSampler(null, L.parseDbUrl(cfg.floorUrl).database);
      const r = await L.pgbench(cfg.floorUrl, { clients, threads: Math.min(2, clients), seconds, script: 'lookup.sql', rate });
      const resources = sampler.stop();
      const latency = r.fromDue ? `p50 ${r.fromDue.p50Ms} ms, p99 ${r.fromDue.p99Ms} ms, max ${r.fromDue.maxMs} ms` : `avg latency ${r.latencyAvgMs} ms`;
      L.log(`floor (${label}): ${r.tps.toFixed(1)} lookups/s, ${latency}, failed ${r.failed}`);
      return { label, clients, ...r, postgresCpuPercent: resources.postgresCpuPercent, machineBusyPercent: resources.machineBusyPercent, load: { before: loadBefore, after: L.loadAverages() } };
    };
    if (!cfg.skipFloor) {
      await L.prepareFloor(cfg.floorUrl);
      floorAsReadme = await runFloor('as README: no events');
      // Like for like: 10 events per shipment, interleaved as ours are.
      const t = Date.now();
      await L.withClient(cfg.floorUrl, async (c) => {
        await c.query(`INSERT INTO tracking_events (shipment_id, source, external_id, code, occurred_at, payload)
          SELECT s.id, 'hub', s.id || '-' || k, 'HUB_SCAN', now() - make_interval(hours => 30 - 3 * k),
                 '{"location":{"country":"DE","city":"Berlin"}}'
            FROM generate_series(1, 10) k CROSS JOIN shipments s ORDER BY k, s.id`);
        await c.query('VACUUM (ANALYZE) tracking_events');
        // As after our seeding: the write-back of what was just written must not fall in a measured window.
        await c.query('CHECKPOINT');
      });
      L.log(`floor: seeded 10 events per shipment in ${((Date.now() - t) / 1000).toFixed(1)} s`);
      floorWithEvents = await runFloor('10 events per shipment');
    }

    // Primary: an even 500 req/s (one request every 2 ms), latency from when each was due; in BENCH_PACED_ROUNDS
    // windows, each followed by the floor paced the same way with as many connections as Passage's pool. On a
    // shared 2-core VM one window's p99 swings several-fold (the floor's alone: 4–118 ms on 2026-12-02), so the
    // verdict is on all rounds' requests pooled, and each Passage window has a floor window beside it in time.
    // The node floor is paced the same way after both, on the same data.
    const paced = [];
    const floorPaced = [];
    const nodeFloorPaced = [];
    const pacedWindow = (name, server) =>
      measure(name, `open loop, ${cfg.rate} req/s evenly spaced, up to ${cfg.connections} keep-alive sockets, ${cfg.duration} s`, () =>
        L.pacedLoad({ baseUrl: server.baseUrl, rate: cfg.rate, duration: cfg.duration, connections: cfg.connections, pathFor: randomPath }),
      server);
    for (let round = 1; cfg.duration > 0 && round <= cfg.pacedRounds; round++) {
      paced.push(await pacedWindow(`paced-${round}`, passage));
      if (!cfg.skipFloor) floorPaced.push(await runFloor(`paced-${round}, ${cfg.rate}/s`, { clients: cfg.poolMax, rate: cfg.rate, seconds: cfg.duration }));
      if (nodeFloor) nodeFloorPaced.push(await pacedWindow(`node-floor-paced-${round}`, nodeFloor));
    }
    const pooled = paced.length ? L.pooledLatencies(paced.map((r) => r.http)) : null;
    const floorPooled = floorPaced.length ? L.pooledLatencies(floorPaced.map((f) => f.fromDue)) : null;
    const nodeFloorPooled = nodeFloorPaced.length ? L.pooledLatencies(nodeFloorPaced.map((r) => r.http)) : null;
    // Beside it: autocannon's overallRate (per-connection quota per 1 s tick: bursty; its coordinated-omission
    // "correction" uses a 1 ms interval, so it is switched off and raw latencies are reported).
    const bursty =
      cfg.autocannonRateDuration > 0
        ? await measure('autocannon-rate', `autocannon overallRate ${cfg.rate}, ${cfg.connections} connections, ${cfg.autocannonRateDuration} s`, async () =>
            L.summarizeAutocannon(
              await drive({ connections: cfg.connections, overallRate: cfg.rate, duration: cfg.autocannonRateDuration, ignoreCoordinatedOmission: true }),
            ),
          )
        : null;
    const capacityWindow = (name, server) =>
      measure(name, `autocannon unthrottled, ${cfg.capacityConnections} connections, ${cfg.capacityDuration} s`, async () =>
        L.summarizeAutocannon(await drive({ connections: cfg.capacityConnections, duration: cfg.capacityDuration }, server)),
      server);
    const capacity = cfg.capacityDuration > 0 ? await capacityWindow('capacity', passage) : null;
    const nodeFloorCapacity = cfg.capacityDuration > 0 && nodeFloor ? await capacityWindow('node-floor-capacity', nodeFloor) : null;

    load.end = L.loadAverages();
    const verdict = {
      p99: !pooled ? 'n/a' : pooled.p99Ms < TARGETS.p99Ms ? 'MET' : 'MISSED',
      rate: !paced.length ? 'n/a' : paced.every((r) => r.http.reqPerS >= TARGETS.rate * 0.98) ? 'MET' : 'MISSED',
    };
    const capacityRatio = capacity && floorWithEvents ? L.round(capacity.http.reqPerS / floorWithEvents.tps, 3) : null;

    const passageRow = (label, r) =>
      r && {
        run: label,
        'lookups/s': r.http.reqPerS,
        'mean ms': r.http.meanMs,
        'p50 ms': r.http.p50Ms,
        'p99 ms': r.http.p99Ms,
        'max ms': r.http.maxMs,
        'non-2xx': r.http.non2xx,
        'max RSS MB': r.resources.maxRssMb,
        'CPU node/pg %': `${r.resources.childCpuPercent}/${r.resources.postgresCpuPercent}`,
      };
    const floorRow = (f) => ({
      run: `floor lookup.sql c=${f.clients} (${f.label})`,
      'lookups/s': L.round(f.tps, 1),
      'mean ms': f.latencyAvgMs,
      'p50 ms': f.fromDue ? f.fromDue.p50Ms : '',
      'p99 ms': f.fromDue ? f.fromDue.p99Ms : '',
      'max ms': f.fromDue ? f.fromDue.maxMs : '',
      'non-2xx': f.failed,
      'max RSS MB': '',
      'CPU node/pg %': `-/${f.postgresCpuPercent}`,
    });
    const rows = [
      ...paced.flatMap((r, i) => [
        passageRow(`Passage ${r.name} ${cfg.rate}/s`, r),
        floorPaced[i] && floorRow(floorPaced[i]),
        nodeFloorPaced[i] && passageRow(`node floor paced-${i + 1} ${cfg.rate}/s`, nodeFloorPaced[i]),
      ]),
      passageRow(`Passage autocannon overallRate ${cfg.rate} c=${cfg.connections}`, bursty),
      passageRow(`Passage unthrottled c=${cfg.capacityConnections}`, capacity),
      passageRow(`node floor unthrottled c=${cfg.capacityConnections}`, nodeFloorCapacity),
      ...[floorAsReadme, floorWithEvents].filter(Boolean).map(floorRow),
    ].filter(Boolean);

    console.log('\n== bench:lookup ==');
    console.log(
      `revision ${L.gitRevision()}, Node ${process.version}, pool ${cfg.poolMax}, ${dataset.shipments} shipments, ${dataset.events} events, ` +
        `database ${dataset.size}; seeding ${seedSeconds.toFixed(1)} s${cfg.instrumented ? ', INSTRUMENTED (profiler/query counter on: figures are not comparable)' : ''}`,
    );
    console.log(`load average at start: ${load.start.one} ${load.start.five} ${load.start.fifteen}; at end: ${load.end.one} ${load.end.five} ${load.end.fifteen}`);
    console.log(`\n${L.table(rows, Object.keys(rows[0]))}\n`);
    if (pooled) {
      console.log(
        `p99 at an even ${cfg.rate} req/s, ${paced.length} windows of ${cfg.duration} s pooled (${pooled.requests} requests): ${pooled.p99Ms} ms ` +
          `(p50 ${pooled.p50Ms}, max ${pooled.maxMs})  (target < ${TARGETS.p99Ms} ms)  ${verdict.p99}; every window at ${cfg.rate} req/s  ${verdict.rate}`,
      );
      console.log(`  (per window: ${paced.map((r) => r.http.p99Ms).join(', ')} ms)`);
      if (floorPooled) {
        console.log(
          `  (the floor paced the same way right after each window, pooled: p50 ${floorPooled.p50Ms} ms, p99 ${floorPooled.p99Ms} ms, max ${floorPooled.maxMs} ms; ` +
            `per window: ${floorPaced.map((f) => f.fromDue.p99Ms).join(', ')} ms)`,
        );
      }
      if (nodeFloorPooled) {
        console.log(
          `  (the node floor, Fastify + pg + the same statement, paced the same way after each, pooled: p50 ${nodeFloorPooled.p50Ms} ms, p99 ${nodeFloorPooled.p99Ms} ms, ` +
            `max ${nodeFloorPooled.maxMs} ms; per window: ${nodeFloorPaced.map((r) => r.http.p99Ms).join(', ')} ms)`,
        );
      }
      for (const r of paced) {
        const g = r.http.generator;
        console.log(
          `  (${r.name}: from the actual write p50 ${r.http.fromSend.p50Ms} ms, p99 ${r.http.fromSend.p99Ms} ms, at most ${r.http.maxInFlight} in flight; ` +
            `load generator fired late by p99 ${g.fireLateP99Ms} ms, max ${g.fireLateMaxMs} ms, its event-loop delay p99 ${g.loopDelayP99Ms} ms)`,
        );
      }
    }
    if (bursty) {
      console.log(
        `p99 under autocannon overallRate ${cfg.rate}: ${bursty.http.p99Ms} ms (bursts at each 1 s tick, not an even rate: a comparison with earlier runs, not the target)`,
      );
    }
    if (capacityRatio !== null) console.log(`capacity ratio Passage/floor (10 events per shipment): ${(capacityRatio * 100).toFixed(1)} %`);
    if (capacity && nodeFloorCapacity) {
      console.log(
        `capacity ratio Passage/node floor: ${((capacity.http.reqPerS / nodeFloorCapacity.http.reqPerS) * 100).toFixed(1)} %` +
          (floorWithEvents ? `; node floor/floor: ${((nodeFloorCapacity.http.reqPerS / floorWithEvents.tps) * 100).toFixed(1)} %` : ''),
      );
    }
    console.log(`max RSS: ${Math.max(...[...paced, bursty, capacity].filter(Boolean).map((r) => r.resources.maxRssMb))} MB`);

    const file = L.writeResult('lookup', {
      benchmark: 'lookup',
      runId,
      at: new Date().toISOString(),
      revision: L.gitRevision(),
      node: process.version,
      config: cfg,
      load,
      dataset: { ...dataset, seedSeconds, analyzeSeconds },
      passage: { paced, pacedPooled: pooled, autocannonRate: bursty, capacity },
      nodeFloor: { paced: nodeFloorPaced, pacedPooled: nodeFloorPooled, capacity: nodeFloorCapacity },
      floor: { asReadme: floorAsReadme, withEvents: floorWithEvents, paced: floorPaced, pacedPooled: floorPooled },
      capacityRatio,
      targets: TARGETS,
      verdict,
    });
    console.log(`\nresults: ${file}`);
    return 0;
  } finally {
    if (nodeFloor) await nodeFloor.stop();
    await passage.stop();
  }
}

L.runMain(main);
