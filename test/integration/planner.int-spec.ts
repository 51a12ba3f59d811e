import { createServer } from 'node:http';
import { AddressInfo } from 'node:net';
import { ParsedMail, simpleParser } from 'mailparser';
import { SMTPServer } from 'smtp-server';
import request from 'supertest';
import twilio from 'twilio';
import { DataSource, DataSourceOptions } from 'typeorm';
import { FixedClock } from '../../src/common/clock/clock';
import { ComplianceService } from '../../src/modules/country-rules/compliance/compliance.service';
import { FxRepository } from '../../src/modules/country-rules/fx/fx.repository';
import { RuleSetRepository } from '../../src/modules/country-rules/rule-set/rule-set.repository';
import { RulesCache } from '../../src/modules/country-rules/rules-cache';
import { dataSourceOptions } from '../../src/database/data-source-options';
import { RecordingEmailChannel, RecordingSmsChannel } from '../../src/modules/notifications/channels/recording-channels';
import { TwilioSmsChannel } from '../../src/modules/notifications/channels/twilio-sms.channel';
import { SmtpEmailChannel } from '../../src/modules/notifications/channels/smtp-email.channel';
import { DispatcherService } from '../../src/modules/notifications/dispatch/dispatcher.service';
import { MessageRepository } from '../../src/modules/notifications/dispatch/message.repository';
import { contactHash } from '../../src/modules/notifications/planner/contact-hash';
import { PlannerRepository } from '../../src/modules/notifications/planner/planner.repository';
import { PlannerService } from '../../src/modules/notifications/planner/planner.service';
import type { WebhookEndpointsService } from '../../src/modules/notifications/webhooks/webhook-endpoints.service';
import { as, bookingBody, createCarrier, createRetailer, postScans, scan, TestCarrier, TestRetailer } from '../factories';
import { testDatabaseUrl } from '../utils/database';
import { createTestApp, TestApp } from '../utils/test-app';

const TWILIO_TOKEN = 'planner-test-auth-token';
// 23:00 in Tokyo (UTC+9): inside the nightly quiet window, which ends at 08:00 local = 23:00 UTC.
const T_NIGHT = new Date('2026-12-01T14:00:00Z');
const TOKYO_MORNING = new Date('2026-12-01T23:00:00Z');

const tokyo = (phone: string) =>
  bookingBody({
    consignee: {
      name: '山田 花子',
      email: `hanako+${phone.slice(-4)}@example.jp`,
      phone,
      locale: 'ja-JP',
      address: { lines: ['千代田区丸の内1-1'], city: 'Tokyo', postcode: '100-0005', country: 'JP' },
    },
    items: [{ description: 'Tea set', hsCode: '691110', quantity: 1, unitValue: 4000, currency: 'JPY', originCountry: 'GB', weightGrams: 800 }],
  });

type Row = { template: string; channel: string; status: string; skip_reason: string | null; next_attempt_at: Date; deferred_reason: string | null; locale: string | null; payload: Record<string, unknown> };

describe('the planner: journey events to messages', () => {
  let t: TestApp;
  let db: DataSource;
  let clock: FixedClock;
  let retailer: TestRetailer;
  let carrier: TestCarrier;
  let planner: PlannerService;

  beforeAll(async () => {
    clock = new FixedClock(T_NIGHT);
    t = await createTestApp({
      clock,
      env: { TWILIO_ACCOUNT_SID: 'AC00000000000000000000000000000000', TWILIO_AUTH_TOKEN: TWILIO_TOKEN, TWILIO_FROM: '+15005550006', PUBLIC_BASE_URL: 'https://passage.test' },
    });
    db = t.app.get(DataSource);
    retailer = await createRetailer(t.http);
    carrier = await createCarrier(t.http);
    const noWebhooks = { endpointsFor: async () => [] } as unknown as WebhookEndpointsService;
    planner = new PlannerService(db, new PlannerRepository(), t.app.get(RulesCache), t.app.get(ComplianceService), noWebhooks, clock, t.config);
  });
  afterAll(() => t.close());

  /** Plans only this test's events: whatever other suites left behind is marked planned first. */
  const settleOthers = () => db.query(`UPDATE journey_events SET planned_at = now() WHERE planned_at IS NULL AND retailer_id <> $1`, [retailer.id]);
  const plan = async () => {
    await settleOthers();
    return planner.planOnce(500);
  };
  const messagesOf = (shipmentId: string): Promise<Row[]> =>
    db.query(
      `SELECT template, channel, status, skip_reason, next_attempt_at, deferred_reason, locale, payload FROM messages
        WHERE shipment_id = $1 AND audience = 'consignee' ORDER BY created_at, template`,
      [shipmentId],
    );
  const book = async (body: Record<string, unknown>) => {
    const res = await as(t.http, retailer.key).post('/v1/shipments', body);
    expect(res.status).toBe(201);
    return res.body as { id: string; trackingNumber: string };
  };

  it('sends email at once but defers an SMS due at 23:00 in Tokyo to the end of the quiet window, in Japanese', async () => {
    const s = await book(tokyo('+819012340001'));
    await plan();
    await postScans(t.http, carrier.key, [scan(s.trackingNumber, 'OUT_FOR_DELIVERY', T_NIGHT.toISOString())]);
    await plan();
    const ofd = (await messagesOf(s.id)).filter((m) => m.template === 'out_for_delivery');
    const email = ofd.find((m) => m.channel === 'email')!;
    const sms = ofd.find((m) => m.channel === 'sms')!;
    expect(email).toMatchObject({ status: 'pending', deferred_reason: null, locale: 'ja' });
    expect(new Date(email.next_attempt_at).getTime()).toBeLessThanOrEqual(T_NIGHT.getTime());
    expect(sms).toMatchObject({ status: 'pending', deferred_reason: 'quiet_hours', locale: 'ja' });
    expect(new Date(sms.next_attempt_at).toISOString()).toBe(TOKYO_MORNING.toISOString());
  });

  it('sends only the latest when a later milestone arrives while an earlier message waits', async () => {
    const s = await book(tokyo('+819012340002'));
    await postScans(t.http, carrier.key, [scan(s.trackingNumber, 'OUT_FOR_DELIVERY', T_NIGHT.toISOString())]);
    await plan();
    await postScans(t.http, carrier.key, [scan(s.trackingNumber, 'DELIVERED', new Date(T_NIGHT.getTime() + 30 * 60_000).toISOString())]);
    await plan();
    const sms = (await messagesOf(s.id)).filter((m) => m.channel === 'sms' && m.template !== 'booked');
    expect(sms.map((m) => [m.template, m.status, m.skip_reason]).sort()).toEqual([
      ['delivered', 'pending', null],
      ['out_for_delivery', 'skipped', 'superseded'],
    ]);
  });

  it('plans one message per channel however often the same milestone is replayed', async () => {
    const s = await book(tokyo('+819012340003'));
    await postScans(t.http, carrier.key, [scan(s.trackingNumber, 'DELIVERED', T_NIGHT.toISOString())]);
    await plan();
    const [event] = await db.query(`SELECT * FROM journey_events WHERE shipment_id = $1 AND type = 'shipment.delivered'`, [s.id]);
    for (let i = 0; i < 10; i++) {
      await db.query(`INSERT INTO journey_events (shipment_id, retailer_id, type, payload, occurred_at) VALUES ($1, $2, $3, $4, $5)`, [
        event.shipment_id,
        event.retailer_id,
        event.type,
        event.payload,
        event.occurred_at,
      ]);
    }
    const summary = await plan();
    expect(summary.events).toBe(10);
    expect(summary.duplicates).toBe(20);
    const delivered = (await messagesOf(s.id)).filter((m) => m.template === 'delivered');
    expect(delivered.map((m) => m.channel).sort()).toEqual(['email', 'sms']);
  });

  it('sends no further SMS after the consignee texts STOP, and skips what was waiting', async () => {
    const phone = '+819012340004';
    const first = await book(tokyo(phone));
    await postScans(t.http, carrier.key, [scan(first.trackingNumber, 'OUT_FOR_DELIVERY', T_NIGHT.toISOString())]);
    await plan();

    const params = { From: phone, To: '+15005550006', Body: 'STOP', MessageSid: 'SMinbound0001' };
    const url = 'https://passage.test/v1/webhooks/twilio/inbound';
    const signature = twilio.getExpectedTwilioSignature(TWILIO_TOKEN, url, params);
    const res = await request(t.http).post('/v1/webhooks/twilio/inbound').set('X-Twilio-Signature', signature).type('form').send(params);
    expect(res.status).toBe(200);
    expect(res.text).toContain('<Response>');

    const waiting = (await messagesOf(first.id)).find((m) => m.channel === 'sms' && m.template === 'out_for_delivery')!;
    expect(waiting).toMatchObject({ status: 'skipped', skip_reason: 'opted_out' });

    const second = await book(tokyo(phone));
    await postScans(t.http, carrier.key, [scan(second.trackingNumber, 'OUT_FOR_DELIVERY', T_NIGHT.toISOString())]);
    await plan();
    const rows = (await messagesOf(second.id)).filter((m) => m.template === 'out_for_delivery');
    expect(rows.find((m) => m.channel === 'sms')).toMatchObject({ status: 'skipped', skip_reason: 'opted_out' });
    expect(rows.find((m) => m.channel === 'email')).toMatchObject({ status: 'pending' });
  });

  it('refuses an unsigned inbound SMS with 403 and records nothing', async () => {
    const res = await request(t.http).post('/v1/webhooks/twilio/inbound').type('form').send({ From: '+819012340001', Body: 'STOP' }); // a number Passage has texted
    expect(res.status).toBe(403);
    await expect(db.query(`SELECT count(*)::int AS n FROM contact_preferences WHERE contact_hash = $1`, [contactHash('sms', '+819012340001')])).resolves.toEqual([{ n: 0 }]);
  });

  it('stops at the daily SMS cap in the consignee’s local day', async () => {
    const s = await book(tokyo('+819012340005'));
    const noon = new Date('2026-12-02T03:00:00Z'); // 12:00 in Tokyo
    clock.set(noon);
    try {
      const delays = [0, 1, 2, 3].map((i) => scan(s.trackingNumber, 'DELAYED', new Date(noon.getTime() + i * 60_000).toISOString(), { reason: 'WEATHER' }));
      await postScans(t.http, carrier.key, delays);
      await plan();
      const sms = (await messagesOf(s.id)).filter((m) => m.channel === 'sms' && m.template === 'delay');
      expect(sms.map((m) => m.skip_reason).sort()).toEqual(['frequency_cap', null, null, null]);
    } finally {
      clock.set(T_NIGHT);
    }
  });

  it('asks a Brazilian consignee for the missing CPF right after booking', async () => {
    const s = await book(
      bookingBody({
        consignee: {
          name: 'João Silva',
          email: 'joao@example.com',
          phone: '+5511987654321',
          locale: 'pt-BR',
          address: { lines: ['Avenida Paulista, 1000'], city: 'São Paulo', postcode: '01310-100', country: 'BR' },
        },
      }),
    );
    await plan();
    const info = (await messagesOf(s.id)).filter((m) => m.template === 'information_needed');
    expect(info.map((m) => m.channel).sort()).toEqual(['email', 'sms']);
    expect(info.find((m) => m.channel === 'email')).toMatchObject({ locale: 'pt-BR' });
  });

  it('tells a DAP consignee how much customs wants, and records the amount in the journey event', async () => {
    const s = await book(bookingBody({ incoterm: 'DAP', items: [{ description: 'Wool coat', hsCode: '620111', quantity: 1, unitValue: 40000, currency: 'EUR', originCountry: 'CN', weightGrams: 1500 }] }));
    await postScans(t.http, carrier.key, [scan(s.trackingNumber, 'CUSTOMS_HELD', T_NIGHT.toISOString(), { reason: 'DUTIES_DUE' })]);
    await plan();
    const [event] = await db.query(`SELECT payload FROM journey_events WHERE shipment_id = $1 AND type = 'shipment.customs_held'`, [s.id]);
    expect(event.payload.duties).toMatchObject({ payer: 'consignee', amountDue: { currency: 'EUR', amountMinor: expect.any(Number) } });
    expect(event.payload.duties.amountDue.amountMinor).toBeGreaterThan(0);
    const email = (await messagesOf(s.id)).find((m) => m.template === 'customs_hold_duties' && m.channel === 'email')!;
    expect(email.status).toBe('pending');
    expect(String(email.payload.text)).toMatch(/€|EUR/);
  });

  it('plans on a pool of one connection whose rules cache has gone stale (the embedded database), customs amounts included', async () => {
    // The rules are re-read on every call (cache of 0 s), and waiting for a second connection fails after 2 s:
    // a planner that refreshed its rules inside its transaction would need a connection the pool does not have.
    const options = dataSourceOptions({ url: testDatabaseUrl(), poolMax: 1 });
    const single = new DataSource({ ...options, extra: { ...(options.extra as object), connectionTimeoutMillis: 2_000 } } as DataSourceOptions);
    await single.initialize();
    try {
      const config = { ...t.config, rules: { ...t.config.rules, cacheSeconds: 0 } };
      const rules = new RulesCache(new RuleSetRepository(single), new FxRepository(single), config);
      const noWebhooks = { endpointsFor: async () => [] } as unknown as WebhookEndpointsService;
      const onOne = new PlannerService(single, new PlannerRepository(), rules, new ComplianceService(rules, single, clock), noWebhooks, clock, config);
      const s = await book(bookingBody({ incoterm: 'DAP', items: [{ description: 'Wool coat', hsCode: '620111', quantity: 1, unitValue: 40000, currency: 'EUR', originCountry: 'CN', weightGrams: 1500 }] }));
      await postScans(t.http, carrier.key, [scan(s.trackingNumber, 'CUSTOMS_HELD', T_NIGHT.toISOString(), { reason: 'DUTIES_DUE' })]);
      await settleOthers();
      await expect(onOne.planOnce(500)).resolves.toMatchObject({ events: expect.any(Number), planned: expect.any(Number) });
      const [event] = await db.query(`SELECT planned_at, payload FROM journey_events WHERE shipment_id = $1 AND type = 'shipment.customs_held'`, [s.id]);
      expect(event.planned_at).not.toBeNull();
      expect(event.payload.duties).toMatchObject({ payer: 'consignee', amountDue: { currency: 'EUR' } });
    } finally {
      await single.destroy();
    }
  });

  it('delivers the planned email through nodemailer to a real SMTP server, localised, with a working one-click unsubscribe', async () => {
    const inbox: ParsedMail[] = [];
    const smtp = new SMTPServer({
      secure: false,
      disabledCommands: ['STARTTLS', 'AUTH'],
      logger: false,
      onData(stream, _session, callback) {
        simpleParser(stream).then((mail) => inbox.push(mail) && callback(), callback);
      },
    });
    await new Promise<void>((resolve) => smtp.listen(0, '127.0.0.1', resolve));
    const email = new SmtpEmailChannel(`smtp://127.0.0.1:${(smtp.server.address() as AddressInfo).port}?ignoreTLS=true`, 'Passage <updates@passage.test>');
    const daytime = new Date('2026-12-02T10:00:00Z');
    clock.set(daytime);
    try {
      const s = await book(bookingBody({ notify: { email: true, sms: false } }));
      await postScans(t.http, carrier.key, [scan(s.trackingNumber, 'OUT_FOR_DELIVERY', daytime.toISOString())]);
      await plan();
      // Only this shipment's messages are due for this dispatcher: park everything else.
      await db.query(`UPDATE messages SET next_attempt_at = next_attempt_at + interval '10 years' WHERE status = 'pending' AND shipment_id <> $1`, [s.id]);
      const dispatcher = new DispatcherService(new MessageRepository(db), email, new RecordingSmsChannel(), clock, t.config);
      await dispatcher.dispatchOnce();
      await db.query(`UPDATE messages SET next_attempt_at = next_attempt_at - interval '10 years' WHERE status = 'pending' AND next_attempt_at > now() + interval '5 years'`);

      const ofd = inbox.find((m) => m.text?.includes(s.trackingNumber) && /Zustell|unterwegs|heute/i.test(m.subject ?? ''));
      expect(ofd).toBeDefined();
      expect(ofd!.text).toContain(`https://passage.test/v1/track/${s.trackingNumber}`);
      const unsubscribe = (ofd!.headerLines.find((h) => h.key === 'list-unsubscribe')?.line ?? '').replace(/^List-Unsubscribe:\s*/i, '');
      expect(unsubscribe).toMatch(/^<https:\/\/passage\.test\/v1\/unsubscribe\/[\w.-]+>$/);
      expect(ofd!.headerLines.find((h) => h.key === 'list-unsubscribe-post')?.line).toBe('List-Unsubscribe-Post: List-Unsubscribe=One-Click');

      const path = unsubscribe.slice('<https://passage.test'.length, -1);
      await expect(request(t.http).get(path)).resolves.toMatchObject({ status: 200 });
      const oneClick = await request(t.http).post(path).type('form').send('List-Unsubscribe=One-Click');
      expect(oneClick.status).toBe(200);
      await postScans(t.http, carrier.key, [scan(s.trackingNumber, 'DELIVERED', new Date(daytime.getTime() + 60_000).toISOString())]);
      await plan();
      const delivered = (await messagesOf(s.id)).find((m) => m.template === 'delivered' && m.channel === 'email');
      expect(delivered).toMatchObject({ status: 'skipped', skip_reason: 'opted_out' });
      await expect(request(t.http).post('/v1/unsubscribe/not-a-token')).resolves.toMatchObject({ status: 404 });
    } finally {
      clock.set(T_NIGHT);
      email.close();
      await new Promise<void>((resolve) => smtp.close(resolve));
    }
  });

  it('does not retry an SMS Twilio refuses for good, and falls back to email when the retailer had turned email off', async () => {
    const smsOnly = await createRetailer(t.http);
    await as(t.http, smsOnly.key).patch('/v1/retailer/notification-settings', { channels: { delivered: { email: false, sms: true } } }).expect(200);
    const received: string[] = [];
    const twilioApi = createServer((req, res) => {
      let body = '';
      req.on('data', (c) => (body += c));
      req.on('end', () => {
        received.push(new URLSearchParams(body).get('To') ?? '');
        res.writeHead(400, { 'Content-Type': 'application/json' }).end(JSON.stringify({ code: 21211, message: "The 'To' number is not a valid phone number.", status: 400 }));
      });
    });
    await new Promise<void>((resolve) => twilioApi.listen(0, '127.0.0.1', resolve));
    const daytime = new Date('2026-12-02T10:00:00Z');
    clock.set(daytime);
    try {
      const res = await as(t.http, smsOnly.key).post('/v1/shipments', bookingBody());
      expect(res.status).toBe(201);
      await postScans(t.http, carrier.key, [scan(res.body.trackingNumber, 'DELIVERED', daytime.toISOString())]);
      await db.query(`UPDATE journey_events SET planned_at = now() WHERE planned_at IS NULL AND shipment_id <> $1`, [res.body.id]);
      await planner.planOnce(100);
      await db.query(`UPDATE messages SET next_attempt_at = next_attempt_at + interval '10 years' WHERE status = 'pending' AND shipment_id <> $1`, [res.body.id]);
      const sms = new TwilioSmsChannel({ accountSid: 'AC00000000000000000000000000000000', authToken: TWILIO_TOKEN, from: '+15005550006', apiBaseUrl: `http://127.0.0.1:${(twilioApi.address() as AddressInfo).port}` });
      const email = new RecordingEmailChannel();
      const dispatcher = new DispatcherService(new MessageRepository(db), email, sms, clock, t.config);
      await dispatcher.dispatchOnce(); // booked email + delivered SMS (refused)
      await dispatcher.dispatchOnce(); // the fallback email
      await db.query(`UPDATE messages SET next_attempt_at = next_attempt_at - interval '10 years' WHERE status = 'pending' AND next_attempt_at > now() + interval '5 years'`);

      const rows: Row[] = await db.query(`SELECT template, channel, status, skip_reason, payload FROM messages WHERE shipment_id = $1 AND template = 'delivered' ORDER BY channel, status`, [res.body.id]);
      expect(rows.map((r) => [r.channel, r.status, r.skip_reason])).toEqual([
        ['email', 'sent', null],
        ['email', 'skipped', 'channel_disabled'],
        ['sms', 'dead', null],
      ]);
      expect(received).toEqual(['+4915123456789']);
      const fallback = email.sent.find((m) => m.subject === (rows[0].payload as { subject: string }).subject);
      expect(fallback).toMatchObject({ to: 'erika@example.com' });
    } finally {
      clock.set(T_NIGHT);
      await new Promise<void>((resolve) => twilioApi.close(() => resolve()));
    }
  });
});
