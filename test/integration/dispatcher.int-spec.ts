import { randomUUID } from 'node:crypto';
import { AddressInfo, createServer as createNetServer } from 'node:net';
import { SMTPServer } from 'smtp-server';
import { DataSource } from 'typeorm';
import { FixedClock } from '../../src/common/clock/clock';
import { loadAppConfig } from '../../src/config/app-config';
import { dataSourceOptions } from '../../src/database/data-source-options';
import { RecordingEmailChannel, RecordingSmsChannel } from '../../src/modules/notifications/channels/recording-channels';
import { SmtpEmailChannel } from '../../src/modules/notifications/channels/smtp-email.channel';
import { DispatcherService } from '../../src/modules/notifications/dispatch/dispatcher.service';
import { MessageRepository, NewMessage } from '../../src/modules/notifications/dispatch/message.repository';
import { isEmbedded, openTestDataSource, TEST_POOL_MAX, testDatabaseUrl } from '../utils/database';

const T0 = new Date('2026-11-24T12:00:00Z');
const config = loadAppConfig({ DATABASE_URL: 'postgres://unused', DISPATCH_BATCH_SIZE: '50', DISPATCH_LEASE_SECONDS: '60' });

describe('message dispatcher against PostgreSQL', () => {
  let db: DataSource;
  let retailerId: string;
  const extra: DataSource[] = [];

  beforeAll(async () => {
    db = await openTestDataSource();
    [{ id: retailerId }] = await db.query(`INSERT INTO retailers (name) VALUES ('Dispatch test') RETURNING id`);
  });
  afterAll(async () => {
    for (const ds of extra) await ds.destroy();
    await db.destroy();
  });

  const message = (overrides: Partial<NewMessage> = {}): NewMessage => ({
    retailerId,
    shipmentId: null,
    channel: 'email',
    recipient: 'erika@example.com',
    template: 'delivered',
    dedupeKey: `test:${randomUUID()}`,
    payload: { subject: 'Zugestellt', text: 'Ihr Paket wurde zugestellt.', html: '<p>Zugestellt</p>' },
    maxAttempts: 6,
    nextAttemptAt: T0,
    ...overrides,
  });
  const statusOf = async (dedupeKey: string) =>
    (await db.query(`SELECT status, attempts, next_attempt_at, provider_message_id, last_error_code FROM messages WHERE dedupe_key = $1`, [dedupeKey]))[0];
  const dispatcher = (clock: FixedClock, email = new RecordingEmailChannel(), sms = new RecordingSmsChannel(), source = db) =>
    ({ sut: new DispatcherService(new MessageRepository(source), email, sms, clock, config), email, sms });
  /** Clears the queue of earlier tests' leftovers so counts are exact. */
  const drainQueue = () => db.query(`UPDATE messages SET status = 'skipped' WHERE status IN ('pending', 'sending')`);

  it('enqueues a dedupe key once, however often the same message is planned', async () => {
    const repository = new MessageRepository(db);
    const m = message();
    await expect(repository.enqueue([m])).resolves.toBe(1);
    await expect(repository.enqueue([m, { ...m }])).resolves.toBe(0);
    await expect(db.query(`SELECT count(*)::int AS n FROM messages WHERE dedupe_key = $1`, [m.dedupeKey])).resolves.toEqual([{ n: 1 }]);
  });

  it('sends every due message exactly once with three dispatchers racing over 2,000 of them', async () => {
    await drainQueue();
    const repository = new MessageRepository(db);
    const batch = Array.from({ length: 2000 }, (_, i) =>
      message({ channel: i % 4 === 0 ? 'sms' : 'email', recipient: i % 4 === 0 ? '+4915123456789' : `c${i}@example.com`, payload: { subject: `m${i}`, text: 't', html: 'h', body: `m${i}` } }),
    );
    await repository.enqueue(batch);
    // On real PostgreSQL each dispatcher has its own pool; the embedded server serialises everything on one.
    const sources = isEmbedded()
      ? [db, db, db]
      : await Promise.all(
          [1, 2, 3].map(async () => {
            const ds = new DataSource(dataSourceOptions({ url: testDatabaseUrl(), poolMax: TEST_POOL_MAX }));
            extra.push(ds);
            return ds.initialize();
          }),
        );
    const clock = new FixedClock(T0);
    const workers = sources.map((source) => dispatcher(clock, undefined, undefined, source));
    await Promise.all(
      workers.map(async ({ sut }) => {
        while ((await sut.dispatchOnce()).claimed > 0);
      }),
    );
    const sentBodies = workers.flatMap(({ email, sms }) => [...email.sent.map((m) => m.subject), ...sms.sent.map((m) => m.body)]);
    expect(sentBodies).toHaveLength(2000);
    expect(new Set(sentBodies).size).toBe(2000);
    expect(workers.filter(({ email }) => email.sent.length > 0).length).toBeGreaterThan(isEmbedded() ? 0 : 1);
    const keys = batch.map((m) => m.dedupeKey);
    await expect(
      db.query(`SELECT status, count(*)::int AS n FROM messages WHERE dedupe_key = ANY($1) GROUP BY status`, [keys]),
    ).resolves.toEqual([{ status: 'sent', n: 2000 }]);
  });

  it('retries a transient failure later with backoff, then records the provider id once it goes through', async () => {
    await drainQueue();
    const clock = new FixedClock(T0);
    const { sut, email } = dispatcher(clock);
    const m = message();
    await new MessageRepository(db).enqueue([m]);
    email.willAnswer({ status: 'failed', permanent: false, code: 'SMTP_421', detail: 'try later' });
    await expect(sut.dispatchOnce()).resolves.toMatchObject({ claimed: 1, retried: 1 });
    const waiting = await statusOf(m.dedupeKey);
    expect(waiting).toMatchObject({ status: 'pending', attempts: 1, last_error_code: 'SMTP_421' });
    const delay = new Date(waiting.next_attempt_at).getTime() - T0.getTime();
    expect(delay).toBeGreaterThanOrEqual(48_000);
    expect(delay).toBeLessThanOrEqual(72_000);

    await expect(sut.dispatchOnce()).resolves.toMatchObject({ claimed: 0 }); // not due yet
    clock.advance(delay);
    await expect(sut.dispatchOnce()).resolves.toMatchObject({ claimed: 1, sent: 1 });
    await expect(statusOf(m.dedupeKey)).resolves.toMatchObject({ status: 'sent', attempts: 2, provider_message_id: 'email-2', last_error_code: null });
  });

  it('dead-letters a permanent failure at once and the last allowed attempt, and an operator can redrive it', async () => {
    await drainQueue();
    const clock = new FixedClock(T0);
    const { sut, sms } = dispatcher(clock);
    const permanent = message({ channel: 'sms', recipient: '+4915100000000', payload: { body: 'x' } });
    const lastTry = message({ maxAttempts: 1 });
    const repository = new MessageRepository(db);
    await repository.enqueue([permanent]);
    sms.willAnswer({ status: 'failed', permanent: true, code: 'TWILIO_21211', detail: 'invalid number' });
    await expect(sut.dispatchOnce()).resolves.toMatchObject({ dead: 1 });
    await expect(statusOf(permanent.dedupeKey)).resolves.toMatchObject({ status: 'dead', attempts: 1, last_error_code: 'TWILIO_21211' });

    const { sut: second, email } = dispatcher(clock);
    await repository.enqueue([lastTry]);
    email.willAnswer({ status: 'failed', permanent: false, code: 'SMTP_451', detail: 'later' });
    await expect(second.dispatchOnce()).resolves.toMatchObject({ dead: 1 });
    await expect(statusOf(lastTry.dedupeKey)).resolves.toMatchObject({ status: 'dead' });

    const [{ id }] = await db.query(`SELECT id FROM messages WHERE dedupe_key = $1`, [permanent.dedupeKey]);
    await expect(repository.redrive(id, clock.now())).resolves.toBe(true);
    await expect(repository.redrive(id, clock.now())).resolves.toBe(false); // no longer dead
    await expect(sut.dispatchOnce()).resolves.toMatchObject({ sent: 1 });
    await expect(statusOf(permanent.dedupeKey)).resolves.toMatchObject({ status: 'sent', attempts: 1 });
  });

  it('hands a message whose dispatcher died mid-send to another once the lease runs out, and ignores the late outcome', async () => {
    await drainQueue();
    const clock = new FixedClock(T0);
    const repository = new MessageRepository(db);
    const m = message();
    await repository.enqueue([m]);
    // A dispatcher claims it and "crashes": it never records an outcome before its lease passes.
    const [abandoned] = await repository.claim(10, clock.now(), 60_000);
    expect(abandoned).toMatchObject({ attempts: 1 });
    const { sut, email } = dispatcher(clock);
    await expect(sut.dispatchOnce()).resolves.toMatchObject({ claimed: 0 }); // still leased
    clock.advance(61_000);
    await expect(sut.dispatchOnce()).resolves.toMatchObject({ claimed: 1, sent: 1 });
    expect(email.sent).toHaveLength(1);
    // The first dispatcher wakes up: its outcome no longer counts.
    await expect(repository.complete(abandoned, { status: 'sent', providerMessageId: 'late', at: clock.now() })).resolves.toBe(false);
    await expect(statusOf(m.dedupeKey)).resolves.toMatchObject({ status: 'sent', attempts: 2, provider_message_id: 'email-1' });
  });

  it('keeps a message while the SMTP server is down, retries it with backoff, and delivers it once when the server is back', async () => {
    await drainQueue();
    // A port nobody listens on yet: the SMTP server "is down".
    const port = await new Promise<number>((resolve) => {
      const probe = createNetServer().listen(0, '127.0.0.1', () => {
        const p = (probe.address() as AddressInfo).port;
        probe.close(() => resolve(p));
      });
    });
    const received: string[] = [];
    const messageIds: string[] = [];
    const smtp = new SMTPServer({
      secure: false,
      disabledCommands: ['STARTTLS', 'AUTH'],
      logger: false,
      onData(stream, _session, callback) {
        let head = '';
        stream.on('data', (c: Buffer) => (head += c.toString()));
        stream.on('end', () => {
          received.push(/^Subject: (.*)$/m.exec(head)?.[1]?.trim() ?? '');
          messageIds.push(/^Message-ID: (.*)$/im.exec(head)?.[1]?.trim() ?? '');
          callback();
        });
      },
    });
    const email = new SmtpEmailChannel(`smtp://127.0.0.1:${port}?ignoreTLS=true`, 'Passage <updates@passage.test>');
    const clock = new FixedClock(T0);
    const sut = new DispatcherService(new MessageRepository(db), email, new RecordingSmsChannel(), clock, config);
    const m = message({ payload: { subject: `down-${randomUUID()}`, text: 't', html: '<p>h</p>' } });
    await new MessageRepository(db).enqueue([m]);
    try {
      await expect(sut.dispatchOnce()).resolves.toMatchObject({ claimed: 1, retried: 1 });
      const waiting = await statusOf(m.dedupeKey);
      expect(waiting).toMatchObject({ status: 'pending', attempts: 1 });
      expect(new Date(waiting.next_attempt_at).getTime()).toBeGreaterThan(T0.getTime());

      await new Promise<void>((resolve) => smtp.listen(port, '127.0.0.1', resolve));
      await expect(sut.dispatchOnce()).resolves.toMatchObject({ claimed: 0 }); // backing off: not due yet
      clock.set(new Date(waiting.next_attempt_at));
      await expect(sut.dispatchOnce()).resolves.toMatchObject({ claimed: 1, sent: 1 });
      await expect(statusOf(m.dedupeKey)).resolves.toMatchObject({ status: 'sent', attempts: 2 });
      expect(received.filter((subject) => subject === (m.payload as { subject: string }).subject)).toHaveLength(1);
      // The Message-ID is the outbox row's: had the first attempt reached the receiver, the retry would be recognisable.
      const [{ id, provider_message_id }] = await db.query(`SELECT id, provider_message_id FROM messages WHERE dedupe_key = $1`, [m.dedupeKey]);
      expect(provider_message_id).toBe(`<${id}@passage.test>`);
      expect(messageIds[messageIds.length - 1]).toBe(provider_message_id);
    } finally {
      email.close();
      await new Promise<void>((resolve) => smtp.close(resolve));
    }
  });
});
