import { createHmac, randomUUID, timingSafeEqual } from 'node:crypto';
import { createServer, IncomingHttpHeaders, Server } from 'node:http';
import { AddressInfo } from 'node:net';
import { DataSource } from 'typeorm';
import { FixedClock } from '../../src/common/clock/clock';
import { DispatcherService } from '../../src/modules/notifications/dispatch/dispatcher.service';
import { MessageRepository } from '../../src/modules/notifications/dispatch/message.repository';
import { RETRY_POLICY } from '../../src/modules/notifications/dispatch/retry-policy';
import { ComplianceService } from '../../src/modules/country-rules/compliance/compliance.service';
import { RulesCache } from '../../src/modules/country-rules/rules-cache';
import { ExceptionsService } from '../../src/modules/cx/exceptions/exceptions.service';
import { PlannerRepository } from '../../src/modules/notifications/planner/planner.repository';
import { PlannerService } from '../../src/modules/notifications/planner/planner.service';
import { webhookEventBody, WebhookEndpointsService } from '../../src/modules/notifications/webhooks/webhook-endpoints.service';
import { CX_EVENT_TYPES } from '../../src/modules/shipments/journey';
import { as, bookShipment, createRetailer, TestRetailer } from '../factories';
import { openTestDataSource } from '../utils/database';
import { admin, createTestApp, TestApp } from '../utils/test-app';

const HOUR = 3_600_000;
const DAY = 24 * HOUR;

interface Received {
  path: string;
  headers: IncomingHttpHeaders;
  body: string;
}

/** A receiver as a retailer would run it: records every request; paths in `failing` answer 500. */
async function startReceiver() {
  const received: Received[] = [];
  const failing = new Set<string>();
  const server: Server = createServer((req, res) => {
    let body = '';
    req.on('data', (chunk: Buffer) => (body += chunk.toString()));
    req.on('end', () => {
      received.push({ path: req.url ?? '', headers: req.headers, body });
      res.writeHead(failing.has(req.url ?? '') ? 500 : 204).end();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    received,
    failing,
    url: (path: string) => `${base}${path}`,
    to: (path: string) => received.filter((r) => r.path === path),
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

/** An independent verifier, written from the documentation as a retailer would write it. */
function verifies(secret: string, r: Received): boolean {
  const timestamp = String(r.headers['passage-timestamp']);
  const expected = createHmac('sha256', secret).update(`${timestamp}.${r.body}`).digest();
  return String(r.headers['passage-signature'])
    .split(',')
    .some((part) => {
      const [version, hex] = part.split('=');
      const given = Buffer.from(hex ?? '', 'hex');
      return version === 'v1' && given.length === expected.length && timingSafeEqual(given, expected);
    });
}

describe('retailer webhook endpoints', () => {
  const clock = new FixedClock(new Date());
  let t: TestApp;
  let db: DataSource;
  let receiver: Awaited<ReturnType<typeof startReceiver>>;
  let owner: TestRetailer;
  let intruder: TestRetailer;
  let dispatcher: DispatcherService;
  let messages: MessageRepository;

  beforeAll(async () => {
    receiver = await startReceiver();
    t = await createTestApp({ clock });
    db = await openTestDataSource();
    [owner, intruder] = await Promise.all([createRetailer(t.http), createRetailer(t.http)]);
    dispatcher = t.app.get(DispatcherService);
    messages = t.app.get(MessageRepository);
  });
  afterAll(async () => {
    await db.destroy();
    await t.close();
    await receiver.close();
  });

  const api = (retailer: TestRetailer = owner) => as(t.http, retailer.key);
  async function register(path: string, eventTypes: string[] = ['*']) {
    const res = await api().post('/v1/webhook-endpoints', { url: receiver.url(path), description: `test ${path}`, eventTypes });
    expect(res.status).toBe(201);
    return res.body as { id: string; secret: string; url: string };
  }

  /** What the planner does for a journey event: one outbox row per subscribed endpoint, due now. */
  async function enqueueEvent(endpointId: string, type = 'shipment.delivered') {
    const webhookId = `evt_${randomUUID()}`;
    const body = webhookEventBody({
      id: webhookId,
      type,
      sequence: 3,
      occurredAt: clock.now().toISOString(),
      shipment: { id: randomUUID(), reference: 'ORDER-1', trackingNumber: 'PSG7K2M9Q4X8B1R5T', status: 'delivered' },
      data: { from: 'out_for_delivery', to: 'delivered', code: 'DELIVERED', reason: null },
    });
    await messages.enqueue([
      {
        retailerId: owner.id,
        shipmentId: null,
        channel: 'webhook',
        recipient: endpointId,
        template: type,
        dedupeKey: `webhook:${webhookId}:${endpointId}`,
        payload: { webhookId, body, eventType: type, sequence: 3 },
        maxAttempts: RETRY_POLICY.webhook.maxAttempts,
        nextAttemptAt: clock.now(),
      },
    ]);
    return { webhookId, body };
  }
  const endpointRow = async (id: string) => (await db.query(`SELECT * FROM webhook_endpoints WHERE id = $1`, [id]))[0];

  describe('registration', () => {
    it('shows the whsec_ secret in the creation response only', async () => {
      const created = await register('/hooks/once', ['shipment.delivered', 'shipment.delivery_attempted']);
      expect(created).toMatchObject({
        secret: expect.stringMatching(/^whsec_[0-9A-Za-z]{32}$/),
        url: receiver.url('/hooks/once'),
        eventTypes: ['shipment.delivered', 'shipment.delivery_attempted'],
        status: 'enabled',
        failingSince: null,
        previousSecretExpiresAt: null,
      });
      const one = await api().get(`/v1/webhook-endpoints/${created.id}`);
      expect(one.status).toBe(200);
      expect(one.body).not.toHaveProperty('secret');
      const list = await api().get('/v1/webhook-endpoints');
      expect(list.body.map((e: { id: string }) => e.id)).toContain(created.id);
      expect(JSON.stringify([one.body, list.body])).not.toContain(created.secret);
    });

    it.each([
      ['a plain-http URL to another host', { url: 'http://shop.example.com/hooks', eventTypes: ['*'] }, 'url'],
      ['a string that is not a URL', { url: 'not a url', eventTypes: ['*'] }, 'url'],
      ['an unknown event type', { url: 'https://shop.example.com/hooks', eventTypes: ['shipment.teleported'] }, 'eventTypes'],
      ['no event types', { url: 'https://shop.example.com/hooks', eventTypes: [] }, 'eventTypes'],
      ['no URL', { eventTypes: ['*'] }, 'url'],
    ])('refuses %s with a 400 naming the field', async (_name, body, field) => {
      const res = await api().post('/v1/webhook-endpoints', body);
      expect(res.status).toBe(400);
      expect(res.body.error).toMatchObject({ code: 'VALIDATION_FAILED', details: [expect.objectContaining({ field })] });
    });

    it('refuses a null URL on PATCH instead of storing it', async () => {
      const { id } = await register('/hooks/patch-null');
      const res = await api().patch(`/v1/webhook-endpoints/${id}`, { url: null });
      expect(res.status).toBe(400);
      expect(res.body.error.details).toEqual([expect.objectContaining({ field: 'url' })]);
    });
  });

  describe('delivery', () => {
    // Dispatchers here claim whatever is due: park other suites' leftovers so the counts are this suite's own.
    beforeEach(() => db.query(`UPDATE messages SET status = 'skipped', skip_reason = 'test_parked' WHERE status IN ('pending', 'sending')`));
    it('delivers a queued event, signed with the secret, with the three headers', async () => {
      const { id, secret } = await register('/hooks/deliver');
      const { webhookId, body } = await enqueueEvent(id);
      await expect(dispatcher.dispatchOnce()).resolves.toMatchObject({ sent: 1, dead: 0 });

      const [got] = receiver.to('/hooks/deliver');
      expect(got.headers['passage-webhook-id']).toBe(webhookId);
      expect(got.headers['passage-timestamp']).toMatch(/^\d{10}$/);
      expect(got.headers['content-type']).toBe('application/json');
      expect(got.body).toBe(body);
      expect(verifies(secret, got)).toBe(true);
      expect(verifies('whsec_someoneelse0000000000000000000', got)).toBe(false);
      expect(JSON.parse(got.body)).toMatchObject({ id: webhookId, type: 'shipment.delivered', sequence: 3, data: { shipment: { reference: 'ORDER-1' } } });

      const endpoint = await api().get(`/v1/webhook-endpoints/${id}`);
      expect(endpoint.body).toMatchObject({ lastSuccessAt: clock.now().toISOString(), failingSince: null });
    });

    it('signs with both secrets during a rotation, and with the new one only once the overlap ends', async () => {
      const { id, secret: first } = await register('/hooks/rotate');
      const rotated = await api().post(`/v1/webhook-endpoints/${id}/rotate-secret`);
      expect(rotated.status).toBe(200);
      const second: string = rotated.body.secret;
      expect(second).toMatch(/^whsec_/);
      expect(second).not.toBe(first);
      expect(rotated.body.previousSecretExpiresAt).toBe(new Date(clock.now().getTime() + 24 * HOUR).toISOString());

      await enqueueEvent(id);
      await dispatcher.dispatchOnce();
      const during = receiver.to('/hooks/rotate').at(-1)!;
      expect(verifies(first, during)).toBe(true);
      expect(verifies(second, during)).toBe(true);

      clock.advance(24 * HOUR + 1000);
      await enqueueEvent(id);
      await dispatcher.dispatchOnce();
      const after = receiver.to('/hooks/rotate').at(-1)!;
      expect(verifies(second, after)).toBe(true);
      expect(verifies(first, after)).toBe(false);
      await expect(api().get(`/v1/webhook-endpoints/${id}`)).resolves.toMatchObject({ body: { previousSecretExpiresAt: null } });
    });

    it('pings now, signed, and reports how the endpoint answered without touching its health', async () => {
      const { id, secret } = await register('/hooks/ping');
      const ok = await api().post(`/v1/webhook-endpoints/${id}/ping`);
      expect(ok.status).toBe(200);
      expect(ok.body).toEqual({ delivered: true, webhookId: expect.stringMatching(/^ping_/), statusCode: null, code: null, durationMs: expect.any(Number) });
      const got = receiver.to('/hooks/ping').at(-1)!;
      expect(got.headers['passage-webhook-id']).toBe(ok.body.webhookId);
      expect(JSON.parse(got.body)).toMatchObject({ id: ok.body.webhookId, type: 'ping', data: { endpointId: id } });
      expect(verifies(secret, got)).toBe(true);

      receiver.failing.add('/hooks/ping');
      const failed = await api().post(`/v1/webhook-endpoints/${id}/ping`);
      expect(failed.body).toMatchObject({ delivered: false, statusCode: 500, code: 'HTTP_500' });
      await expect(api().get(`/v1/webhook-endpoints/${id}`)).resolves.toMatchObject({ body: { failingSince: null, status: 'enabled' } });
    });

    it('lists deliveries newest first with a cursor, and replays one with the same Passage-Webhook-Id', async () => {
      const { id } = await register('/hooks/log');
      const older = await enqueueEvent(id, 'shipment.out_for_delivery');
      const newer = await enqueueEvent(id, 'shipment.delivered');
      await dispatcher.dispatchOnce();

      const page1 = await api().get(`/v1/webhook-endpoints/${id}/deliveries?limit=1`);
      expect(page1.status).toBe(200);
      expect(page1.body.data).toEqual([
        expect.objectContaining({ webhookId: newer.webhookId, eventType: 'shipment.delivered', status: 'sent', attempts: 1, lastErrorCode: null, replayOf: null }),
      ]);
      expect(page1.body.nextCursor).toEqual(expect.any(String));
      const page2 = await api().get(`/v1/webhook-endpoints/${id}/deliveries?limit=1&cursor=${page1.body.nextCursor}`);
      expect(page2.body).toEqual({ data: [expect.objectContaining({ webhookId: older.webhookId, eventType: 'shipment.out_for_delivery' })], nextCursor: null });
      const bad = await api().get(`/v1/webhook-endpoints/${id}/deliveries?cursor=nonsense`);
      expect(bad.status).toBe(400);
      expect(bad.body.error.code).toBe('INVALID_CURSOR');

      const originalId: string = page2.body.data[0].id;
      const replay = await api().post(`/v1/webhook-endpoints/${id}/deliveries/${originalId}/replay`);
      expect(replay.status).toBe(202);
      expect(replay.body).toMatchObject({ webhookId: older.webhookId, replayOf: originalId, status: 'pending', attempts: 0 });
      expect(replay.body.id).not.toBe(originalId);
      await dispatcher.dispatchOnce();
      const resent = receiver.to('/hooks/log');
      expect(resent.map((r) => r.headers['passage-webhook-id'])).toEqual(expect.arrayContaining([older.webhookId, newer.webhookId]));
      expect(resent.at(-1)!.headers['passage-webhook-id']).toBe(older.webhookId);
      expect(resent.at(-1)!.body).toBe(older.body);

      // Replaying the replay counts on from the original's dedupe key.
      await api().post(`/v1/webhook-endpoints/${id}/deliveries/${replay.body.id}/replay`);
      const keys = await db.query(`SELECT dedupe_key FROM messages WHERE payload->>'webhookId' = $1 ORDER BY created_at`, [older.webhookId]);
      const root = `webhook:${older.webhookId}:${id}`;
      expect(keys.map((k: { dedupe_key: string }) => k.dedupe_key)).toEqual([root, `${root}:replay:1`, `${root}:replay:2`]);
      const log = await api().get(`/v1/webhook-endpoints/${id}/deliveries`);
      expect(log.body.data[0]).toMatchObject({ webhookId: older.webhookId, replayOf: originalId, status: 'pending' });
      await dispatcher.dispatchOnce();
    });

    it('disables an endpoint after 3 days of failed deliveries, emails the retailer, and re-enables on request', async () => {
      const { id } = await register('/hooks/down');
      // Where the planner's retailer notices go, and this one too.
      await expect(api().patch('/v1/retailer/notification-settings', { retailerEmail: 'ops@shop.example' })).resolves.toMatchObject({ status: 200 });
      receiver.failing.add('/hooks/down');
      const start = clock.now();
      await enqueueEvent(id);
      await expect(dispatcher.dispatchOnce()).resolves.toMatchObject({ retried: 1 });
      await expect(api().get(`/v1/webhook-endpoints/${id}`)).resolves.toMatchObject({
        body: { status: 'enabled', failingSince: start.toISOString(), lastFailureCode: 'HTTP_500' },
      });

      clock.advance(2 * DAY);
      await enqueueEvent(id);
      await dispatcher.dispatchOnce();
      expect((await endpointRow(id)).status).toBe('enabled');

      clock.advance(DAY);
      await enqueueEvent(id);
      await dispatcher.dispatchOnce();
      const disabled = await api().get(`/v1/webhook-endpoints/${id}`);
      expect(disabled.body).toMatchObject({ status: 'disabled', disabledReason: 'consecutive_failures', failingSince: start.toISOString() });
      const notices = await db.query(`SELECT recipient, payload FROM messages WHERE channel = 'email' AND template = 'webhook_endpoint_disabled' AND retailer_id = $1`, [owner.id]);
      expect(notices).toEqual([{ recipient: 'ops@shop.example', payload: expect.objectContaining({ subject: expect.stringContaining('3 days') }) }]);
      expect(notices[0].payload.text).toContain(id);

      // What is still queued for it is dead-lettered, not sent, while it is disabled; a replay is refused.
      const before = receiver.to('/hooks/down').length;
      clock.advance(RETRY_POLICY.webhook.capMs * 2);
      await dispatcher.dispatchOnce();
      expect(receiver.to('/hooks/down')).toHaveLength(before);
      const states = await db.query(`SELECT DISTINCT status, last_error_code FROM messages WHERE channel = 'webhook' AND recipient = $1`, [id]);
      expect(states).toEqual([{ status: 'dead', last_error_code: 'ENDPOINT_DISABLED' }]);
      const [{ id: deadId }] = await db.query(`SELECT id FROM messages WHERE channel = 'webhook' AND recipient = $1 LIMIT 1`, [id]);
      const refused = await api().post(`/v1/webhook-endpoints/${id}/deliveries/${deadId}/replay`);
      expect(refused.status).toBe(409);
      expect(refused.body.error.code).toBe('WEBHOOK_ENDPOINT_DISABLED');

      receiver.failing.delete('/hooks/down');
      const enabled = await api().patch(`/v1/webhook-endpoints/${id}`, { enabled: true });
      expect(enabled.body).toMatchObject({ status: 'enabled', disabledReason: null, failingSince: null });
      await expect(api().post(`/v1/webhook-endpoints/${id}/deliveries/${deadId}/replay`)).resolves.toMatchObject({ status: 202 });
      await expect(dispatcher.dispatchOnce()).resolves.toMatchObject({ sent: expect.any(Number) });
      expect(receiver.to('/hooks/down')).toHaveLength(before + 1);
      await expect(api().get(`/v1/webhook-endpoints/${id}`)).resolves.toMatchObject({ body: { lastSuccessAt: clock.now().toISOString() } });
    });

    it('changes and deletes an endpoint; what was still queued for it is skipped', async () => {
      const { id } = await register('/hooks/gone', ['shipment.delivered']);
      const patched = await api().patch(`/v1/webhook-endpoints/${id}`, { eventTypes: ['shipment.booked', '*'], description: null, enabled: false });
      expect(patched.body).toMatchObject({ eventTypes: ['shipment.booked', '*'], description: null, status: 'disabled', disabledReason: 'manual' });
      await enqueueEvent(id);
      await expect(api().delete(`/v1/webhook-endpoints/${id}`)).resolves.toMatchObject({ status: 204 });
      await expect(api().get(`/v1/webhook-endpoints/${id}`)).resolves.toMatchObject({ status: 404 });
      await expect(db.query(`SELECT status, skip_reason FROM messages WHERE recipient = $1`, [id])).resolves.toEqual([{ status: 'skipped', skip_reason: 'endpoint_deleted' }]);
      await expect(api().delete(`/v1/webhook-endpoints/${id}`)).resolves.toMatchObject({ status: 404 });
    });
  });

  describe('CX journey events', () => {
    it('can be subscribed to one by one', async () => {
      const res = await api().post('/v1/webhook-endpoints', { url: receiver.url('/hooks/cx-all'), eventTypes: [...CX_EVENT_TYPES] });
      expect(res.status).toBe(201);
      expect(res.body.eventTypes).toEqual([...CX_EVENT_TYPES]);
    });

    it('reach an endpoint subscribed to that type by name, and not one subscribed to other types', async () => {
      // A retailer of its own, so that no endpoint subscribed to `*` above gets the event too.
      const shop = await createRetailer(t.http);
      const register = async (path: string, eventTypes: string[]) => {
        const res = await as(t.http, shop.key).post('/v1/webhook-endpoints', { url: receiver.url(path), eventTypes });
        expect(res.status).toBe(201);
        return res.body as { id: string; secret: string };
      };
      const subscribed = await register('/hooks/cx-resolved', ['shipment.exception_resolved']);
      await register('/hooks/cx-other', ['shipment.delay_detected', 'shipment.delivered']);
      const s = await bookShipment(t.http, shop, { notify: { email: false, sms: false } });

      const appDb = t.app.get(DataSource);
      const { id } = await appDb.transaction((tx) => t.app.get(ExceptionsService).open(tx, { shipmentId: s.id, retailerId: shop.id, type: 'address_issue', source: 'event', at: clock.now() }));
      const resolved = await admin(t.http).post(`/v1/admin/exceptions/${id}/resolve`, { resolutionCode: 'address_corrected', note: 'Flat 3, second floor.', notifyConsignee: true });
      expect(resolved.status).toBe(200);

      // Plan this shipment's events with the real endpoint lookup, then send what is due.
      const planner = new PlannerService(appDb, new PlannerRepository(), t.app.get(RulesCache), t.app.get(ComplianceService), t.app.get(WebhookEndpointsService), clock, t.config);
      await db.query(`UPDATE journey_events SET planned_at = now() WHERE planned_at IS NULL AND shipment_id <> $1`, [s.id]);
      while ((await planner.planOnce(500)).events > 0);
      await expect(db.query(`SELECT recipient, template FROM messages WHERE shipment_id = $1 AND channel = 'webhook'`, [s.id])).resolves.toEqual([
        { recipient: subscribed.id, template: 'shipment.exception_resolved' },
      ]);
      await db.query(`UPDATE messages SET status = 'skipped', skip_reason = 'test_parked' WHERE status IN ('pending', 'sending') AND shipment_id IS DISTINCT FROM $1`, [s.id]);
      await dispatcher.dispatchOnce();

      const [got, ...more] = receiver.to('/hooks/cx-resolved');
      expect(more).toEqual([]);
      expect(verifies(subscribed.secret, got)).toBe(true);
      const body = JSON.parse(got.body);
      expect(body).toMatchObject({
        type: 'shipment.exception_resolved',
        data: { exception: { id, type: 'address_issue', resolutionCode: 'address_corrected' }, shipment: { id: s.id, reference: s.reference } },
      });
      expect(got.body).not.toContain('Flat 3');
      expect(receiver.to('/hooks/cx-other')).toEqual([]);
    });
  });

  describe("another retailer's endpoint", () => {
    let endpoint: { id: string; secret: string };
    let deliveryId: string;
    beforeAll(async () => {
      endpoint = await register('/hooks/private');
      await enqueueEvent(endpoint.id);
      await dispatcher.dispatchOnce();
      [{ id: deliveryId }] = await db.query(`SELECT id FROM messages WHERE recipient = $1`, [endpoint.id]);
    });

    it.each([
      ['GET', (r: TestRetailer, id: string) => api(r).get(`/v1/webhook-endpoints/${id}`)],
      ['PATCH', (r: TestRetailer, id: string) => api(r).patch(`/v1/webhook-endpoints/${id}`, { enabled: false, url: 'https://evil.example/hooks' })],
      ['DELETE', (r: TestRetailer, id: string) => api(r).delete(`/v1/webhook-endpoints/${id}`)],
      ['rotate-secret', (r: TestRetailer, id: string) => api(r).post(`/v1/webhook-endpoints/${id}/rotate-secret`)],
      ['ping', (r: TestRetailer, id: string) => api(r).post(`/v1/webhook-endpoints/${id}/ping`)],
      ['deliveries', (r: TestRetailer, id: string) => api(r).get(`/v1/webhook-endpoints/${id}/deliveries`)],
      ['replay', (r: TestRetailer, id: string, m: string) => api(r).post(`/v1/webhook-endpoints/${id}/deliveries/${m}/replay`)],
    ])('is a 404 on %s, as for an id that does not exist, and changes nothing', async (_name, call) => {
      const before = await api().get(`/v1/webhook-endpoints/${endpoint.id}`);
      const pings = receiver.to('/hooks/private').length;
      const res = await call(intruder, endpoint.id, deliveryId);
      expect(res.status).toBe(404);
      expect(res.body.error.code).toBe('WEBHOOK_ENDPOINT_NOT_FOUND');
      const missing = await call(intruder, randomUUID(), deliveryId);
      expect(missing.body.error).toEqual(res.body.error);
      await expect(api().get(`/v1/webhook-endpoints/${endpoint.id}`)).resolves.toMatchObject({ status: 200, body: before.body });
      expect(receiver.to('/hooks/private')).toHaveLength(pings);
      await expect(db.query(`SELECT count(*)::int AS n FROM messages WHERE recipient = $1`, [endpoint.id])).resolves.toEqual([{ n: 1 }]);
    });

    it("does not list it, and a delivery of it cannot be replayed through the intruder's own endpoint", async () => {
      const list = await api(intruder).get('/v1/webhook-endpoints');
      expect(list.body.map((e: { id: string }) => e.id)).not.toContain(endpoint.id);
      const own = await api(intruder).post('/v1/webhook-endpoints', { url: receiver.url('/hooks/intruder'), eventTypes: ['*'] });
      const res = await api(intruder).post(`/v1/webhook-endpoints/${own.body.id}/deliveries/${deliveryId}/replay`);
      expect(res.status).toBe(404);
      expect(res.body.error.code).toBe('WEBHOOK_DELIVERY_NOT_FOUND');
    });
  });
});

describe('retailer webhook endpoints in production', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp({ env: { NODE_ENV: 'production', SECRETS_KEY: 'cd'.repeat(32) } });
  });
  afterAll(() => t.close());

  it.each(['http://127.0.0.1:4000/hooks', 'http://localhost:4000/hooks', 'https://10.0.0.7/hooks'])('refuses %s with a 400 on url', async (url) => {
    const retailer = await createRetailer(t.http);
    const res = await as(t.http, retailer.key).post('/v1/webhook-endpoints', { url, eventTypes: ['*'] });
    expect(res.status).toBe(400);
    expect(res.body.error).toMatchObject({ code: 'VALIDATION_FAILED', details: [expect.objectContaining({ field: 'url' })] });
  });
});
