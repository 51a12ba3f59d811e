// bench:dispatch — messages/s from the outbox to local SMTP and Twilio-compatible sinks, with 1 and 3 workers.
// Each run: enqueue N messages (3/4 email, 1/4 SMS) straight into the outbox, start K worker processes
// (`node dist/src/main.js --role=worker`), and time until the sinks have received every message. The sinks
// also count duplicates: every message must arrive exactly once.
'use strict';
const { spawn } = require('node:child_process');
const { createServer } = require('node:http');
const path = require('node:path');
const { Client } = require('pg');
const { SMTPServer } = require('smtp-server');
const { backendCpuTicks, cpuMsBetween, cpuTicksOf } = require('./lib');

// The build to benchmark: this working tree, or BENCH_APP_DIR (a directory holding dist/ and node_modules/).
const ROOT = path.resolve(process.env.BENCH_APP_DIR || path.join(__dirname, '..'));
const DB = process.env.BENCH_DATABASE_URL || 'postgres://postgres@127.0.0.1:5432/passage_bench';
// 20,000 messages: long enough that the figure is the steady state, not the workers' JIT warm-up.
const N = Number(process.env.BENCH_MESSAGES || 20000);
const WORKER_COUNTS = (process.env.BENCH_WORKERS || '1,3').split(',').map(Number);
// DISPATCH_BATCH_SIZE for the workers: 500 measures a volume sender's setting (the default is 200; see bench/README.md).
const BATCH = process.env.BENCH_BATCH_SIZE || '500';
// Extra node flags for the workers, e.g. BENCH_WORKER_NODE_ARGS="--cpu-prof --cpu-prof-dir=/tmp/prof" to profile them.
const WORKER_NODE_ARGS = (process.env.BENCH_WORKER_NODE_ARGS || '').split(' ').filter(Boolean);

async function sinks() {
  const seen = new Map();
  const times = { first: 0, last: 0 };
  const note = (id) => {
    times.last = Date.now();
    times.first ||= times.last;
    seen.set(id, (seen.get(id) || 0) + 1);
  };
  const smtp = new SMTPServer({
    secure: false,
    disabledCommands: ['STARTTLS', 'AUTH'],
    logger: false,
    onData(stream, _session, callback) {
      let head = '';
      stream.on('data', (chunk) => {
        if (head.length < 4096) head += chunk.toString();
      });
      stream.on('end', () => {
        const subject = /^Subject: (.*)$/m.exec(head);
        note(subject ? subject[1].trim() : 'unknown');
        callback();
      });
    },
  });
  await new Promise((resolve) => smtp.listen(0, '127.0.0.1', resolve));
  let sid = 0;
  const twilio = createServer((req, res) => {
    let body = '';
    req.on('data', (c) => (body += c));
    req.on('end', () => {
      note(new URLSearchParams(body).get('Body'));
      sid += 1;
      res.writeHead(201, { 'Content-Type': 'application/json' }).end(JSON.stringify({ sid: `SM${String(sid).padStart(32, '0')}`, status: 'queued' }));
    });
  });
  await new Promise((resolve) => twilio.listen(0, '127.0.0.1', resolve));
  return {
    seen,
    times,
    smtpPort: smtp.server.address().port,
    twilioUrl: `http://127.0.0.1:${twilio.address().port}`,
    close: async () => {
      await new Promise((resolve) => smtp.close(resolve));
      await new Promise((resolve) => twilio.close(resolve));
    },
  };
}

/** Committed transactions so far in this database (every statement outside BEGIN is one). */
async function transactions(client) {
  const { rows } = await client.query(`SELECT xact_commit::bigint AS n FROM pg_stat_database WHERE datname = current_database()`);
  return Number(rows[0].n);
}

async function prepare(client) {
  await client.query('DROP SCHEMA IF EXISTS public CASCADE; CREATE SCHEMA public;');
  // Let the app create its schema: one short-lived api process runs the migrations.
  await new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [path.join(ROOT, 'dist/src/main.js'), '--role=worker'], {
      cwd: ROOT,
      env: { ...process.env, DATABASE_URL: DB, LOG_LEVEL: 'warn', MIGRATIONS_RUN: 'true' },
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    child.stdout.on('data', (d) => {
      if (String(d).includes('worker started')) child.kill('SIGTERM');
    });
    child.on('exit', (code, signal) => (code === 0 || signal ? resolve() : reject(new Error(`migration run exited ${code}`))));
  });
  const [{ id }] = (await client.query(`INSERT INTO retailers (name) VALUES ('bench') RETURNING id`)).rows;
  return id;
}

async function run(client, retailerId, workers) {
  await client.query('TRUNCATE messages');
  await client.query(
    `INSERT INTO messages (retailer_id, channel, recipient, template, dedupe_key, payload, max_attempts, next_attempt_at)
     SELECT $1, CASE WHEN g % 4 = 0 THEN 'sms' ELSE 'email' END,
            CASE WHEN g % 4 = 0 THEN '+4915123456789' ELSE 'c' || g || '@example.com' END, 'bench', 'bench:' || $2 || ':' || g,
            jsonb_build_object('subject', 'm' || $2 || '-' || g, 'text', 'Ihr Paket ist unterwegs.', 'html', '<p>Ihr Paket ist unterwegs.</p>',
                               'body', 'm' || $2 || '-' || g),
            6, now() - interval '1 second'
       FROM generate_series(1, $3) g`,
    [retailerId, workers, N],
  );
  const sink = await sinks();
  const env = {
    ...process.env,
    DATABASE_URL: DB,
    DATABASE_POOL_MAX: '4',
    LOG_LEVEL: 'warn',
    MIGRATIONS_RUN: 'false',
    SMTP_URL: `smtp://127.0.0.1:${sink.smtpPort}?ignoreTLS=true`,
    TWILIO_ACCOUNT_SID: 'AC00000000000000000000000000000000',
    TWILIO_AUTH_TOKEN: 'bench',
    TWILIO_FROM: '+15005550006',
    TWILIO_API_BASE_URL: sink.twilioUrl,
    DISPATCH_BATCH_SIZE: BATCH,
    DISPATCH_POLL_MS: '50',
  };
  const started = Date.now();
  const children = Array.from({ length: workers }, () =>
    spawn(process.execPath, [...WORKER_NODE_ARGS, path.join(ROOT, 'dist/src/main.js'), '--role=worker'], { cwd: ROOT, env, stdio: ['ignore', 'ignore', 'inherit'] }),
  );
  const deadline = started + 300_000;
  // CPU is counted from the first message at a sink to the last, like the rate: workers, sinks (this process), PostgreSQL.
  let cpu0 = null;
  const pids = children.map((c) => c.pid);
  while (Date.now() < deadline) {
    if (!cpu0 && sink.times.first) cpu0 = { workers: cpuTicksOf(pids), pg: backendCpuTicks(DB), sinks: process.cpuUsage(), xacts: await transactions(client) };
    if ([...sink.seen.values()].reduce((a, b) => a + b, 0) >= N) break;
    await new Promise((r) => setTimeout(r, 50));
  }
  const cpu = cpu0 && {
    workersMs: cpuMsBetween(cpu0.workers, cpuTicksOf(pids)),
    postgresMs: cpuMsBetween(cpu0.pg, backendCpuTicks(DB)),
    sinksMs: Math.round(((u) => u.user + u.system)(process.cpuUsage(cpu0.sinks)) / 1000),
    transactions: (await transactions(client)) - cpu0.xacts,
  };
  // Timed from the first message at a sink to the last, so worker start-up (Nest boot) is not counted.
  const seconds = (sink.times.last - sink.times.first) / 1000;
  const wallSeconds = (Date.now() - started) / 1000;
  await new Promise((r) => setTimeout(r, 500)); // late duplicates, if any, would land now
  for (const child of children) child.kill('SIGTERM');
  await Promise.all(children.map((c) => new Promise((r) => (c.exitCode !== null ? r() : c.once('exit', r)))));
  const counts = [...sink.seen.values()];
  const duplicates = counts.filter((n) => n > 1).length;
  const { rows } = await client.query(`SELECT status, count(*)::int AS n FROM messages GROUP BY status ORDER BY status`);
  await sink.close();
  return { workers, messages: N, unique: sink.seen.size, duplicates, seconds, wallSeconds, perSecond: Math.round(sink.seen.size / seconds), statuses: rows, cpu };
}

async function main() {
  const client = new Client({ connectionString: DB });
  await client.connect();
  try {
    const retailerId = await prepare(client);
    const results = [];
    for (const workers of WORKER_COUNTS) {
      const result = await run(client, retailerId, workers);
      results.push(result);
      console.log(
        `${workers} worker(s): ${result.unique}/${N} messages in ${result.seconds.toFixed(1)} s (${result.wallSeconds.toFixed(1)} s with start-up) = ${result.perSecond} messages/s, ` +
          `duplicates ${result.duplicates}, outbox ${JSON.stringify(result.statuses)}`,
      );
      if (result.cpu) {
        const per = (ms) => ((ms * 1000) / N).toFixed(0);
        const { workersMs, postgresMs, sinksMs, transactions } = result.cpu;
        const machine = ((workersMs + postgresMs + sinksMs) / 1000 / result.seconds).toFixed(2);
        console.log(
          `  CPU per message: workers ${per(workersMs)} µs, PostgreSQL ${per(postgresMs)} µs, sinks ${per(sinksMs)} µs; ` +
            `${(transactions / N).toFixed(2)} transactions per message; ` +
            `${machine} of ${require('node:os').cpus().length} cores busy (load average ${require('node:os').loadavg()[0].toFixed(2)})`,
        );
      }
    }
    const best = results.find((r) => r.workers === 3);
    if (best) console.log(`target: >= 1,000 messages/s with 3 workers: ${best.perSecond >= 1000 ? 'MET' : 'MISSED'} (${best.perSecond}/s)`);
  } finally {
    await client.end();
  }
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
