import { randomUUID } from 'node:crypto';
import { createServer, Server } from 'node:http';
import { AddressInfo } from 'node:net';
import { SMTPServer } from 'smtp-server';
import { DataSource } from 'typeorm';
import { builtMain, spawnWorker } from '../utils/child-app';
import { openTestDataSource } from '../utils/database';

const N = 600;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/**
 * Kills a worker with SIGKILL in the middle of dispatching, starts another, and counts at the sinks: every
 * message must arrive; a message accepted by the provider whose outcome the killed worker had not yet
 * committed is sent again (at-least-once), and the test reports how many.
 */
describe('a worker killed mid-dispatch (SIGKILL)', () => {
  let db: DataSource;
  let smtp: SMTPServer;
  let twilioApi: Server;
  const seen = new Map<string, number>();
  const tag = `crash-${randomUUID().slice(0, 8)}`;
  const note = (id: string | null | undefined) => {
    if (id?.startsWith(tag)) seen.set(id, (seen.get(id) ?? 0) + 1);
  };

  beforeAll(async () => {
    builtMain(); // fails at once, and says how to build, when there is no build
    db = await openTestDataSource();
    smtp = new SMTPServer({
      secure: false,
      disabledCommands: ['STARTTLS', 'AUTH'],
      logger: false,
      onData(stream, _session, callback) {
        let head = '';
        stream.on('data', (chunk: Buffer) => {
          if (head.length < 8192) head += chunk.toString();
        });
        // A slow mailbox, so that the kill lands while messages are in flight.
        stream.on('end', () => setTimeout(() => {
          note(/^Subject: (.*)$/m.exec(head)?.[1]?.trim());
          callback();
        }, 5));
      },
    });
    // The kill resets the worker's pooled SMTP connections, and smtp-server emits each reset as an 'error'
    // event, which would otherwise be thrown into the test process and fail the suite after it passed.
    smtp.on('error', (error: NodeJS.ErrnoException) => {
      if (error.code !== 'ECONNRESET') throw error;
    });
    await new Promise<void>((resolve) => smtp.listen(0, '127.0.0.1', resolve));
    let sid = 0;
    twilioApi = createServer((req, res) => {
      let body = '';
      req.on('error', () => undefined); // a request cut off by the kill: the message was never acknowledged
      req.on('data', (c) => (body += c));
      req.on('end', () => {
        note(new URLSearchParams(body).get('Body'));
        sid += 1;
        res.writeHead(201, { 'Content-Type': 'application/json' }).end(JSON.stringify({ sid: `SM${String(sid).padStart(32, '0')}`, status: 'queued' }));
      });
    });
    await new Promise<void>((resolve) => twilioApi.listen(0, '127.0.0.1', resolve));
  });
  afterAll(async () => {
    await new Promise<void>((resolve) => smtp.close(resolve));
    await new Promise<void>((resolve) => twilioApi.close(() => resolve()));
    await db.destroy();
  });

  const worker = () =>
    spawnWorker({
      SMTP_URL: `smtp://127.0.0.1:${(smtp.server.address() as AddressInfo).port}?ignoreTLS=true&pool=true&maxConnections=5`,
      TWILIO_ACCOUNT_SID: 'AC00000000000000000000000000000000',
      TWILIO_AUTH_TOKEN: 'crash-test-token',
      TWILIO_FROM: '+15005550006',
      TWILIO_API_BASE_URL: `http://127.0.0.1:${(twilioApi.address() as AddressInfo).port}`,
      DISPATCH_BATCH_SIZE: '25',
      DISPATCH_POLL_MS: '50',
      DISPATCH_LEASE_SECONDS: '5',
    });
  const until = async (what: string, done: () => boolean, timeoutMs: number, output?: () => string) => {
    const deadline = Date.now() + timeoutMs;
    while (!done()) {
      if (Date.now() > deadline) throw new Error(`timed out waiting for ${what} (${seen.size} arrived)\n${output?.() ?? ''}`);
      await sleep(20);
    }
  };

  it('loses nothing, and sends again only what was in flight at the kill', async () => {
    // Whatever other suites left due would also go to these sinks: park it.
    await db.query(`UPDATE messages SET status = 'skipped', skip_reason = 'test_parked' WHERE status IN ('pending', 'sending')`);
    await db.query(`UPDATE journey_events SET planned_at = now() WHERE planned_at IS NULL`);
    const [{ id: retailerId }] = await db.query(`INSERT INTO retailers (name) VALUES ('Crash test') RETURNING id`);
    const ids = Array.from({ length: N }, (_, i) => `${tag}-${String(i).padStart(4, '0')}`);
    await db.query(
      `INSERT INTO messages (retailer_id, channel, recipient, template, dedupe_key, payload, max_attempts, next_attempt_at, audience)
       SELECT $1, CASE WHEN i % 4 = 0 THEN 'sms' ELSE 'email' END, CASE WHEN i % 4 = 0 THEN '+4915123456789' ELSE 'c' || i || '@example.com' END,
              'delivered', id, jsonb_build_object('subject', id, 'text', 't', 'html', '<p>h</p>', 'body', id), 6, now() - interval '1 second', 'consignee'
         FROM unnest($2::text[]) WITH ORDINALITY AS x(id, i)`,
      [retailerId, ids],
    );

    const first = worker();
    await until('a third of the messages', () => seen.size >= N / 3, 60_000, first.output).catch(async (error) => {
      await first.stop();
      throw error;
    });
    first.child.kill('SIGKILL');
    await new Promise((resolve) => first.child.once('exit', resolve));
    const atKill = seen.size;
    expect(atKill).toBeLessThan(N); // the kill landed mid-dispatch

    const second = worker();
    try {
      await until('every message', () => seen.size === N, 90_000, second.output);
      // The restarted worker may still be committing its last batch.
      for (let i = 0; i < 100; i++) {
        const [{ open }] = await db.query(`SELECT count(*)::int AS open FROM messages WHERE dedupe_key LIKE $1 AND status <> 'sent'`, [`${tag}-%`]);
        if (open === 0) break;
        await sleep(100);
      }
    } finally {
      await second.stop();
    }
    const duplicates = [...seen.values()].filter((n) => n > 1).length;
    process.stdout.write(`\ncrash test: ${N} messages, killed after ${atKill} had arrived, ${duplicates} sent twice (in flight at the kill)\n`);
    expect([...seen.keys()].sort()).toEqual(ids);
    expect(duplicates).toBeLessThanOrEqual(25); // at most one batch: accepted by a sink, not yet committed
    await expect(
      db.query(`SELECT status, count(*)::int AS n FROM messages WHERE dedupe_key LIKE $1 GROUP BY status`, [`${tag}-%`]),
    ).resolves.toEqual([{ status: 'sent', n: N }]);
  }, 180_000);
});
