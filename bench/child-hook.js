'use strict';
/**
 * Preloaded into the Passage child (`node -r ./bench/child-hook.js dist/src/main.js`) only when a
 * benchmark is asked to profile (BENCH_PROFILE=1), to count queries (BENCH_COUNT_QUERIES=1) or to record
 * event-loop delay and GC pauses (BENCH_LOOP_STATS=1: cheap, the figures stay comparable).
 *
 * Controlled over the IPC channel, not signals (Nest's enableShutdownHooks() treats SIGUSR2 and the
 * other usual ones as "shut down"):
 *   { cmd: 'start' }          → reset query counters, start the CPU profiler
 *   { cmd: 'stop', tag }      → stop; write <BENCH_HOOK_OUT>/<tag>.cpuprofile, <tag>.queries.json, <tag>.loop.json
 *                               and reply { cmd: 'stopped', tag, files }
 * Nothing here touches src/: it wraps pg's Client#query from the outside.
 */
const fs = require('node:fs');
const path = require('node:path');
const inspector = require('node:inspector');
const { monitorEventLoopDelay, performance, PerformanceObserver, constants: perfConstants } = require('node:perf_hooks');

const outDir = process.env.BENCH_HOOK_OUT || path.join(__dirname, 'results');
const wantProfile = process.env.BENCH_PROFILE === '1';
const wantQueries = process.env.BENCH_COUNT_QUERIES === '1';
const wantLoop = process.env.BENCH_LOOP_STATS === '1';

/** Event-loop delay (10 ms resolution) and every GC pause, during the window. */
let loopDelay;
let eluStart;
let gcPauses = [];
const gcObserver = new PerformanceObserver((list) => {
  for (const entry of list.getEntries()) gcPauses.push({ ms: entry.duration, kind: entry.detail ? entry.detail.kind : entry.kind, at: entry.startTime });
});
const GC_KINDS = {
  [perfConstants.NODE_PERFORMANCE_GC_MAJOR]: 'major',
  [perfConstants.NODE_PERFORMANCE_GC_MINOR]: 'minor',
  [perfConstants.NODE_PERFORMANCE_GC_INCREMENTAL]: 'incremental',
  [perfConstants.NODE_PERFORMANCE_GC_WEAKCB]: 'weakcb',
};

/** statement shape → { count, ms, sample: { text, values } } (the first of each shape, for bench/explain.js) */
let queries = new Map();

function shapeOf(text) {
  const sql = String(text).replace(/\s+/g, ' ').trim();
  const m = /^(WITH \w+ AS \(\s*\w+( INTO)? \w+|INSERT INTO \w+|UPDATE \w+|DELETE FROM \w+|SELECT .*? FROM \w+|SELECT [^ ]+|\w+)/i.exec(sql);
  return (m ? m[0] : sql).slice(0, 90);
}

function record(shape, ms, text, values) {
  const entry = queries.get(shape) || { count: 0, ms: 0, sample: { text, values: toJson(values) } };
  entry.count += 1;
  entry.ms += ms;
  queries.set(shape, entry);
}

if (wantQueries) {
  const pg = require('pg');
  const original = pg.Client.prototype.query;
  pg.Client.prototype.query = function patchedQuery(config, values, callback) {
    const text = typeof config === 'string' ? config : config && config.text;
    const params = Array.isArray(values) ? values : config && config.values;
    const shape = shapeOf(text || '?');
    const started = process.hrtime.bigint();
    const done = () => record(shape, Number(process.hrtime.bigint() - started) / 1e6, text, params);
    if (typeof values === 'function') {
      const cb = values;
      return original.call(this, config, (err, res) => (done(), cb(err, res)));
    }
    if (typeof callback === 'function') {
      return original.call(this, config, values, (err, res) => (done(), callback(err, res)));
    }
    const result = original.call(this, config, values);
    if (result && typeof result.then === 'function') result.then(done, done);
    return result;
  };
}

function toJson(values) {
  if (!Array.isArray(values)) return null;
  try {
    return JSON.parse(JSON.stringify(values));
  } catch {
    return null;
  }
}

let session;
let windowStartedAt = 0;

function post(method, params = {}) {
  return new Promise((resolve, reject) => session.post(method, params, (err, res) => (err ? reject(err) : resolve(res))));
}

async function start() {
  queries = new Map();
  windowStartedAt = Date.now();
  if (wantLoop) {
    loopDelay = monitorEventLoopDelay({ resolution: 10 });
    loopDelay.enable();
    eluStart = performance.eventLoopUtilization();
    gcPauses = [];
    gcObserver.observe({ entryTypes: ['gc'] });
  }
  if (wantProfile) {
    session = new inspector.Session();
    session.connect();
    await post('Profiler.enable');
    await post('Profiler.setSamplingInterval', { interval: 500 });
    await post('Profiler.start');
  }
}

async function stop(tag) {
  const files = [];
  fs.mkdirSync(outDir, { recursive: true });
  if (wantProfile && session) {
    const { profile } = await post('Profiler.stop');
    const file = path.join(outDir, `${tag}.cpuprofile`);
    fs.writeFileSync(file, JSON.stringify(profile));
    files.push(file);
    session.disconnect();
    session = undefined;
  }
  if (wantLoop && loopDelay) {
    loopDelay.disable();
    gcObserver.disconnect();
    const ms = (ns) => Math.round(ns / 1e4) / 100;
    const byKind = {};
    for (const p of gcPauses) {
      const kind = GC_KINDS[p.kind] || String(p.kind);
      const k = (byKind[kind] = byKind[kind] || { count: 0, totalMs: 0, maxMs: 0 });
      k.count += 1;
      k.totalMs = Math.round((k.totalMs + p.ms) * 100) / 100;
      k.maxMs = Math.max(k.maxMs, Math.round(p.ms * 100) / 100);
    }
    const file = path.join(outDir, `${tag}.loop.json`);
    const windowMs = Date.now() - windowStartedAt;
    fs.writeFileSync(
      file,
      JSON.stringify(
        {
          windowMs,
          // monitorEventLoopDelay samples with a 10 ms timer: these are delays beyond it, not loop utilisation.
          eventLoopDelayMs: { p50: ms(loopDelay.percentile(50)), p99: ms(loopDelay.percentile(99)), max: ms(loopDelay.max), mean: ms(loopDelay.mean) },
          gc: { pauses: gcPauses.length, totalMs: Math.round(gcPauses.reduce((a, p) => a + p.ms, 0)), byKind, over10ms: gcPauses.filter((p) => p.ms > 10).length },
          // Share of the window the loop was running JavaScript (or native work) rather than waiting for I/O.
          eventLoopUtilization: Math.round(performance.eventLoopUtilization(eluStart).utilization * 1000) / 1000,
          memoryMb: Object.fromEntries(Object.entries(process.memoryUsage()).map(([k, v]) => [k, Math.round(v / 1048576)])),
        },
        null,
        2,
      ),
    );
    files.push(file);
    loopDelay = undefined;
  }
  if (wantQueries) {
    const file = path.join(outDir, `${tag}.queries.json`);
    const rows = [...queries.entries()].map(([shape, v]) => ({ shape, count: v.count, ms: Math.round(v.ms), sample: v.sample }));
    rows.sort((a, b) => b.count - a.count);
    fs.writeFileSync(file, JSON.stringify({ windowMs: Date.now() - windowStartedAt, queries: rows }, null, 2));
    files.push(file);
  }
  return files;
}

if (process.send) {
  process.on('message', (msg) => {
    if (!msg || typeof msg !== 'object') return;
    if (msg.cmd === 'start') start().then(() => process.send({ cmd: 'started' }));
    if (msg.cmd === 'stop') stop(msg.tag).then((files) => process.send({ cmd: 'stopped', tag: msg.tag, files }));
  });
  // The channel must not keep the process alive on shutdown.
  if (process.channel) process.channel.unref();
}
