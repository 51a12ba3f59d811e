import { startChildApp, ChildApp } from '../utils/child-app';
import { TEST_POOL_MAX, testDatabaseUrl } from '../utils/database';

const ADMIN = 'logs-test-admin-token-0123456789';
// Distinctive personal data, so that any trace of it in the logs is unmistakable.
const PII = {
  name: 'Zebulon Quixotic-Marchbanks',
  email: 'zebulon.quixotic@example.org',
  phone: '+4915198765432',
  street: 'Quellenweg 4711',
};

describe('logs', () => {
  let app: ChildApp;
  const call = (path: string, init: { method?: string; key?: string; body?: unknown } = {}) =>
    fetch(`${app.baseUrl}${path}`, {
      method: init.method ?? 'GET',
      headers: { 'Content-Type': 'application/json', ...(init.key ? { Authorization: `Bearer ${init.key}` } : {}) },
      body: init.body === undefined ? undefined : JSON.stringify(init.body),
    });

  beforeAll(async () => {
    app = await startChildApp({
      DATABASE_URL: testDatabaseUrl(),
      DATABASE_POOL_MAX: String(Math.min(TEST_POOL_MAX, 4)),
      ADMIN_TOKEN: ADMIN,
      LOG_LEVEL: 'debug',
      SEED_DEMO: 'false',
    });
  });
  afterAll(() => app?.stop());

  it('never contain consignee names, emails, phones or addresses, whatever the request does', async () => {
    const retailer = (await (await call('/v1/admin/retailers', { method: 'POST', key: ADMIN, body: { name: 'Log Test' } })).json()) as { id: string };
    const { key } = (await (await call(`/v1/admin/retailers/${retailer.id}/api-keys`, { method: 'POST', key: ADMIN, body: {} })).json()) as { key: string };
    const booking = {
      reference: `LOGS-${Date.now()}`,
      service: 'standard',
      incoterm: 'DDP',
      origin: { country: 'GB' },
      consignee: {
        name: PII.name,
        email: PII.email,
        phone: PII.phone,
        address: { lines: [PII.street], city: 'Berlin', postcode: '10115', country: 'DE' },
      },
      items: [{ description: 'Book', quantity: 1, unitValue: 1500, currency: 'EUR', originCountry: 'GB', weightGrams: 400 }],
      notify: { email: true, sms: true },
    };
    const booked = await call('/v1/shipments', { method: 'POST', key, body: booking });
    expect(booked.status).toBe(201);
    const { trackingNumber } = (await booked.json()) as { trackingNumber: string };

    // The same data through the paths that fail: a duplicate, a validation error, a public lookup.
    expect((await call('/v1/shipments', { method: 'POST', key, body: booking })).status).toBe(409);
    const invalid = { ...booking, consignee: { ...booking.consignee, phone: `${PII.phone}999999` } };
    expect((await call('/v1/shipments', { method: 'POST', key, body: invalid })).status).toBe(400);
    expect((await call(`/v1/track/${trackingNumber}?postcode=10115`)).status).toBe(200);

    // The CX desk's search takes personal data in its query string.
    for (const q of [PII.email, PII.phone]) expect((await call(`/v1/admin/search?q=${encodeURIComponent(q)}`, { key: ADMIN })).status).toBe(200);

    await new Promise((r) => setTimeout(r, 500)); // let pino flush
    const logs = app.output();
    expect(logs).toContain(`"path":"/v1/track/${trackingNumber}"`); // requests were logged, without the query
    expect(logs).toMatch(/"path":"\/v1\/shipments"/);
    expect(logs).toContain('"path":"/v1/admin/search"'); // the search was logged, without its query
    for (const value of Object.values(PII)) expect(logs).not.toContain(value);
    expect(logs).not.toContain('postcode=10115');
  });
});
