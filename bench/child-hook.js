'use strict';
/**
 * Preloaded into the Passage child (`node -r ./bench/child-hook.js dist/src/main.js`) only when a
 * benchmark is asked to profile (BENCH_PROFILE=1) or to count queries (BENCH_COUNT_QUERIES=1).
 *
 * Controlled over the IPC channel, not signals (Nest's enableShutdownHooks() treats SIGUSR2 and the
 * other usual ones as "shut down"):
 *   { cmd: 'start' }          → reset query counters, start the CPU profiler
 *   { cmd: 'stop', tag }      → stop; write <BENCH_HOOK_OUT>/<tag>.cpuprofile and <tag>.queries.json
 *                               and reply { cmd: 'stopped', tag, files }
 * Nothing here touches src/: it wraps pg's Client#query from the outside.
 */
const fs = require('node:fs');
const path = require('node:path');
const inspector = require('node:inspector');

const outDir = process.env.BENCH_HOOK_OUT || path.join(__dirname, 'results');
const wantProfile = process.env.BENCH_PROFILE === '1';
const wantQueries = process.env.BENCH_COUNT_QUERIES === '1';

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
