import request from 'supertest';
import { as, at, bookingBody, bookShipment, createCarrier, createRetailer, scan, TestCarrier, TestRetailer } from '../factories';
import { createTestApp, TEST_ADMIN_TOKEN, TestApp } from '../utils/test-app';

/** A valid booking body with one value at a dotted path replaced (`undefined` removes it). */
function bookingWith(path: string, value: unknown): Record<string, unknown> {
  const body = structuredClone(bookingBody());
  const keys = path.split('.');
  let node = body as Record<string, unknown>;
  for (const key of keys.slice(0, -1)) node = node[key] as Record<string, unknown>;
  if (value === undefined) delete node[keys[keys.length - 1]];
  else node[keys[keys.length - 1]] = value;
  return body;
}

const item = (bookingBody().items as object[])[0];
const uuid = '3f0c2b7e-8a41-4e55-9d2a-6c1b0e9f7a12';

interface Case {
  name: string;
  method: 'get' | 'post' | 'patch' | 'delete';
  path: string;
  /** An object is sent as JSON; a string is sent raw with the given content type. */
  body?: unknown;
  contentType?: string;
  headers?: Record<string, string>;
  key?: 'retailer' | 'carrier' | 'admin';
  code: string;
  field?: string;
}

const booking = (name: string, path: string, value: unknown, field = path): Case => ({
  name,
  method: 'post',
  path: '/v1/shipments',
  body: bookingWith(path, value),
  code: 'VALIDATION_FAILED',
  field,
});

const BOOKING_CASES: Case[] = [
  booking('a consignee country that is not ISO 3166', 'consignee.address.country', 'XX'),
  booking('UK instead of GB as origin country', 'origin.country', 'UK'),
  booking('a country given as a number', 'consignee.address.country', 49),
  booking('a German postcode with four digits', 'consignee.address.postcode', '1011'),
  booking('a German postcode with letters', 'consignee.address.postcode', 'ABCDE'),
  booking('a postcode given as a number', 'consignee.address.postcode', 10115),
  booking('an origin postcode that is not British', 'origin.postcode', '12345'),
  booking('a phone number in national format', 'consignee.phone', '015123456789'),
  booking('a phone number with spaces', 'consignee.phone', '+49 151 23456789'),
  booking('a phone number that is too short to be real', 'consignee.phone', '+491'),
  booking('an email address without a domain', 'consignee.email', 'erika@'),
  booking('a currency that is not ISO 4217', 'items.0.currency', 'EURO'),
  booking('an unknown three-letter currency', 'items.0.currency', 'XYZ'),
  booking('an HS code with 5 digits', 'items.0.hsCode', '61091'),
  booking('an HS code with letters', 'items.0.hsCode', '6109AB'),
  booking('a negative unit value', 'items.0.unitValue', -1),
  booking('a unit value with decimals (not minor units)', 'items.0.unitValue', 19.99),
  booking('a non-integer quantity', 'items.0.quantity', 1.5),
  booking('a zero quantity', 'items.0.quantity', 0),
  booking('a quantity given as a string', 'items.0.quantity', '2'),
  booking('a missing item weight', 'items.0.weightGrams', undefined),
  booking('a goods origin country that is not ISO', 'items.0.originCountry', 'Portugal'),
  booking('an empty item list', 'items', []),
  booking('101 items', 'items', Array.from({ length: 101 }, () => item)),
  booking('items given as a string', 'items', 'T-shirt'),
  booking('an item given as a string', 'items', ['T-shirt'], 'items.0'),
  booking('an unknown top-level field', 'priority', 'express'),
  booking('an unknown nested field', 'consignee.nickname', 'Eri'),
  booking('metadata with a numeric value', 'metadata', { channel: 'web', attempt: 2 }),
  booking('metadata with a nested object', 'metadata', { channel: { name: 'web' } }),
  booking('metadata given as an array', 'metadata', ['web']),
  booking('a reference given as a number', 'reference', 12345),
  booking('a blank reference', 'reference', '   '),
  booking('a missing reference', 'reference', undefined),
  booking('a reference of 101 characters', 'reference', 'R'.repeat(101)),
  booking('an incoterm that Passage does not handle', 'incoterm', 'FOB'),
  booking('a consignee given as a string', 'consignee', 'Erika Mustermann'),
  booking('a null address', 'consignee.address', null),
  booking('address lines given as a string', 'consignee.address.lines', 'Invalidenstraße 116'),
  booking('no address lines', 'consignee.address.lines', []),
  booking('a blank consignee name', 'consignee.name', ''),
  booking('notify.email given as a string', 'notify.email', 'yes'),
  booking('notify missing', 'notify', undefined),
  booking('a locale that is not BCP 47', 'consignee.locale', 'not a locale!'),
  booking('a locale given as a number', 'consignee.locale', 7),
  // PostgreSQL cannot store U+0000 in text or jsonb: it must be a 400, not a database error.
  booking('a NUL character in the reference', 'reference', 'ORDER\u00001'),
  booking('a NUL character in a metadata value', 'metadata', { note: 'a\u0000b' }, 'metadata.note'),
  booking('a NUL character in an address line', 'consignee.address.lines', ['Invalidenstraße\u0000116'], 'consignee.address.lines.0'),
  {
    name: 'notify.sms true without a phone',
    method: 'post',
    path: '/v1/shipments',
    body: { ...bookingBody(), consignee: { ...(bookingBody().consignee as object), phone: undefined } },
    code: 'VALIDATION_FAILED',
    field: 'consignee.phone',
  },
  {
    name: 'notify.email true without an email',
    method: 'post',
    path: '/v1/shipments',
    body: { ...bookingBody(), consignee: { ...(bookingBody().consignee as object), email: undefined } },
    code: 'VALIDATION_FAILED',
    field: 'consignee.email',
  },
  { name: 'an empty JSON object', method: 'post', path: '/v1/shipments', body: {}, code: 'VALIDATION_FAILED', field: 'reference' },
  { name: 'a JSON array as the body', method: 'post', path: '/v1/shipments', body: [bookingBody()], code: 'VALIDATION_FAILED' },
  { name: 'truncated JSON', method: 'post', path: '/v1/shipments', body: '{"reference": "A", ', contentType: 'application/json', code: 'MALFORMED_JSON' },
  { name: 'a bare JSON string', method: 'post', path: '/v1/shipments', body: '"hello"', contentType: 'application/json', code: 'MALFORMED_JSON' },
  { name: 'JSON with a trailing comma', method: 'post', path: '/v1/shipments', body: '{"reference": "A",}', contentType: 'application/json', code: 'MALFORMED_JSON' },
  {
    name: 'a __proto__ key',
    method: 'post',
    path: '/v1/shipments',
    body: '{"__proto__": {"reference": "X"}, "constructor": {"prototype": {"polluted": true}}}',
    contentType: 'application/json',
    code: 'VALIDATION_FAILED',
  },
  {
    name: 'an invalid Idempotency-Key',
    method: 'post',
    path: '/v1/shipments',
    body: bookingBody(),
    headers: { 'Idempotency-Key': 'k'.repeat(256) },
    code: 'IDEMPOTENCY_KEY_INVALID',
    field: 'Idempotency-Key',
  },
];

const QUERY_AND_PATH_CASES: Case[] = [
  { name: 'a shipment id that is not a UUID', method: 'get', path: '/v1/shipments/not-a-uuid', code: 'VALIDATION_FAILED', field: 'id' },
  { name: 'a numeric shipment id', method: 'get', path: '/v1/shipments/12345/events', code: 'VALIDATION_FAILED', field: 'id' },
  { name: 'an SQL fragment as shipment id', method: 'post', path: "/v1/shipments/1'%20OR%20'1'='1/cancel", code: 'VALIDATION_FAILED', field: 'id' },
  { name: 'a truncated UUID on returns', method: 'post', path: `/v1/shipments/${uuid.slice(0, 35)}/returns`, code: 'VALIDATION_FAILED', field: 'id' },
  { name: 'limit=101', method: 'get', path: '/v1/shipments?limit=101', code: 'VALIDATION_FAILED', field: 'limit' },
  { name: 'limit=0', method: 'get', path: '/v1/shipments?limit=0', code: 'VALIDATION_FAILED', field: 'limit' },
  { name: 'limit=ten', method: 'get', path: '/v1/shipments?limit=ten', code: 'VALIDATION_FAILED', field: 'limit' },
  { name: 'limit=2.5', method: 'get', path: '/v1/shipments?limit=2.5', code: 'VALIDATION_FAILED', field: 'limit' },
  { name: 'a cursor that is not base64 JSON', method: 'get', path: '/v1/shipments?cursor=garbage', code: 'INVALID_CURSOR', field: 'cursor' },
  {
    name: 'a cursor of the wrong shape',
    method: 'get',
    path: `/v1/shipments?cursor=${Buffer.from(JSON.stringify({ createdAt: 1 })).toString('base64url')}`,
    code: 'INVALID_CURSOR',
    field: 'cursor',
  },
  {
    name: 'a cursor with a bad date',
    method: 'get',
    path: `/v1/shipments?cursor=${Buffer.from(JSON.stringify(['yesterday', uuid])).toString('base64url')}`,
    code: 'INVALID_CURSOR',
    field: 'cursor',
  },
  { name: 'a cursor given twice', method: 'get', path: '/v1/shipments?cursor=a&cursor=b', code: 'VALIDATION_FAILED', field: 'cursor' },
  { name: 'an unknown status filter', method: 'get', path: '/v1/shipments?status=shipped', code: 'VALIDATION_FAILED', field: 'status' },
  { name: 'updatedSince that is not a date', method: 'get', path: '/v1/shipments?updatedSince=last-week', code: 'VALIDATION_FAILED', field: 'updatedSince' },
  { name: 'a NUL character in the reference filter', method: 'get', path: '/v1/shipments?reference=a%00b', code: 'VALIDATION_FAILED', field: 'reference' },
  { name: 'an unknown query parameter', method: 'get', path: '/v1/shipments?sort=asc', code: 'VALIDATION_FAILED', field: 'sort' },
];

const BATCH_CASES: Case[] = [
  { name: 'a batch of 0 events', method: 'post', path: '/v1/tracking-events', key: 'carrier', body: { events: [] }, code: 'VALIDATION_FAILED', field: 'events' },
  { name: 'a batch without events', method: 'post', path: '/v1/tracking-events', key: 'carrier', body: {}, code: 'VALIDATION_FAILED', field: 'events' },
  { name: 'events given as an object', method: 'post', path: '/v1/tracking-events', key: 'carrier', body: { events: { a: 1 } }, code: 'VALIDATION_FAILED', field: 'events' },
  { name: 'events that are not objects', method: 'post', path: '/v1/tracking-events', key: 'carrier', body: { events: [1, 'two'] }, code: 'VALIDATION_FAILED', field: 'events' },
  { name: 'a batch with an unknown field', method: 'post', path: '/v1/tracking-events', key: 'carrier', body: { events: [{}], carrier: 'x' }, code: 'VALIDATION_FAILED', field: 'carrier' },
  { name: 'a malformed batch', method: 'post', path: '/v1/tracking-events', key: 'carrier', body: '{"events": [', contentType: 'application/json', code: 'MALFORMED_JSON' },
];

const ADMIN_CASES: Case[] = [
  { name: 'a retailer without a name', method: 'post', path: '/v1/admin/retailers', key: 'admin', body: {}, code: 'VALIDATION_FAILED', field: 'name' },
  { name: 'a negative return window', method: 'post', path: '/v1/admin/retailers', key: 'admin', body: { name: 'A', returnWindowDays: -1 }, code: 'VALIDATION_FAILED', field: 'returnWindowDays' },
  { name: 'a return window given as a string', method: 'post', path: '/v1/admin/retailers', key: 'admin', body: { name: 'A', returnWindowDays: '30' }, code: 'VALIDATION_FAILED', field: 'returnWindowDays' },
  { name: 'a return window over a year', method: 'patch', path: `/v1/admin/retailers/${uuid}`, key: 'admin', body: { returnWindowDays: 366 }, code: 'VALIDATION_FAILED', field: 'returnWindowDays' },
  { name: 'a retailer id that is not a UUID', method: 'get', path: '/v1/admin/retailers/acme', key: 'admin', code: 'VALIDATION_FAILED', field: 'id' },
  { name: 'a key id that is not a UUID', method: 'delete', path: `/v1/admin/retailers/${uuid}/api-keys/latest`, key: 'admin', code: 'VALIDATION_FAILED', field: 'keyId' },
  { name: 'a carrier code with spaces', method: 'post', path: '/v1/admin/carriers', key: 'admin', body: { code: 'dhl de', name: 'DHL' }, code: 'VALIDATION_FAILED', field: 'code' },
  { name: 'an API key name given as a number', method: 'post', path: `/v1/admin/retailers/${uuid}/api-keys`, key: 'admin', body: { name: 7 }, code: 'VALIDATION_FAILED', field: 'name' },
];

describe('request validation', () => {
  let t: TestApp;
  /** Books nothing that succeeds: its list must stay empty. */
  let validator: TestRetailer;
  let carrier: TestCarrier;
  let target: { id: string; trackingNumber: string };
  let targetOwner: TestRetailer;
  let retailerCount: number;

  beforeAll(async () => {
    t = await createTestApp();
    validator = await createRetailer(t.http);
    carrier = await createCarrier(t.http);
    targetOwner = await createRetailer(t.http);
    target = await bookShipment(t.http, targetOwner);
    retailerCount = (await as(t.http, TEST_ADMIN_TOKEN).get('/v1/admin/retailers')).body.length;
  });
  afterAll(() => t.close());

  function send(c: Omit<Case, 'name' | 'code' | 'field'>) {
    const key = c.key === 'carrier' ? carrier.key : c.key === 'admin' ? TEST_ADMIN_TOKEN : validator.key;
    let req = request(t.http)[c.method](c.path).set('Authorization', `Bearer ${key}`);
    for (const [name, value] of Object.entries(c.headers ?? {})) req = req.set(name, value);
    if (c.body === undefined) return req;
    if (typeof c.body === 'string') return req.set('Content-Type', c.contentType ?? 'application/json').send(c.body);
    return req.send(c.body as object);
  }

  async function expectNothingWritten() {
    const list = await as(t.http, validator.key).get('/v1/shipments?limit=100');
    expect(list.status).toBe(200);
    expect(list.body.data).toEqual([]);
    const timeline = await as(t.http, targetOwner.key).get(`/v1/shipments/${target.id}/events`);
    expect(timeline.body).toEqual({ status: 'booked', events: [] });
    const retailers = await as(t.http, TEST_ADMIN_TOKEN).get('/v1/admin/retailers');
    expect(retailers.body).toHaveLength(retailerCount);
  }

  it.each([...BOOKING_CASES, ...QUERY_AND_PATH_CASES, ...BATCH_CASES, ...ADMIN_CASES].map((c) => [c.name, c]))(
    'rejects %s with 400, a stable code and the field at fault, writing nothing',
    async (_name, c) => {
      const res = await send(c);
      expect(res.status).toBe(400);
      expect(res.body.error.code).toBe(c.code);
      expect(res.body.requestId).toBe(res.headers['x-request-id']);
      if (c.field) expect(res.body.error.details).toContainEqual(expect.objectContaining({ field: c.field, issue: expect.any(String) }));
      // Field details name fields, never echo the submitted values back.
      for (const detail of res.body.error.details as { field: string; issue: string }[]) {
        expect(detail.issue).not.toMatch(/Erika|Mustermann|erika@example/);
      }
      await expectNothingWritten();
    },
  );

  it('reports every field at fault in one response, not just the first', async () => {
    const body = bookingWith('consignee.address.country', 'XX');
    (body.items as Record<string, unknown>[])[0].currency = 'EURO';
    body.incoterm = 'FOB';
    const res = await as(t.http, validator.key).post('/v1/shipments', body);
    expect(res.status).toBe(400);
    const fields = (res.body.error.details as { field: string }[]).map((d) => d.field);
    expect(fields).toEqual(expect.arrayContaining(['consignee.address.country', 'items.0.currency', 'incoterm']));
    await expectNothingWritten();
  });

  it('rejects a batch of 1001 events as a whole, applying none of them', async () => {
    const events = Array.from({ length: 1001 }, () => scan(target.trackingNumber, 'COLLECTED', at(new Date(), -60)));
    const res = await as(t.http, carrier.key).post('/v1/tracking-events', { events });
    expect(res.status).toBe(400);
    expect(res.body.error.code).toBe('VALIDATION_FAILED');
    expect(res.body.error.details).toContainEqual(expect.objectContaining({ field: 'events' }));
    await expectNothingWritten();
  });

  it('never answers a hostile or odd request with a 5xx', async () => {
    const retailerPost = (body: object) => as(t.http, validator.key).post('/v1/shipments', body);
    const rawPost = (type: string, body: string) =>
      request(t.http).post('/v1/shipments').set('Authorization', `Bearer ${validator.key}`).set('Content-Type', type).send(body);
    const scans = (events: unknown[]) => as(t.http, carrier.key).post('/v1/tracking-events', { events });
    const attempts: [string, PromiseLike<request.Response>][] = [
      ['a text/plain body', rawPost('text/plain', 'reference=A')],
      ['a form body', rawPost('application/x-www-form-urlencoded', 'reference=A')],
      ['an unsupported charset', rawPost('application/json; charset=latin-9', '{}')],
      ['a JSON null body', rawPost('application/json', 'null')],
      ['an empty JSON body', rawPost('application/json', '')],
      ['null metadata', retailerPost(bookingWith('metadata', null))],
      ['a null address line', retailerPost(bookingWith('consignee.address.lines', [null]))],
      ['a null item', retailerPost(bookingWith('items.0', null))],
      ['a NUL character in the consignee name', retailerPost(bookingWith('consignee.name', 'Erika\u0000'))],
      ['a huge unit value', retailerPost(bookingWith('items.0.unitValue', 1e300))],
      ['a badly encoded path', as(t.http, validator.key).get('/v1/shipments/%E0%A4%A')],
      ['limit given twice', as(t.http, validator.key).get('/v1/shipments?limit=1&limit=2')],
      ['a year 99999 updatedSince', as(t.http, validator.key).get('/v1/shipments?updatedSince=99999-01-01')],
      ['an operator object as reference', as(t.http, validator.key).get('/v1/shipments?reference[$ne]=x')],
      ['a null event', scans([null])],
      ['an impossible calendar date', scans([scan(target.trackingNumber, 'COLLECTED', '2026-02-30T10:00:00Z')])],
      ['raw given as an array', scans([{ ...scan(target.trackingNumber, 'COLLECTED', at(new Date(), -1)), raw: [1, 2] }])],
      ['a NUL character in an event description', scans([{ ...scan(target.trackingNumber, 'COLLECTED', at(new Date(), -1)), description: 'a\u0000b' }])],
      ['a NUL character in a tracking path', request(t.http).get('/v1/track/%00')],
      ['a 5000-character tracking number', request(t.http).get(`/v1/track/${'A'.repeat(5000)}`)],
    ];
    const serverErrors: string[] = [];
    for (const [label, attempt] of attempts) {
      const res = await attempt;
      if (res.status >= 500) serverErrors.push(`${label}: ${res.status} ${JSON.stringify(res.body)}`);
      else if (res.status >= 400) expect({ label, code: res.body.error?.code }).toEqual({ label, code: expect.any(String) });
    }
    expect(serverErrors).toEqual([]);
    const timeline = await as(t.http, targetOwner.key).get(`/v1/shipments/${target.id}/events`);
    expect(timeline.body.events.every((e: { code: string }) => e.code === 'COLLECTED')).toBe(true);
  });

  it('refuses a JSON body declared in a charset other than UTF-8 (415) without applying it, and reads one declared UTF-8', async () => {
    const post = (contentType: string, body: string) => send({ method: 'post', path: '/v1/tracking-events', key: 'carrier', body, contentType });
    const timeline = () => as(t.http, targetOwner.key).get(`/v1/shipments/${target.id}/events`);
    const before = (await timeline()).body;
    const batch = JSON.stringify({ events: [scan(target.trackingNumber, 'HUB_SCAN', at(new Date(), -1))] });
    const latin1 = await post('application/json; charset=ISO-8859-1', batch);
    expect(latin1.status).toBe(415);
    expect(latin1.body.error).toMatchObject({ code: 'UNSUPPORTED_CHARSET', details: [{ field: 'Content-Type', issue: expect.any(String) }] });
    expect(latin1.body.requestId).toBe(latin1.headers['x-request-id']);
    await expect(timeline().then((res) => res.body)).resolves.toEqual(before);
    for (const type of ['application/json; charset=UTF-8', 'application/json;charset="utf-8"', 'application/json; charset=us-ascii']) {
      const res = await post(type, '{"events": []}');
      expect({ type, status: res.status, code: res.body.error.code }).toEqual({ type, status: 400, code: 'VALIDATION_FAILED' });
    }
  });

  it('marks a scan with a NUL character invalid and still applies the rest of its batch', async () => {
    const good = scan(target.trackingNumber, 'COLLECTED', at(new Date(), -2));
    const bad = { ...scan(target.trackingNumber, 'HUB_SCAN', at(new Date(), -1)), eventId: 'evt\u00001' };
    const res = await as(t.http, carrier.key).post('/v1/tracking-events', { events: [bad, good] });
    expect(res.status).toBe(200);
    expect(res.body.results[0]).toMatchObject({ result: 'invalid', errors: [{ code: 'VALIDATION_FAILED', field: 'eventId' }] });
    expect(res.body.results[1].result).toEqual(expect.stringMatching(/^(applied|recorded)$/));
  });

  it('answers a reused reference with 409 SHIPMENT_REFERENCE_EXISTS and keeps the first shipment', async () => {
    const shop = await createRetailer(t.http);
    const first = await bookShipment(t.http, shop, { reference: 'ORDER-42' });

    for (const reference of ['ORDER-42', '  ORDER-42  ']) {
      const res = await as(t.http, shop.key).post('/v1/shipments', bookingBody({ reference }));
      expect(res.status).toBe(409);
      expect(res.body.error.code).toBe('SHIPMENT_REFERENCE_EXISTS');
      expect(res.body.error.details).toContainEqual(expect.objectContaining({ field: 'reference' }));
    }
    const list = await as(t.http, shop.key).get('/v1/shipments?reference=ORDER-42');
    expect(list.body.data.map((s: { id: string }) => s.id)).toEqual([first.id]);
  });
});
