'use strict';
/**
 * Shared helpers for bench/ingest.bench.js and bench/lookup.bench.js: start Passage as a child, set up
 * tenants over the admin API, seed shipments/events with set-based SQL cloned from rows the app itself
 * wrote, drive load with autocannon, sample the child's RSS/CPU, and run the pgbench SQL floor.
 */
const { spawn, execFileSync } = require('node:child_process');
const fs = require('node:fs');
const http = require('node:http');
const net = require('node:net');
const os = require('node:os');
const path = require('node:path');
const { monitorEventLoopDelay, performance } = require('node:perf_hooks');
const { setTimeout: sleep } = require('node:timers/promises');
const autocannon = require('autocannon');
const { Client } = require('pg');

const ROOT = path.resolve(__dirname, '..');
/** The build to benchmark: this working tree by default, or BENCH_APP_DIR (a directory holding dist/ and node_modules/). */
const APP_DIR = path.resolve(process.env.BENCH_APP_DIR || ROOT);
const RESULTS_DIR = path.join(__dirname, 'results');
const FLOOR_DIR = process.env.BENCH_FLOOR_DIR || '/work/shared/bench-floor';
const CLK_TCK = 100;

// ---------------------------------------------------------------------------------------------------------
// Options: every knob is an env var (BENCH_*) or a --name=value argument (name without the BENCH_ prefix,
// lower-case, dashes for underscores: --duration=10 is BENCH_DURATION=10).

function option(name, fallback) {
  const flag = `--${name.toLowerCase().replace(/_/g, '-')}=`;
  const arg = process.argv.find((a) => a.startsWith(flag));
  if (arg) return arg.slice(flag.length);
  const env = process.env[`BENCH_${name}`];
  return env === undefined || env === '' ? fallback : env;
}

function intOption(name, fallback) {
  const value = Number(option(name, fallback));
  if (!Number.isFinite(value)) throw new Error(`BENCH_${name} must be a number`);
  return value;
}

/**
 * Passage's pool on a machine it shares with its PostgreSQL: one connection per core, and one more so that a
 * connection is free while another's result is on its way. More connections than cores only time-slice the
 * queries against each other: on 2 cores, pools of 3, 5 and 16 gave a paced lookup p99 of 13.7, 19–25 and
 * 136–226 ms, and ingest (b) 38.0, 39.4 and 28–35 % of the floor (bench/README.md, "Pool size").
 */
const DEFAULT_POOL_MAX = os.cpus().length + 1;

function boolOption(name, fallback = false) {
  return ['1', 'true', 'yes', 'on'].includes(String(option(name, fallback ? '1' : '0')).toLowerCase());
}

function log(...args) {
  const t = new Date().toISOString().slice(11, 19);
  console.log(`[${t}]`, ...args);
}

function uptime() {
  try {
    return execFileSync('uptime', { encoding: 'utf8' }).trim();
  } catch {
    return `load average: ${os.loadavg().map((n) => n.toFixed(2)).join(', ')}`;
  }
}

function loadAverages() {
  const [one, five, fifteen] = os.loadavg();
  return { one: round(one, 2), five: round(five, 2), fifteen: round(fifteen, 2), uptime: uptime() };
}

function round(n, digits = 1) {
  const f = 10 ** digits;
  return Math.round(n * f) / f;
}

// ---------------------------------------------------------------------------------------------------------
// Child processes: every one is tracked and killed on exit, error, SIGINT and SIGTERM.

const children = new Set();

function track(child) {
  children.add(child);
  child.once('exit', () => children.delete(child));
  return child;
}

function killAll(signal = 'SIGKILL') {
  for (const child of children) {
    try {
      child.kill(signal);
    } catch {
      // already gone
    }
  }
}

let handlersInstalled = false;
function installCleanup() {
  if (handlersInstalled) return;
  handlersInstalled = true;
  process.on('exit', () => killAll('SIGKILL'));
  for (const sig of ['SIGINT', 'SIGTERM']) {
    process.on(sig, () => {
      console.error(`\n${sig}: stopping child processes`);
      killAll('SIGTERM');
      setTimeout(() => {
        killAll('SIGKILL');
        process.exit(130);
      }, 1500).unref();
    });
  }
}

/** Runs a main function with cleanup; a thrown error prints, kills children and exits 1. */
function runMain(main) {
  installCleanup();
  main().then(
    (code) => {
      killAll('SIGKILL');
      process.exit(code ?? 0);
    },
    (error) => {
      console.error('\nBENCHMARK FAILED:', error && error.stack ? error.stack : error);
      killAll('SIGKILL');
      process.exit(1);
    },
  );
}

function freePort() {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.unref();
    server.on('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address();
      server.close(() => resolve(port));
    });
  });
}

// ---------------------------------------------------------------------------------------------------------
// Databases

function parseDbUrl(url) {
  const u = new URL(url);
  return {
    host: u.hostname || '127.0.0.1',
    port: u.port || '5432',
    user: decodeURIComponent(u.username || 'postgres'),
    database: decodeURIComponent(u.pathname.replace(/^\//, '')),
    url,
  };
}

function withDatabase(url, database) {
  const u = new URL(url);
  u.pathname = `/${database}`;
  return u.toString();
}

async function withClient(url, fn) {
  const client = new Client({ connectionString: url, application_name: 'passage-bench' });
  await client.connect();
  try {
    return await fn(client);
  } finally {
    await client.end();
  }
}

async function ensureDatabase(url) {
  const { database } = parseDbUrl(url);
  await withClient(withDatabase(url, 'postgres'), async (c) => {
    const { rowCount } = await c.query('SELECT 1 FROM pg_database WHERE datname = $1', [database]);
    if (rowCount === 0) {
      log(`creating database ${database}`);
      await c.query(`CREATE DATABASE "${database.replace(/"/g, '""')}"`);
    }
  });
}

/** Drops and recreates the public schema so that every run starts from the same empty database. */
async function resetSchema(url) {
  await withClient(url, async (c) => {
    await c.query('DROP SCHEMA IF EXISTS public CASCADE');
    await c.query('CREATE SCHEMA public');
  });
}

function psqlFile(url, file) {
  const db = parseDbUrl(url);
  execFileSync('psql', ['-q', '-X', '-v', 'ON_ERROR_STOP=1', '-h', db.host, '-p', db.port, '-U', db.user, '-d', db.database, '-f', file], {
    stdio: ['ignore', 'ignore', 'inherit'],
  });
}

// ---------------------------------------------------------------------------------------------------------
// Passage

/**
 * Starts `node dist/src/main.js --role=api` on a free port and waits for GET /health to be 200.
 * With BENCH_PROFILE=1 / BENCH_COUNT_QUERIES=1 / BENCH_LOOP_STATS=1 it preloads bench/child-hook.js (IPC-controlled).
 */
async function startPassage({ databaseUrl, adminToken, poolMax, hookOut, appDir = APP_DIR }) {
  const port = await freePort();
  const hook = boolOption('PROFILE') || boolOption('COUNT_QUERIES') || boolOption('LOOP_STATS');
  const args = [...(hook ? ['-r', path.join(__dirname, 'child-hook.js')] : []), path.join(appDir, 'dist/src/main.js'), '--role=api'];
  const env = {
    ...process.env,
    NODE_ENV: 'production',
    DATABASE_URL: databaseUrl,
    // Production requires one with DATABASE_URL; a fixed key is fine for a benchmark database.
    SECRETS_KEY: process.env.SECRETS_KEY || 'ab'.repeat(32),
    ADMIN_TOKEN: adminToken,
    HOST: '127.0.0.1',
    PORT: String(port),
    PUBLIC_BASE_URL: `http://127.0.0.1:${port}`,
    LOG_LEVEL: option('LOG_LEVEL', 'warn'),
    RATE_LIMIT_PER_MINUTE: '100000000',
    PUBLIC_RATE_LIMIT_PER_MINUTE: '100000000',
    SEED_DEMO: 'false',
    DATABASE_POOL_MAX: String(poolMax),
    MIGRATIONS_RUN: 'true',
    BENCH_HOOK_OUT: hookOut || RESULTS_DIR,
  };
  return startServer('Passage', { args, env, cwd: appDir, port, hook });
}

/**
 * Starts bench/node-floor.js (the least Node service answering GET /v1/track/:trackingNumber: Fastify, pg, and
 * Passage's own lookup statement, no framework) on a free port: what a Node HTTP hop in front of PostgreSQL costs
 * on this machine, apart from anything Passage does.
 */
async function startNodeFloor({ databaseUrl, poolMax, appDir = APP_DIR }) {
  const port = await freePort();
  const env = { ...process.env, NODE_ENV: 'production', DATABASE_URL: databaseUrl, POOL_MAX: String(poolMax), PORT: String(port), APP_DIR: appDir };
  return startServer('node floor', { args: [path.join(__dirname, 'node-floor.js')], env, cwd: appDir, port, hook: false });
}

/** Spawns a server child and waits for its GET /health to be 200; with `hook`, the IPC-controlled child hook. */
async function startServer(name, { args, env, cwd, port, hook }) {
  const child = track(spawn(process.execPath, args, { cwd, env, stdio: hook ? ['ignore', 'pipe', 'pipe', 'ipc'] : ['ignore', 'pipe', 'pipe'] }));
  const tail = [];
  const keep = (chunk) => {
    for (const line of String(chunk).split('\n')) if (line.trim()) tail.push(line);
    while (tail.length > 60) tail.shift();
  };
  child.stdout.on('data', keep);
  child.stderr.on('data', keep);
  let exited = null;
  child.once('exit', (code, signal) => (exited = { code, signal }));

  const baseUrl = `http://127.0.0.1:${port}`;
  const deadline = Date.now() + 90_000;
  for (;;) {
    if (exited) throw new Error(`${name} exited during start-up (${JSON.stringify(exited)}):\n${tail.join('\n')}`);
    if (Date.now() > deadline) throw new Error(`${name} did not become healthy within 90 s:\n${tail.join('\n')}`);
    try {
      const res = await fetch(`${baseUrl}/health`);
      if (res.status === 200) break;
    } catch {
      // not listening yet
    }
    await sleep(200);
  }

  return {
    name,
    child,
    pid: child.pid,
    port,
    baseUrl,
    hook,
    tail,
    get exited() {
      return exited;
    },
    assertAlive() {
      if (exited) throw new Error(`${name} died (${JSON.stringify(exited)}):\n${tail.join('\n')}`);
    },
    /** Hook window: start profiling/counting. */
    async windowStart() {
      if (!hook) return;
      await ipc(child, { cmd: 'start' }, 'started');
    },
    /** Hook window: stop and write files; returns their paths. */
    async windowStop(tag) {
      if (!hook) return [];
      const reply = await ipc(child, { cmd: 'stop', tag }, 'stopped');
      return reply.files;
    },
    async stop() {
      if (exited) return;
      child.kill('SIGTERM');
      const until = Date.now() + 10_000;
      while (!exited && Date.now() < until) await sleep(100);
      if (!exited) child.kill('SIGKILL');
    },
  };
}

/** The tracking numbers a bench:lookup run seeded in `url` (none when it holds no such data). */
async function seededTrackingNumbers(url) {
  try {
    return await withClient(url, async (c) => {
      const { rows } = await c.query(`SELECT tracking_number FROM shipments WHERE reference LIKE 'BENCH-%' AND reference <> 'BENCH-TEMPLATE'`);
      return rows.map((r) => r.tracking_number);
    });
  } catch {
    return [];
  }
}

/** A random public-tracking path over `numbers`. */
function lookupPathOver(numbers) {
  return () => `/v1/track/${numbers[Math.floor(Math.random() * numbers.length)]}`;
}

/** autocannon against `server`'s GET /v1/track/:trackingNumber, a random seeded number per request. */
function driveLookups(server, numbers, opts) {
  const pathFor = lookupPathOver(numbers);
  return runAutocannon({
    url: server.baseUrl,
    pipelining: 1,
    timeout: 10,
    ...opts,
    requests: [{ method: 'GET', path: pathFor(), setupRequest: (req) => ({ ...req, path: pathFor() }) }],
  });
}

function ipc(child, message, replyCmd) {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`no ${replyCmd} reply from the child hook`)), 30_000);
    const onMessage = (msg) => {
      if (msg && msg.cmd === replyCmd) {
        clearTimeout(timer);
        child.off('message', onMessage);
        resolve(msg);
      }
    };
    child.on('message', onMessage);
    child.send(message);
  });
}

async function api(baseUrl, method, urlPath, token, body) {
  const res = await fetch(`${baseUrl}${urlPath}`, {
    method,
    headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await res.text();
  let json;
  try {
    json = JSON.parse(text);
  } catch {
    json = text;
  }
  if (res.status < 200 || res.status >= 300) throw new Error(`${method} ${urlPath} → ${res.status}: ${text.slice(0, 500)}`);
  return json;
}

/** A retailer (with a key) and a carrier (with a key), all through the admin API. */
async function setupTenants(baseUrl, adminToken) {
  const retailer = await api(baseUrl, 'POST', '/v1/admin/retailers', adminToken, { name: 'Bench Retailer' });
  const retailerKey = await api(baseUrl, 'POST', `/v1/admin/retailers/${retailer.id}/api-keys`, adminToken, { name: 'bench' });
  const carrier = await api(baseUrl, 'POST', '/v1/admin/carriers', adminToken, { code: 'bench-carrier', name: 'Bench Carrier' });
  const carrierKey = await api(baseUrl, 'POST', `/v1/admin/carriers/${carrier.id}/api-keys`, adminToken, {});
  return { retailerId: retailer.id, retailerKey: retailerKey.key, carrierId: carrier.id, carrierCode: carrier.code, carrierKey: carrierKey.key };
}

/** The booking body the template shipment is booked with (the same UK → DE parcel the test factories use). */
function bookingBody(reference) {
  return {
    reference,
    service: 'standard',
    incoterm: 'DAP',
    origin: { country: 'GB', city: 'London', postcode: 'SW1A 1AA' },
    consignee: {
      name: 'Erika Mustermann',
      email: 'erika@example.com',
      phone: '+4915123456789',
      locale: 'de-DE',
      address: { lines: ['Invalidenstraße 116'], city: 'Berlin', postcode: '10115', country: 'DE' },
    },
    items: [{ description: 'Cotton T-shirt', hsCode: '610910', quantity: 2, unitValue: 1999, currency: 'EUR', originCountry: 'PT', weightGrams: 250 }],
    notify: { email: true, sms: true },
    metadata: { channel: 'web' },
  };
}

/** A realistic 10-scan journey, booked → delivered; 7 of the 10 move the status, 3 only record. */
const JOURNEY = [
  { code: 'COLLECTED', location: { country: 'GB', city: 'London' } },
  { code: 'HUB_SCAN', location: { country: 'GB', city: 'Coventry', facility: 'CVT hub' } },
  { code: 'DEPARTED_ORIGIN', location: { country: 'GB', city: 'London' }, description: 'Departed from the origin airport' },
  { code: 'ARRIVED_DESTINATION', location: { country: 'DE', city: 'Leipzig', facility: 'LEJ hub' } },
  { code: 'CUSTOMS_PRESENTED', location: { country: 'DE', city: 'Leipzig' } },
  { code: 'CUSTOMS_CLEARED', location: { country: 'DE', city: 'Leipzig' }, description: 'Released by customs' },
  { code: 'ARRIVED_DELIVERY_OFFICE', location: { country: 'DE', city: 'Berlin', facility: 'Berlin-Mitte depot' } },
  { code: 'OUT_FOR_DELIVERY', location: { country: 'DE', city: 'Berlin' } },
  { code: 'DELIVERY_ATTEMPTED', reason: 'NO_ONE_HOME', location: { country: 'DE', city: 'Berlin' }, description: 'Nobody at home; card left' },
  { code: 'DELIVERED', location: { country: 'DE', city: 'Berlin' }, description: 'Delivered to the consignee' },
];

/**
 * Books one template shipment over HTTP (so its rows are exactly what the app writes) and, with
 * `withJourney`, posts the 10-scan journey for it. Returns its id and tracking number.
 */
async function bookTemplate(baseUrl, tenants, { withJourney }) {
  const shipment = await api(baseUrl, 'POST', '/v1/shipments', tenants.retailerKey, bookingBody('BENCH-TEMPLATE'));
  if (withJourney) {
    const start = Date.now() - 3 * 86_400_000;
    const events = JOURNEY.map((step, k) => ({
      trackingNumber: shipment.trackingNumber,
      eventId: `template-${k + 1}`,
      occurredAt: new Date(start + k * 3 * 3_600_000).toISOString(),
      ...step,
    }));
    const res = await api(baseUrl, 'POST', '/v1/tracking-events', tenants.carrierKey, { events });
    if (res.summary.applied + res.summary.recorded !== JOURNEY.length) throw new Error(`template journey: ${JSON.stringify(res.summary)}`);
  }
  return { id: shipment.id, trackingNumber: shipment.trackingNumber };
}

function trackingNumbers(count) {
  const { generateTrackingNumber } = require(path.join(APP_DIR, 'dist/src/modules/shipments/tracking-number.js'));
  const seen = new Set();
  while (seen.size < count) seen.add(generateTrackingNumber());
  return [...seen];
}

/**
 * Clones the template shipment `count` times with set-based SQL, chunk by chunk: the shipment row (new
 * id, reference, tracking number; timestamps shifted back 10 s per shipment), its booking history and
 * `shipment.booked` journey event (as ShipmentRepository.recordBooking writes them), and, with
 * `withEvents`, its tracking events, their status history and journey events (as JourneyService writes
 * them), each with new event ids and the payloads pointing at the clone.
 */
async function seedFromTemplate(url, template, { count, chunk = 10_000, withEvents, onChunk }) {
  const numbers = trackingNumbers(count);
  await withClient(url, async (c) => {
    await c.query('SET synchronous_commit = off');
    await c.query(`CREATE TEMP TABLE tmpl_ev AS
      SELECT row_number() OVER (ORDER BY occurred_at, id)::int AS k, e.*
        FROM tracking_events e WHERE shipment_id = $1`, [template.id]);
    await c.query(`CREATE TEMP TABLE tmpl_hist AS
      SELECT t.k, h.from_status, h.to_status, h.cause, h.occurred_at
        FROM shipment_status_history h JOIN tmpl_ev t ON t.id = h.tracking_event_id
       WHERE h.shipment_id = $1 AND h.cause = 'event'`, [template.id]);
    await c.query(`CREATE TEMP TABLE tmpl_je AS
      SELECT t.k, j.type, j.payload, j.occurred_at
        FROM journey_events j JOIN tmpl_ev t ON t.id = (j.payload->>'trackingEventId')::bigint
       WHERE j.shipment_id = $1`, [template.id]);
    const { rows: [counts] } = await c.query(
      'SELECT (SELECT count(*) FROM tmpl_ev)::int AS ev, (SELECT count(*) FROM tmpl_hist)::int AS hist, (SELECT count(*) FROM tmpl_je)::int AS je',
    );
    if (withEvents && counts.ev === 0) throw new Error('the template shipment has no events to clone');

    for (let offset = 0; offset < count; offset += chunk) {
      const slice = numbers.slice(offset, offset + chunk);
      await c.query('BEGIN');
      await c.query(
        `CREATE TEMP TABLE new_s ON COMMIT DROP AS
         WITH ins AS (
           INSERT INTO shipments (id, retailer_id, reference, tracking_number, service, incoterm, status, status_rank,
                  status_changed_at, last_event_occurred_at, origin, destination_country, destination_city, consignee,
                  consignee_postcode_key, items, notify, metadata, estimated_delivery_from, estimated_delivery_to,
                  delivered_at, return_reference, return_requested_at, version, created_at, updated_at)
           SELECT gen_random_uuid(), t.retailer_id, 'BENCH-' || ($2::int + u.n), u.tn, t.service, t.incoterm, t.status, t.status_rank,
                  t.status_changed_at - make_interval(secs => 10 * ($2::int + u.n)),
                  t.last_event_occurred_at - make_interval(secs => 10 * ($2::int + u.n)),
                  t.origin, t.destination_country, t.destination_city, t.consignee,
                  t.consignee_postcode_key, t.items, t.notify, t.metadata, t.estimated_delivery_from, t.estimated_delivery_to,
                  t.delivered_at - make_interval(secs => 10 * ($2::int + u.n)), NULL, NULL, t.version,
                  t.created_at - make_interval(secs => 10 * ($2::int + u.n)),
                  t.updated_at - make_interval(secs => 10 * ($2::int + u.n))
             FROM shipments t, unnest($3::text[]) WITH ORDINALITY AS u(tn, n)
            WHERE t.id = $1
           RETURNING id, retailer_id, tracking_number, reference, created_at)
         SELECT id, retailer_id, tracking_number, substr(reference, 7)::int AS n,
                make_interval(secs => 10 * substr(reference, 7)::int) AS shift, created_at
           FROM ins`,
        [template.id, offset, slice],
      );
      await c.query(`INSERT INTO shipment_status_history (shipment_id, retailer_id, from_status, to_status, cause, occurred_at)
                     SELECT id, retailer_id, NULL, 'booked', 'booking', created_at FROM new_s`);
      await c.query(`INSERT INTO journey_events (shipment_id, retailer_id, type, payload, occurred_at)
                     SELECT id, retailer_id, 'shipment.booked',
                            jsonb_build_object('shipmentId', id, 'retailerId', retailer_id, 'trackingNumber', tracking_number,
                                               'from', NULL, 'to', 'booked'),
                            created_at
                       FROM new_s`);
      if (withEvents) {
        await c.query(`CREATE TEMP TABLE new_ev ON COMMIT DROP AS
          WITH ins AS (
            INSERT INTO tracking_events (shipment_id, retailer_id, source, external_event_id, code, original_code, reason,
                   occurred_at, received_at, location, description, raw, outcome, late, status_before, status_after)
            SELECT s.id, s.retailer_id, e.source, 'seed-' || s.n || '-' || e.k, e.code, e.original_code, e.reason,
                   e.occurred_at - s.shift, e.received_at - s.shift, e.location, e.description,
                   e.raw || jsonb_build_object('trackingNumber', s.tracking_number, 'eventId', 'seed-' || s.n || '-' || e.k),
                   e.outcome, e.late, e.status_before, e.status_after
              FROM new_s s CROSS JOIN tmpl_ev e
             ORDER BY e.k, s.n -- interleaved, as scans arriving over days are: one shipment's events on different pages
            RETURNING id, shipment_id, external_event_id, occurred_at)
          SELECT id, shipment_id, split_part(external_event_id, '-', 3)::int AS k, occurred_at FROM ins`);
        await c.query(`INSERT INTO shipment_status_history (shipment_id, retailer_id, from_status, to_status, tracking_event_id, cause, occurred_at)
          SELECT s.id, s.retailer_id, h.from_status, h.to_status, ev.id, h.cause, h.occurred_at - s.shift
            FROM new_ev ev JOIN new_s s ON s.id = ev.shipment_id JOIN tmpl_hist h ON h.k = ev.k`);
        await c.query(`INSERT INTO journey_events (shipment_id, retailer_id, type, payload, occurred_at)
          SELECT s.id, s.retailer_id, j.type,
                 j.payload || jsonb_build_object('shipmentId', s.id, 'retailerId', s.retailer_id, 'trackingNumber', s.tracking_number,
                                                 'occurredAt', to_char(ev.occurred_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"'),
                                                 'trackingEventId', ev.id::text),
                 j.occurred_at - s.shift
            FROM new_ev ev JOIN new_s s ON s.id = ev.shipment_id JOIN tmpl_je j ON j.k = ev.k`);
      }
      await c.query('COMMIT');
      if (onChunk) onChunk(Math.min(offset + chunk, count));
    }
  });
  return numbers;
}

/**
 * ANALYZE the tables a warm-up wrote to, as autovacuum does within a minute of a table growing (50 rows +
 * 10 %, checked every autovacuum_naptime = 1 min). Without it a run measures that first minute: every
 * connection keeps the generic plans it made for its prepared statements while tracking_events was empty
 * (the seed leaves it empty and analysed), sequential scans that read the whole growing table per write
 * (measured: 2,221 scans reading 19 M rows in one run; the plans change only when the statistics do).
 */
async function analyzeAfterWarmup(url) {
  await withClient(url, async (c) => {
    for (const table of ['tracking_events', 'shipment_status_history', 'journey_events', 'shipments']) await c.query(`ANALYZE ${table}`);
  });
}

/**
 * VACUUM (ANALYZE) what the seed wrote, then CHECKPOINT: the seed and the vacuum dirty every page they touch
 * (1.4 GB for bench:lookup), and without the checkpoint their write-back ran during the measured windows.
 */
async function vacuumAnalyze(url) {
  await withClient(url, async (c) => {
    for (const table of ['shipments', 'tracking_events', 'shipment_status_history', 'journey_events', 'api_keys', 'carriers', 'retailers']) {
      await c.query(`VACUUM (ANALYZE) ${table}`);
    }
    await c.query('CHECKPOINT');
  });
}

// ---------------------------------------------------------------------------------------------------------
// Sampling: the child's RSS every 500 ms, its CPU time, the machine's CPU, and PostgreSQL backends' CPU.

function readRssKb(pid) {
  try {
    const status = fs.readFileSync(`/proc/${pid}/status`, 'utf8');
    const m = /VmRSS:\s+(\d+)\s+kB/.exec(status);
    return m ? Number(m[1]) : null;
  } catch {
    return null;
  }
}

function procCpuTicks(pid, which = 'both') {
  try {
    const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    const user = Number(fields[11]);
    const system = Number(fields[12]);
    return which === 'user' ? user : which === 'system' ? system : user + system;
  } catch {
    return 0;
  }
}

function machineCpu() {
  const line = fs.readFileSync('/proc/stat', 'utf8').split('\n')[0];
  const v = line.trim().split(/\s+/).slice(1).map(Number);
  const idle = v[3] + (v[4] || 0);
  const total = v.reduce((a, b) => a + b, 0);
  return { idle, total };
}

/** pid → CPU ticks of the PostgreSQL backends serving `database` (by their process title). */
function postgresBackends(database) {
  const found = new Map();
  for (const entry of fs.readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const cmdline = fs.readFileSync(`/proc/${entry}/cmdline`, 'utf8');
      if (!cmdline.startsWith('postgres: ')) continue;
      if (database && !cmdline.includes(` ${database} `)) continue;
      found.set(entry, procCpuTicks(entry));
    } catch {
      // gone
    }
  }
  return found;
}

/**
 * Samples every 500 ms: the child's RSS (VmRSS), and the CPU ticks of PostgreSQL backends for `database`
 * (per pid, so that backends which come and go within the window still count). Reports CPU as percent of
 * one core: the child, those backends, this process (the load generator) and the whole machine busy.
 */
function startSampler(pid, database) {
  const samples = [];
  const startedAt = Date.now();
  const cpu0 = pid ? procCpuTicks(pid) : 0;
  const sys0 = pid ? procCpuTicks(pid, 'system') : 0;
  const self0 = process.cpuUsage();
  const m0 = machineCpu();
  const initial = postgresBackends(database);
  const backends = new Map([...initial].map(([p, t]) => [p, { first: t, last: t }]));
  const take = () => {
    if (pid) {
      const kb = readRssKb(pid);
      if (kb !== null) samples.push(kb);
    }
    for (const [p, t] of postgresBackends(database)) {
      const b = backends.get(p);
      if (b) b.last = t;
      else backends.set(p, { first: 0, last: t });
    }
  };
  take();
  const timer = setInterval(take, 500);
  return {
    stop() {
      clearInterval(timer);
      take();
      const seconds = (Date.now() - startedAt) / 1000;
      const m1 = machineCpu();
      const busy = 1 - (m1.idle - m0.idle) / Math.max(1, m1.total - m0.total);
      const pgTicks = [...backends.values()].reduce((a, b) => a + (b.last - b.first), 0);
      const self = process.cpuUsage(self0);
      return {
        maxRssMb: samples.length ? round(Math.max(...samples) / 1024, 1) : null,
        startRssMb: samples.length ? round(samples[0] / 1024, 1) : null,
        endRssMb: samples.length ? round(samples[samples.length - 1] / 1024, 1) : null,
        rssSamples: samples.length,
        childCpuPercent: pid ? round((100 * (procCpuTicks(pid) - cpu0)) / CLK_TCK / seconds, 0) : null,
        childSystemCpuPercent: pid ? round((100 * (procCpuTicks(pid, 'system') - sys0)) / CLK_TCK / seconds, 0) : null,
        postgresCpuPercent: round((100 * pgTicks) / CLK_TCK / seconds, 0),
        loadGeneratorCpuPercent: round((100 * (self.user + self.system)) / 1e6 / seconds, 0),
        machineBusyPercent: round(100 * busy, 0),
        machineCores: os.cpus().length,
      };
    },
  };
}

// ---------------------------------------------------------------------------------------------------------
// Load

function runAutocannon(opts) {
  return new Promise((resolve, reject) => {
    const stop = () => instance.stop();
    const instance = autocannon({ ...opts }, (err, result) => {
      process.off('SIGINT', stop);
      if (err) reject(err);
      else resolve(result);
    });
    process.once('SIGINT', stop);
  });
}

/**
 * Open-loop load at an even pace: one request every 1000/rate ms on a keep-alive agent with at most
 * `connections` sockets. Latency is timed from when the request was due (so a stalled server is charged
 * for the requests queued behind it: no coordinated omission) and also from when it was actually written.
 * autocannon's overallRate, by contrast, lets each connection spend its per-second quota back to back
 * and then wait for the next 1 s tick: bursts of `rate` requests at the start of every second.
 */
function pacedLoad({ baseUrl, rate, duration, connections, pathFor, timeoutMs = 10_000 }) {
  const { hostname, port } = new URL(baseUrl);
  // Idle sockets are dropped after 4 s, before the server's 5 s keep-alive timeout closes them: otherwise a request
  // can be written on a socket the server is closing at that moment (ECONNRESET, counted as a connection error).
  const agent = new http.Agent({ keepAlive: true, maxSockets: connections, timeout: 4000 });
  const errorKinds = {};
  const interval = 1000 / rate;
  const total = Math.round(rate * duration);
  const fromDue = new Float64Array(total);
  const fromSend = new Float64Array(total);
  // How late the generator itself fired each request (its own event loop starved of CPU), and its loop delay.
  const fireLate = new Float64Array(total);
  const generatorLoop = monitorEventLoopDelay({ resolution: 10 });
  generatorLoop.enable();
  const statusCounts = {};
  let done = 0;
  let ok = 0;
  let errors = 0;
  let sent = 0;
  let maxInFlight = 0;
  let inFlight = 0;
  return new Promise((resolve) => {
    const t0 = performance.now();
    const finish = () => {
      agent.destroy();
      generatorLoop.disable();
      const late = Array.from(fireLate.subarray(0, sent)).sort((a, b) => a - b);
      const elapsed = (performance.now() - t0) / 1000;
      const okDue = Array.from(fromDue.subarray(0, done)).filter((v) => v >= 0).sort((a, b) => a - b);
      const okSend = Array.from(fromSend.subarray(0, done)).filter((v) => v >= 0).sort((a, b) => a - b);
      const mean = (arr) => (arr.length ? round(arr.reduce((a, b) => a + b, 0) / arr.length, 2) : null);
      resolve(keepLatencies(okDue, {
        requests: sent,
        ok2xx: ok,
        non2xx: done - ok - errors,
        errors,
        errorKinds,
        timeouts: sent - done,
        durationS: round(elapsed, 2),
        scheduledRate: rate,
        reqPerS: round(ok / duration, 1),
        maxInFlight,
        ...latencySummary(okDue),
        p90Ms: percentileOf(okDue, 90),
        p999Ms: percentileOf(okDue, 99.9),
        meanMs: mean(okDue),
        fromSend: latencySummary(okSend),
        generator: {
          fireLateP50Ms: percentileOf(late, 50),
          fireLateP99Ms: percentileOf(late, 99),
          fireLateMaxMs: late.length ? round(late[late.length - 1], 2) : null,
          loopDelayP99Ms: round(generatorLoop.percentile(99) / 1e6, 2),
          loopDelayMaxMs: round(generatorLoop.max / 1e6, 2),
        },
        statusCodes: statusCounts,
      }));
    };
    const fire = (i, due) => {
      fireLate[i] = performance.now() - due;
      fromDue[i] = -1;
      fromSend[i] = -1;
      inFlight += 1;
      maxInFlight = Math.max(maxInFlight, inFlight);
      let settled = false;
      const settle = (status, error) => {
        if (settled) return;
        settled = true;
        inFlight -= 1;
        done += 1;
        if (status === 0) {
          errors += 1;
          const kind = (error && (error.code || error.message)) || 'unknown';
          errorKinds[kind] = (errorKinds[kind] || 0) + 1;
        } else {
          statusCounts[status] = (statusCounts[status] || 0) + 1;
          if (status >= 200 && status < 300) {
            ok += 1;
            const now = performance.now();
            fromDue[i] = now - due;
            fromSend[i] = now - writtenAt;
          }
        }
        if (sent === total && done === total) finish();
      };
      let writtenAt = performance.now();
      const req = http.get({ agent, host: hostname, port, path: pathFor(i) }, (res) => {
        res.on('data', () => {});
        res.on('end', () => settle(res.statusCode));
        res.on('error', (e) => settle(0, e));
      });
      req.on('socket', (socket) => {
        const mark = () => (writtenAt = performance.now());
        if (socket.connecting) socket.once('connect', mark);
        else mark();
      });
      req.setTimeout(timeoutMs, () => req.destroy(new Error('timeout')));
      req.on('error', (e) => settle(0, e));
    };
    if (total === 0) {
      finish();
      return;
    }
    const tick = () => {
      const due = Math.min(total, Math.floor((performance.now() - t0) / interval) + 1);
      while (sent < due) {
        fire(sent, t0 + sent * interval);
        sent += 1;
      }
      if (sent < total) setTimeout(tick, Math.max(0, t0 + sent * interval - performance.now()));
      else setTimeout(() => done < total && finish(), timeoutMs + 1000).unref();
    };
    tick();
  });
}

function summarizeAutocannon(result) {
  return {
    requests: result.requests.total,
    ok2xx: result['2xx'],
    non2xx: result.non2xx,
    errors: result.errors,
    timeouts: result.timeouts,
    durationS: result.duration,
    reqPerS: round(result['2xx'] / result.duration, 1),
    p50Ms: result.latency.p50,
    p90Ms: result.latency.p90,
    p99Ms: result.latency.p99,
    maxMs: result.latency.max,
    meanMs: round(result.latency.average, 2),
    statusCodes: result.statusCodeStats,
  };
}

function assertClean(name, summary) {
  const problems = [];
  if (summary.non2xx > 0) problems.push(`${summary.non2xx} non-2xx responses (${JSON.stringify(summary.statusCodes)})`);
  if (summary.errors > 0) problems.push(`${summary.errors} connection errors${summary.errorKinds ? ` ${JSON.stringify(summary.errorKinds)}` : ''}`);
  if (summary.timeouts > 0) problems.push(`${summary.timeouts} timeouts`);
  if (summary.ok2xx === 0) problems.push('no successful request at all');
  if (problems.length) throw new Error(`${name}: ${problems.join('; ')}`);
}

// ---------------------------------------------------------------------------------------------------------
// The SQL floor (pgbench)

/**
 * Runs a floor script. `rate` paces it (pgbench -R, transactions scheduled evenly) and logs every transaction,
 * so that its latency percentiles are timed as the paced load generator times Passage's: from when each
 * transaction was due (pgbench's time plus its schedule lag).
 */
function pgbench(url, { clients, threads, seconds, script, protocol, defines = {}, rate }) {
  const db = parseDbUrl(url);
  const args = ['-n', '-h', db.host, '-p', db.port, '-U', db.user, '-d', db.database, '-c', String(clients), '-j', String(threads), '-T', String(seconds)];
  if (protocol) args.push('-M', protocol);
  const logDir = rate ? fs.mkdtempSync(path.join(os.tmpdir(), 'pgbench-')) : null;
  if (rate) args.push('-R', String(rate), '--log', `--log-prefix=${path.join(logDir, 'tx')}`);
  for (const [k, v] of Object.entries(defines)) args.push('-D', `${k}=${v}`);
  args.push('-f', path.isAbsolute(script) ? script : path.join(FLOOR_DIR, script));
  return new Promise((resolve, reject) => {
    const child = track(spawn('pgbench', args, { stdio: ['ignore', 'pipe', 'pipe'] }));
    let out = '';
    child.stdout.on('data', (d) => (out += d));
    child.stderr.on('data', (d) => (out += d));
    child.on('error', reject);
    child.on('exit', (code) => {
      const tps = /tps = ([\d.]+) \(without initial connection time\)/.exec(out);
      const lat = /latency average = ([\d.]+) ms/.exec(out);
      const failed = /number of failed transactions: (\d+)/.exec(out);
      const done = /number of transactions actually processed: (\d+)/.exec(out);
      if (code !== 0 || !tps) return reject(new Error(`pgbench ${script} failed (exit ${code}):\n${out}`));
      resolve({
        script,
        command: `pgbench ${args.join(' ')}`,
        tps: Number(tps[1]),
        latencyAvgMs: lat ? Number(lat[1]) : null,
        transactions: done ? Number(done[1]) : null,
        failed: failed ? Number(failed[1]) : 0,
        ...(logDir && { fromDue: pgbenchLatencies(logDir) }),
      });
    });
  });
}

/** The nearest-rank percentile of sorted values, rounded to 0.01; null for none. */
function percentileOf(sorted, p) {
  return sorted.length ? round(sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)], 2) : null;
}

/** Percentiles of a paced pgbench run's per-transaction log (fields: client, tx, time µs, script, epoch s, µs, lag µs). */
function pgbenchLatencies(logDir) {
  const ms = [];
  for (const file of fs.readdirSync(logDir)) {
    for (const line of fs.readFileSync(path.join(logDir, file), 'utf8').split('\n')) {
      const f = line.split(' ');
      if (f.length >= 7) ms.push((Number(f[2]) + Number(f[6])) / 1000);
    }
  }
  fs.rmSync(logDir, { recursive: true, force: true });
  ms.sort((a, b) => a - b);
  return keepLatencies(ms, { transactions: ms.length, ...latencySummary(ms) });
}

/** p50/p99/max of sorted latencies (ms). */
function latencySummary(sorted) {
  return { p50Ms: percentileOf(sorted, 50), p99Ms: percentileOf(sorted, 99), maxMs: sorted.length ? round(sorted[sorted.length - 1], 2) : null };
}

/**
 * Keeps a paced run's sorted per-request latencies on its result as `sortedMs` (not enumerable: not written to
 * the results file), so that several windows can be pooled: `pooledLatencies(runs)` gives the percentiles over
 * all of their requests together.
 */
function keepLatencies(sorted, result) {
  return Object.defineProperty(result, 'sortedMs', { value: sorted, enumerable: false });
}

function pooledLatencies(runs) {
  const all = runs.flatMap((r) => r.sortedMs).sort((a, b) => a - b);
  return { requests: all.length, ...latencySummary(all) };
}

async function prepareFloor(floorUrl) {
  await ensureDatabase(floorUrl);
  psqlFile(floorUrl, path.join(FLOOR_DIR, 'schema.sql'));
}

// ---------------------------------------------------------------------------------------------------------
// Output

function table(rows, columns) {
  const widths = columns.map((c) => Math.max(c.length, ...rows.map((r) => String(r[c] ?? '').length)));
  const line = (cells) => cells.map((cell, i) => (i === 0 ? String(cell).padEnd(widths[i]) : String(cell).padStart(widths[i]))).join('  ');
  return [line(columns), widths.map((w) => '-'.repeat(w)).join('  '), ...rows.map((r) => line(columns.map((c) => r[c] ?? '')))].join('\n');
}

function writeResult(name, data) {
  fs.mkdirSync(RESULTS_DIR, { recursive: true });
  const stamp = new Date().toISOString().replace(/[:.]/g, '-');
  const file = path.join(RESULTS_DIR, `${name}-${stamp}.json`);
  fs.writeFileSync(file, `${JSON.stringify(data, null, 2)}\n`);
  return file;
}

function gitRevision() {
  if (APP_DIR !== ROOT) {
    const file = path.join(APP_DIR, 'REVISION');
    return `${fs.existsSync(file) ? fs.readFileSync(file, 'utf8').trim() : 'unknown'} (build in ${APP_DIR})`;
  }
  try {
    const rev = execFileSync('git', ['rev-parse', '--short', 'HEAD'], { cwd: ROOT, encoding: 'utf8' }).trim();
    const dirty = execFileSync('git', ['status', '--porcelain', '--', 'src', 'migrations'], { cwd: ROOT, encoding: 'utf8' }).trim();
    return dirty ? `${rev}+dirty(src)` : rev;
  } catch {
    return 'unknown';
  }
}

/** Self time by function and by file from a .cpuprofile: the top of where the child spent its CPU. */
function summarizeCpuProfile(file, top = 25) {
  const profile = JSON.parse(fs.readFileSync(file, 'utf8'));
  const byId = new Map(profile.nodes.map((n) => [n.id, n]));
  const self = new Map();
  const deltas = profile.timeDeltas;
  for (let i = 0; i < profile.samples.length; i++) {
    const id = profile.samples[i];
    self.set(id, (self.get(id) || 0) + (deltas[i] || 0));
  }
  const total = [...self.values()].reduce((a, b) => a + b, 0) || 1;
  const byFunction = new Map();
  const byArea = new Map();
  for (const [id, us] of self) {
    const { callFrame } = byId.get(id);
    const url = callFrame.url.replace(`file://${APP_DIR}/`, '').replace(`file://${ROOT}/`, '').replace(`${ROOT}/`, '');
    const fnKey = `${callFrame.functionName || '(anonymous)'} ${url ? `${url}:${callFrame.lineNumber + 1}` : ''}`.trim();
    byFunction.set(fnKey, (byFunction.get(fnKey) || 0) + us);
    let area;
    if (!url) area = callFrame.functionName.startsWith('(') ? callFrame.functionName : '(native)';
    else if (url.startsWith('node:')) area = url;
    else if (url.includes('node_modules/')) area = url.split('node_modules/').pop().split('/').slice(0, url.includes('node_modules/@') ? 2 : 1).join('/');
    else area = url;
    byArea.set(area, (byArea.get(area) || 0) + us);
  }
  const pick = (m) =>
    [...m.entries()]
      .sort((a, b) => b[1] - a[1])
      .slice(0, top)
      .map(([name, us]) => ({ name, percent: round((100 * us) / total, 1) }));
  return { totalMs: Math.round(total / 1000), byArea: pick(byArea), byFunction: pick(byFunction) };
}

/** Prints what the child hook wrote for a window: queries per request, CPU profile top entries. */
function reportHookFiles(files, requests, size) {
  for (const file of files) {
    if (file.endsWith('.queries.json')) {
      const { queries } = JSON.parse(fs.readFileSync(file, 'utf8'));
      const total = queries.reduce((a, q) => a + q.count, 0);
      console.log(`  queries: ${total} in the window, ${(total / requests).toFixed(2)} per request, ${(total / (requests * size)).toFixed(3)} per event`);
      for (const q of queries.slice(0, 14)) console.log(`    ${(q.count / requests).toFixed(2)}/req  ${(q.ms / q.count).toFixed(2)} ms avg  ${q.shape}`);
    }
    if (file.endsWith('.loop.json')) {
      const l = JSON.parse(fs.readFileSync(file, 'utf8'));
      const kinds = Object.entries(l.gc.byKind).map(([k, v]) => `${k} ${v.count}× max ${v.maxMs} ms`).join(', ');
      console.log(
        `  event loop: utilisation ${l.eventLoopUtilization}, delay p50 ${l.eventLoopDelayMs.p50} ms p99 ${l.eventLoopDelayMs.p99} ms max ${l.eventLoopDelayMs.max} ms; ` +
          `GC ${l.gc.pauses} pauses, ${l.gc.totalMs} ms in all, ${l.gc.over10ms} over 10 ms (${kinds}); memory at the end (MB) ${JSON.stringify(l.memoryMb)}`,
      );
    }
    if (file.endsWith('.cpuprofile')) {
      const s = summarizeCpuProfile(file, 15);
      console.log(`  CPU profile ${file} (${s.totalMs} ms sampled). Self time by area:`);
      for (const a of s.byArea) console.log(`    ${String(a.percent).padStart(5)} %  ${a.name}`);
      console.log('  Self time by function:');
      for (const f of s.byFunction) console.log(`    ${String(f.percent).padStart(5)} %  ${f.name}`);
    }
  }
}

// ---------------------------------------------------------------------------------------------------------
// CPU accounting from /proc (Linux): what a phase cost the app and PostgreSQL, independent of the load average.

/** CPU ticks (1/100 s: user + system) of the given pids; missing ones (gone) are left out. */
function cpuTicksOf(pids) {
  const ticks = new Map();
  for (const pid of pids) {
    try {
      const fields = fs.readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1].split(' ');
      ticks.set(String(pid), Number(fields[11]) + Number(fields[12]));
    } catch {
      // gone
    }
  }
  return ticks;
}

/** CPU ticks of every PostgreSQL backend serving the database of `databaseUrl`, by pid. */
function backendCpuTicks(databaseUrl) {
  const database = decodeURIComponent(new URL(databaseUrl).pathname.slice(1));
  const pids = fs.readdirSync('/proc').filter((entry) => {
    if (!/^\d+$/.test(entry)) return false;
    try {
      const cmdline = fs.readFileSync(`/proc/${entry}/cmdline`, 'utf8');
      return cmdline.startsWith('postgres: ') && cmdline.includes(` ${database} `);
    } catch {
      return false;
    }
  });
  return cpuTicksOf(pids);
}

/** Milliseconds of CPU between two tick readings (pids that appeared in between count from zero). */
function cpuMsBetween(before, after) {
  let ticks = 0;
  for (const [pid, t] of after) ticks += t - (before.get(pid) ?? 0);
  return ticks * (1000 / CLK_TCK);
}

module.exports = {
  DEFAULT_POOL_MAX,
  cpuTicksOf,
  backendCpuTicks,
  cpuMsBetween,
  reportHookFiles,
  ROOT,
  APP_DIR,
  RESULTS_DIR,
  FLOOR_DIR,
  option,
  intOption,
  boolOption,
  log,
  round,
  loadAverages,
  runMain,
  ensureDatabase,
  resetSchema,
  withClient,
  withDatabase,
  parseDbUrl,
  startPassage,
  startNodeFloor,
  seededTrackingNumbers,
  lookupPathOver,
  driveLookups,
  api,
  setupTenants,
  bookTemplate,
  seedFromTemplate,
  vacuumAnalyze,
  analyzeAfterWarmup,
  startSampler,
  runAutocannon,
  pacedLoad,
  pooledLatencies,
  summarizeAutocannon,
  assertClean,
  pgbench,
  prepareFloor,
  table,
  writeResult,
  gitRevision,
  summarizeCpuProfile,
  sleep,
};
