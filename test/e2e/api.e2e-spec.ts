import request from 'supertest';
import { FixedClock } from '../../src/common/clock/clock';
import {
  as,
  at,
  bookingBody,
  bookShipment,
  createCarrier,
  createRetailer,
  postScans,
  scan,
  TestCarrier,
  TestRetailer,
  unusedTrackingNumber,
  withWrongCheckCharacter,
} from '../factories';
import { createTestApp, TestApp } from '../utils/test-app';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

describe('the HTTP API', () => {
  let t: TestApp;
  const clock = new FixedClock(new Date('2026-11-24T12:00:00.000Z'));
  let carrier: TestCarrier;

  beforeAll(async () => {
    t = await createTestApp({ clock });
    carrier = await createCarrier(t.http);
  });
  afterAll(() => t.close());

  describe('Idempotency-Key on POST /v1/shipments', () => {
    let retailer: TestRetailer;
    beforeAll(async () => {
      retailer = await createRetailer(t.http);
    });
    const post = (key: string, body: object, by = retailer) =>
      request(t.http).post('/v1/shipments').set('Authorization', `Bearer ${by.key}`).set('Idempotency-Key', key).send(body);

    it('replays the first response for the same key and body, creating one shipment', async () => {
      const body = bookingBody();
      const first = await post('book-1', body);
      expect(first.status).toBe(201);
      expect(first.headers['idempotent-replayed']).toBeUndefined();

      // The same body with its keys in another order is the same request.
      const reordered = Object.fromEntries(Object.entries(body).reverse());
      const replay = await post('book-1', reordered);
      expect(replay.status).toBe(201);
      expect(replay.headers['idempotent-replayed']).toBe('true');
      expect(replay.body).toEqual(first.body);

      const list = await as(t.http, retailer.key).get(`/v1/shipments?reference=${body.reference}`);
      expect(list.body.data.map((s: { id: string }) => s.id)).toEqual([first.body.id]);
    });

    it('answers 422 IDEMPOTENCY_KEY_REUSED when the same key comes with a different body, and books nothing', async () => {
      const first = await post('book-2', bookingBody());
      expect(first.status).toBe(201);
      const other = bookingBody();
      const res = await post('book-2', other);
      expect(res.status).toBe(422);
      expect(res.body.error.code).toBe('IDEMPOTENCY_KEY_REUSED');
      expect(res.body.error.details).toContainEqual(expect.objectContaining({ field: 'Idempotency-Key' }));
      const list = await as(t.http, retailer.key).get(`/v1/shipments?reference=${other.reference}`);
      expect(list.body.data).toEqual([]);
    });

    it('replays a client error too, naming the new request in it', async () => {
      const invalid = bookingBody({ incoterm: 'FOB' });
      const first = await post('book-3', invalid);
      expect(first.status).toBe(400);
      const replay = await post('book-3', invalid);
      expect(replay.status).toBe(400);
      expect(replay.headers['idempotent-replayed']).toBe('true');
      expect(replay.body.error).toEqual(first.body.error);
      expect(replay.body.requestId).toBe(replay.headers['x-request-id']);
      expect(replay.body.requestId).not.toBe(first.body.requestId);
    });

    it('keeps keys apart per retailer', async () => {
      const other = await createRetailer(t.http);
      const mine = await post('shared-key', bookingBody());
      const theirs = await post('shared-key', bookingBody(), other);
      expect(mine.status).toBe(201);
      expect(theirs.status).toBe(201);
      expect(theirs.headers['idempotent-replayed']).toBeUndefined();
      expect(theirs.body.id).not.toBe(mine.body.id);
    });
  });

  describe('listing shipments', () => {
    let retailer: TestRetailer;
    const ids = (res: request.Response) => (res.body.data as { id: string }[]).map((s) => s.id);

    beforeAll(async () => {
      retailer = await createRetailer(t.http);
    });

    async function pages(query: string, limit: number): Promise<string[][]> {
      const result: string[][] = [];
      let cursor: string | null = null;
      do {
        const res = await as(t.http, retailer.key).get(`/v1/shipments?limit=${limit}${query}${cursor ? `&cursor=${cursor}` : ''}`);
        expect(res.status).toBe(200);
        expect(res.body.data.length).toBeLessThanOrEqual(limit);
        result.push(ids(res));
        cursor = res.body.nextCursor;
      } while (cursor && result.length < 20);
      return result;
    }

    it('pages newest first with a cursor, with no duplicates or gaps, even among shipments booked at the same instant', async () => {
      const booked: { id: string }[] = [];
      for (let i = 0; i < 3; i++) booked.push(await bookShipment(t.http, retailer));
      clock.advance(60_000);
      for (let i = 0; i < 4; i++) booked.push(await bookShipment(t.http, retailer));

      const all = await as(t.http, retailer.key).get('/v1/shipments?limit=100');
      expect(all.body.nextCursor).toBeNull();
      expect(new Set(ids(all))).toEqual(new Set(booked.map((s) => s.id)));
      const created = (all.body.data as { createdAt: string; id: string }[]).map((s) => [Date.parse(s.createdAt), s.id] as const);
      // Newest first, and among equal instants by id, descending: a total order.
      const sorted = [...created].sort((a, b) => b[0] - a[0] || (a[1] < b[1] ? 1 : -1));
      expect(created).toEqual(sorted);

      const paged = await pages('', 3);
      expect(paged.map((p) => p.length)).toEqual([3, 3, 1]);
      expect(paged.flat()).toEqual(ids(all));

      // The default page size is 25.
      const defaults = await as(t.http, retailer.key).get('/v1/shipments');
      expect(ids(defaults)).toEqual(ids(all));
    });

    it('keeps later pages stable when a shipment is booked mid-way through paging', async () => {
      const before = ids(await as(t.http, retailer.key).get('/v1/shipments?limit=100'));
      const first = await as(t.http, retailer.key).get('/v1/shipments?limit=2');
      clock.advance(60_000);
      const newcomer = await bookShipment(t.http, retailer);

      const rest = [] as string[];
      let cursor: string | null = first.body.nextCursor;
      while (cursor) {
        const res = await as(t.http, retailer.key).get(`/v1/shipments?limit=2&cursor=${cursor}`);
        rest.push(...ids(res));
        cursor = res.body.nextCursor;
      }
      expect([...ids(first), ...rest]).toEqual(before);
      expect(rest).not.toContain(newcomer.id);
    });

    it('filters by status, by reference and by updatedSince, also across pages', async () => {
      const shop = await createRetailer(t.http);
      const a = await bookShipment(t.http, shop);
      const b = await bookShipment(t.http, shop);
      const c = await bookShipment(t.http, shop);
      clock.advance(60_000);
      const since = clock.now().toISOString();
      const d = await bookShipment(t.http, shop);
      await as(t.http, shop.key).post(`/v1/shipments/${a.id}/cancel`);
      await postScans(t.http, carrier.key, [scan(b.trackingNumber, 'COLLECTED', at(clock.now(), -1))]);

      const get = (query: string) => as(t.http, shop.key).get(`/v1/shipments?${query}`);
      expect(ids(await get('status=cancelled'))).toEqual([a.id]);
      expect(ids(await get('status=collected'))).toEqual([b.id]);
      expect(new Set(ids(await get('status=booked')))).toEqual(new Set([c.id, d.id]));
      expect(ids(await get('status=delivered'))).toEqual([]);
      expect(ids(await get(`reference=${c.reference}`))).toEqual([c.id]);
      expect(ids(await get(`reference=${c.reference}&status=cancelled`))).toEqual([]);
      // a and b changed after `since` (cancel, scan), d was booked after it; c has not changed.
      expect(new Set(ids(await get(`updatedSince=${encodeURIComponent(since)}`)))).toEqual(new Set([a.id, b.id, d.id]));
      expect(ids(await get(`updatedSince=${encodeURIComponent(at(clock.now(), 1))}`))).toEqual([]);

      const first = await get('status=booked&limit=1');
      expect(first.body.data).toHaveLength(1);
      const second = await get(`status=booked&limit=1&cursor=${first.body.nextCursor}`);
      expect(second.body.nextCursor).toBeNull();
      expect(new Set([...ids(first), ...ids(second)])).toEqual(new Set([c.id, d.id]));
    });
  });

  describe('public tracking', () => {
    let retailer: TestRetailer;
    let shipment: { id: string; trackingNumber: string };
    const track = (path: string) => request(t.http).get(path);

    beforeAll(async () => {
      retailer = await createRetailer(t.http);
      shipment = await bookShipment(t.http, retailer, {
        consignee: {
          name: 'Alex Example',
          email: 'alex@example.com',
          phone: '+447911123456',
          address: { lines: ['10 Downing Street'], city: 'London', postcode: 'SW1A 2AA', country: 'GB' },
        },
      });
      await postScans(t.http, carrier.key, [scan(shipment.trackingNumber, 'COLLECTED', at(clock.now(), -60))]);
    });

    it('shows status and milestones without personal data to anyone who has the number', async () => {
      const res = await track(`/v1/track/${shipment.trackingNumber}`);
      expect(res.status).toBe(200);
      expect(Object.keys(res.body).sort()).toEqual(['deliveredAt', 'destination', 'estimatedDelivery', 'milestones', 'status', 'statusChangedAt', 'trackingNumber']);
      expect(res.body).toMatchObject({ trackingNumber: shipment.trackingNumber, status: 'collected', destination: { country: 'GB', city: 'London' } });
      expect(res.body.milestones).toEqual([expect.objectContaining({ code: 'COLLECTED', status: 'collected' })]);
      expect(JSON.stringify(res.body)).not.toMatch(/Alex|Downing|SW1A|alex@|\+44/);
    });

    it.each(['SW1A 2AA', 'sw1a2aa', ' sw1a 2aa ', 'Sw1A-2aA'])('adds the consignee name and address for the matching postcode %p', async (postcode) => {
      const res = await track(`/v1/track/${shipment.trackingNumber}?postcode=${encodeURIComponent(postcode)}`);
      expect(res.status).toBe(200);
      expect(res.body.consignee).toEqual({
        name: 'Alex Example',
        address: { lines: ['10 Downing Street'], city: 'London', postcode: 'SW1A 2AA', country: 'GB' },
      });
      expect(JSON.stringify(res.body)).not.toMatch(/alex@|\+44/);
    });

    it.each(['SW1A 2AB', 'SW1A', '', 'SW1A 2AA 2AA', 'x'.repeat(500)])(
      'answers the wrong postcode %p exactly as if none were given',
      async (postcode) => {
        const without = await track(`/v1/track/${shipment.trackingNumber}`);
        const wrong = await track(`/v1/track/${shipment.trackingNumber}?postcode=${encodeURIComponent(postcode)}`);
        expect(wrong.status).toBe(without.status);
        expect(wrong.body).toEqual(without.body);
        expect(wrong.text).toBe(without.text);
        expect(wrong.headers['content-length']).toBe(without.headers['content-length']);
      },
    );

    it('accepts the number as people type it: lower case, with spaces and dashes', async () => {
      const typed = `${shipment.trackingNumber.slice(0, 3)} ${shipment.trackingNumber.slice(3, 9)}-${shipment.trackingNumber.slice(9)}`.toLowerCase();
      const res = await track(`/v1/track/${encodeURIComponent(typed)}`);
      expect(res.status).toBe(200);
      expect(res.body.trackingNumber).toBe(shipment.trackingNumber);
    });

    it('answers 404 TRACKING_NUMBER_INVALID for a number whose check character does not match', async () => {
      const res = await track(`/v1/track/${withWrongCheckCharacter(shipment.trackingNumber)}`);
      expect(res.status).toBe(404);
      expect(res.body.error.code).toBe('TRACKING_NUMBER_INVALID');
      const garbage = await track('/v1/track/hello');
      expect(garbage.status).toBe(404);
      expect(garbage.body.error.code).toBe('TRACKING_NUMBER_INVALID');
    });

    it('answers 404 TRACKING_NUMBER_NOT_FOUND for a well-formed number no shipment has', async () => {
      const res = await track(`/v1/track/${unusedTrackingNumber()}?postcode=SW1A2AA`);
      expect(res.status).toBe(404);
      expect(res.body.error.code).toBe('TRACKING_NUMBER_NOT_FOUND');
    });
  });

  describe('request ids', () => {
    let retailer: TestRetailer;
    beforeAll(async () => {
      retailer = await createRetailer(t.http);
    });

    it('puts X-Request-Id on every response and the same requestId in every error body', async () => {
      const responses = [
        await request(t.http).get('/health/live'),
        await as(t.http, retailer.key).get('/v1/shipments'),
        await request(t.http).get('/v1/no-such-endpoint'),
        await as(t.http, retailer.key).get('/v1/shipments/not-a-uuid'),
        await as(t.http, retailer.key).get('/v1/shipments/00000000-0000-4000-8000-000000000000'),
        await request(t.http).get('/v1/shipments'),
        await as(t.http, carrier.key).get('/v1/shipments'),
        await request(t.http).post('/v1/shipments').set('Authorization', `Bearer ${retailer.key}`).set('Content-Type', 'application/json').send('{oops'),
        await request(t.http).get('/v1/track/nope'),
      ];
      expect(responses.map((r) => r.status)).toEqual([200, 200, 404, 400, 404, 401, 403, 400, 404]);
      const seen = new Set<string>();
      for (const res of responses) {
        const id = res.headers['x-request-id'];
        expect(id).toMatch(UUID);
        seen.add(id);
        if (res.status >= 400) expect(res.body.requestId).toBe(id);
      }
      expect(seen.size).toBe(responses.length);
    });

    it('echoes a well-formed incoming X-Request-Id and replaces a malformed one', async () => {
      const ok = await request(t.http).get('/v1/shipments/not-a-uuid').set('Authorization', `Bearer ${retailer.key}`).set('X-Request-Id', 'trace-abc:123.456_7');
      expect(ok.headers['x-request-id']).toBe('trace-abc:123.456_7');
      expect(ok.body.requestId).toBe('trace-abc:123.456_7');

      for (const bad of ['short', 'has spaces in it', 'x'.repeat(129), 'semi;colon;id']) {
        const res = await request(t.http).get('/v1/no-such-endpoint').set('X-Request-Id', bad);
        expect(res.headers['x-request-id']).toMatch(UUID);
        expect(res.body.requestId).toBe(res.headers['x-request-id']);
      }
    });
  });

  describe('rate limits', () => {
    let limited: TestApp;
    let first: TestRetailer;
    let second: TestRetailer;
    let trackingNumbers: string[];

    beforeAll(async () => {
      // Set up through the unlimited app: admin calls count against a limit too.
      first = await createRetailer(t.http);
      second = await createRetailer(t.http);
      trackingNumbers = [(await bookShipment(t.http, first)).trackingNumber, (await bookShipment(t.http, first)).trackingNumber];
      limited = await createTestApp({ env: { RATE_LIMIT_PER_MINUTE: '3', PUBLIC_RATE_LIMIT_PER_MINUTE: '2' } });
    });
    afterAll(() => limited?.close());

    it('answers 429 RATE_LIMITED with Retry-After once a key is over its limit across all endpoints, leaving other keys alone', async () => {
      for (let i = 0; i < 3; i++) expect((await as(limited.http, first.key).get('/v1/shipments')).status).toBe(200);
      const over = await as(limited.http, first.key).post('/v1/shipments', bookingBody());
      expect(over.status).toBe(429);
      expect(over.body.error.code).toBe('RATE_LIMITED');
      expect(over.body.requestId).toBe(over.headers['x-request-id']);
      const retryAfter = Number(over.headers['retry-after']);
      expect(Number.isInteger(retryAfter)).toBe(true);
      expect(retryAfter).toBeGreaterThanOrEqual(1);
      expect(retryAfter).toBeLessThanOrEqual(60);
      // The refused booking was not made.
      const list = await as(t.http, first.key).get('/v1/shipments?limit=100');
      expect(list.body.data).toHaveLength(2);

      expect((await as(limited.http, second.key).get('/v1/shipments')).status).toBe(200);
    });

    it('limits public tracking per client IP, whichever number is asked for', async () => {
      expect((await request(limited.http).get(`/v1/track/${trackingNumbers[0]}`)).status).toBe(200);
      expect((await request(limited.http).get(`/v1/track/${trackingNumbers[1]}`)).status).toBe(200);
      const over = await request(limited.http).get(`/v1/track/${trackingNumbers[0]}`);
      expect(over.status).toBe(429);
      expect(over.body.error.code).toBe('RATE_LIMITED');
      expect(Number(over.headers['retry-after'])).toBeGreaterThanOrEqual(1);
    });

    it('never limits health checks', async () => {
      for (let i = 0; i < 5; i++) expect((await request(limited.http).get('/health/live')).status).toBe(200);
    });

    it('refuses an IP with 429 after repeated failed authentications, before looking the key up', async () => {
      const guarded = await createTestApp({ env: { AUTH_FAILURES_PER_MINUTE: '2' } });
      try {
        for (let i = 0; i < 2; i++) expect((await as(guarded.http, 'psg_live_wrong').get('/v1/shipments')).status).toBe(401);
        const over = await as(guarded.http, 'psg_live_wrong').get('/v1/shipments');
        expect(over.status).toBe(429);
        expect(over.body.error.code).toBe('RATE_LIMITED');
        expect(Number(over.headers['retry-after'])).toBeGreaterThanOrEqual(1);
        // Public routes need no key and stay open to that IP.
        expect((await request(guarded.http).get(`/v1/track/${trackingNumbers[0]}`)).status).toBe(200);
      } finally {
        await guarded.close();
      }
    });
  });

  describe('operations endpoints', () => {
    it('reports readiness with the database up, and liveness', async () => {
      const ready = await request(t.http).get('/health');
      expect(ready.status).toBe(200);
      expect(ready.body).toMatchObject({ status: 'ok', info: { database: { status: 'up' } } });
      const readiness = await request(t.http).get('/health/ready');
      expect(readiness.status).toBe(200);
      const live = await request(t.http).get('/health/live');
      expect(live.status).toBe(200);
      expect(live.body.status).toBe('ok');
    });

    it('exposes request durations by route pattern and scan results on /metrics', async () => {
      const retailer = await createRetailer(t.http);
      const shipment = await bookShipment(t.http, retailer);
      await as(t.http, retailer.key).get(`/v1/shipments/${shipment.id}`);
      await postScans(t.http, carrier.key, [scan(shipment.trackingNumber, 'COLLECTED', at(clock.now(), -1)), { nonsense: true }]);

      const res = await request(t.http).get('/metrics');
      expect(res.status).toBe(200);
      expect(res.headers['content-type']).toMatch(/^text\/plain/);
      expect(res.text).toMatch(/^passage_http_request_duration_seconds_bucket\{.*method="POST",route="\/v1\/shipments",status="201"/m);
      expect(res.text).toMatch(/^passage_http_request_duration_seconds_count\{method="GET",route="\/v1\/shipments\/:id",status="200"\} \d+/m);
      expect(res.text).toMatch(/^passage_tracking_events_total\{result="applied"\} \d+/m);
      expect(res.text).toMatch(/^passage_tracking_events_total\{result="invalid"\} \d+/m);
      // Labels carry route patterns, never ids or tracking numbers.
      expect(res.text).not.toContain(shipment.id);
      expect(res.text).not.toContain(shipment.trackingNumber);
    });
  });

  describe('the OpenAPI document', () => {
    const EXPECTED = [
      'GET /health',
      'GET /health/ready',
      'GET /health/live',
      'GET /metrics',
      'POST /v1/shipments',
      'GET /v1/shipments',
      'GET /v1/shipments/{id}',
      'GET /v1/shipments/{id}/events',
      'POST /v1/shipments/{id}/cancel',
      'POST /v1/shipments/{id}/returns',
      'POST /v1/tracking-events',
      'GET /v1/track/{trackingNumber}',
      'POST /v1/admin/retailers',
      'GET /v1/admin/retailers',
      'GET /v1/admin/retailers/{id}',
      'PATCH /v1/admin/retailers/{id}',
      'POST /v1/admin/retailers/{id}/api-keys',
      'GET /v1/admin/retailers/{id}/api-keys',
      'DELETE /v1/admin/retailers/{id}/api-keys/{keyId}',
      'POST /v1/admin/carriers',
      'GET /v1/admin/carriers',
      'GET /v1/admin/carriers/{id}',
      'POST /v1/admin/carriers/{id}/api-keys',
      'GET /v1/admin/carriers/{id}/api-keys',
      'DELETE /v1/admin/carriers/{id}/api-keys/{keyId}',
      'GET /v1/admin/fx-rates',
      'GET /v1/admin/fx-rates/{currency}',
      'POST /v1/admin/fx-rates',
      'GET /v1/shipments/{id}/messages',
      'POST /v1/admin/messages/{id}/redrive',
      'POST /v1/webhooks/twilio/status',
      'PATCH /v1/shipments/{id}/consignee',
      'POST /v1/compliance/check',
      'GET /v1/retailer/settings',
      'PATCH /v1/retailer/settings',
      'GET /v1/admin/rule-sets',
      'GET /v1/admin/rule-sets/{country}',
      'GET /v1/admin/rule-sets/{country}/affected-shipments',
      'POST /v1/admin/rule-sets/{country}/versions',
      'POST /v1/admin/rule-sets/{country}/preview',
      'GET /v1/admin/audit',
      'POST /v1/webhooks/twilio/inbound',
      'GET /v1/unsubscribe/{token}',
      'POST /v1/unsubscribe/{token}',
      'GET /v1/retailer/notification-settings',
      'PATCH /v1/retailer/notification-settings',
      'GET /v1/dev/messages',
      'GET /v1/dev/messages/view',
      'POST /v1/webhook-endpoints',
      'GET /v1/webhook-endpoints',
      'GET /v1/webhook-endpoints/{id}',
      'PATCH /v1/webhook-endpoints/{id}',
      'DELETE /v1/webhook-endpoints/{id}',
      'POST /v1/webhook-endpoints/{id}/rotate-secret',
      'POST /v1/webhook-endpoints/{id}/ping',
      'GET /v1/webhook-endpoints/{id}/deliveries',
      'POST /v1/webhook-endpoints/{id}/deliveries/{messageId}/replay',
      'POST /v1/admin/users',
      'GET /v1/admin/users',
      'POST /v1/admin/users/{id}/tokens',
      'DELETE /v1/admin/users/{id}/tokens/{keyId}',
      'GET /v1/admin/users/{id}',
      'PATCH /v1/admin/users/{id}',
      'POST /v1/admin/users/{id}/tokens/revoke-all',
      'GET /v1/admin/exceptions',
      'GET /v1/admin/exceptions/{id}',
      'POST /v1/admin/exceptions/{id}/assign',
      'POST /v1/admin/exceptions/{id}/notes',
      'POST /v1/admin/exceptions/{id}/resolve',
      'POST /v1/admin/exceptions/{id}/reopen',
      'POST /v1/admin/shipments/{id}/status',
      'POST /v1/admin/shipments/{id}/messages/resend',
      'GET /v1/admin/shipments/{id}/timeline',
      'GET /v1/admin/search',
      'POST /v1/admin/incidents/preview',
      'POST /v1/admin/incidents',
      'GET /v1/admin/incidents',
      'GET /v1/admin/incidents/{id}',
      'POST /v1/admin/incidents/{id}/close',
      'GET /v1/admin/metrics',
      'GET /v1/admin/metrics.csv',
      'POST /v1/admin/consignees/erase',
      'PATCH /v1/admin/retailers/{id}/privacy',
      'GET /v1/surveys/{token}',
      'POST /v1/surveys/{token}',
    ];
    type Operation = { summary?: string; security?: object[]; parameters?: { in: string }[]; responses: Record<string, { content?: { 'application/json'?: { schema?: { $ref?: string } } } }> };
    let doc: { openapi: string; info: { description: string }; paths: Record<string, Record<string, Operation>> };
    const operations = () =>
      Object.entries(doc.paths).flatMap(([path, methods]) => Object.entries(methods).map(([method, op]) => ({ route: `${method.toUpperCase()} ${path}`, op })));

    beforeAll(async () => {
      const res = await request(t.http).get('/docs-json');
      expect(res.status).toBe(200);
      doc = res.body;
    });

    it('lists exactly the API routes, each with a summary', () => {
      expect(doc.openapi).toMatch(/^3\./);
      expect(operations().map((o) => o.route).sort()).toEqual([...EXPECTED].sort());
      for (const { route, op } of operations()) expect({ route, summary: op.summary }).toEqual({ route, summary: expect.any(String) });
    });

    it('documents every route the server actually answers', () => {
      const served = t.routes.filter((r) => !r.split(' ')[1].startsWith('/docs') && !r.includes('*'));
      expect(served.length).toBeGreaterThanOrEqual(EXPECTED.length);
      expect(new Set(served)).toEqual(new Set(EXPECTED));
    });

    it('documents the error responses of every API route in the one error shape', () => {
      for (const { route, op } of operations()) {
        const statuses = Object.keys(op.responses);
        const expected: string[] = [];
        if (route.startsWith('GET /health')) expected.push('503');
        else if (route !== 'GET /metrics') expected.push('429');
        if (op.security?.length) expected.push('401', '403');
        if (/\{(id|keyId)\}/.test(route)) expected.push('400', '404');
        if (route.startsWith('POST') && route !== 'POST /v1/shipments/{id}/cancel' && route !== 'POST /v1/shipments/{id}/returns') expected.push('400');
        if (route === 'GET /v1/track/{trackingNumber}') expected.push('404');
        expect({ route, statuses }).toEqual({ route, statuses: expect.arrayContaining(expected) });
        for (const status of statuses.filter((s) => Number(s) >= 400 && Number(s) < 500)) {
          const schema = op.responses[status].content?.['application/json']?.schema;
          expect({ route, status, schema: schema?.$ref }).toEqual({ route, status, schema: '#/components/schemas/ErrorResponseDto' });
        }
      }
    });

    it('names the errors any body can get (media type, charset, size) in the API description', () => {
      for (const code of ['UNSUPPORTED_MEDIA_TYPE', 'UNSUPPORTED_CHARSET', 'PAYLOAD_TOO_LARGE']) {
        expect({ code, described: doc.info.description.includes(code) }).toEqual({ code, described: true });
      }
      expect(doc.info.description).toContain('5 MB');
    });

    it('marks which kind of key each API route needs', () => {
      const security = Object.fromEntries(operations().map(({ route, op }) => [route, (op.security ?? []).flatMap((s) => Object.keys(s))]));
      for (const route of EXPECTED.filter((r) => r.includes('/v1/shipments'))) expect({ route, keys: security[route] }).toEqual({ route, keys: ['retailer'] });
      for (const route of EXPECTED.filter((r) => r.includes('/v1/admin/'))) expect({ route, keys: security[route] }).toEqual({ route, keys: ['admin'] });
      expect(security['POST /v1/tracking-events'].sort()).toEqual(['carrier', 'retailer']);
      expect(security['GET /v1/track/{trackingNumber}']).toEqual([]);
    });
  });
});
