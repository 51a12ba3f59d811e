import request from 'supertest';
import { as, at, bookShipment, createCarrier, createRetailer, postScans, scan, TestCarrier, TestRetailer } from '../factories';
import { createTestApp, TEST_ADMIN_TOKEN, TestApp } from '../utils/test-app';

describe('tenant isolation and access control', () => {
  let t: TestApp;
  let owner: TestRetailer;
  let intruder: TestRetailer;
  let carrier: TestCarrier;

  beforeAll(async () => {
    t = await createTestApp();
    owner = await createRetailer(t.http);
    intruder = await createRetailer(t.http);
    carrier = await createCarrier(t.http);
  });
  afterAll(() => t.close());

  describe("another retailer's shipment", () => {
    const endpoints: [string, 'get' | 'post', (id: string) => string][] = [
      ['GET one', 'get', (id) => `/v1/shipments/${id}`],
      ['GET events', 'get', (id) => `/v1/shipments/${id}/events`],
      ['POST cancel', 'post', (id) => `/v1/shipments/${id}/cancel`],
      ['POST returns', 'post', (id) => `/v1/shipments/${id}/returns`],
    ];

    it.each(endpoints)('is a 404 SHIPMENT_NOT_FOUND on %s and the shipment is unchanged', async (_name, method, path) => {
      const shipment = await bookShipment(t.http, owner);
      const before = await as(t.http, owner.key).get(`/v1/shipments/${shipment.id}`);

      const res = await as(t.http, intruder.key)[method](path(shipment.id));
      expect(res.status).toBe(404);
      expect(res.body.error.code).toBe('SHIPMENT_NOT_FOUND');
      // The same answer as for an id that does not exist at all: nothing tells the two apart.
      const missing = await as(t.http, intruder.key)[method](path('00000000-0000-4000-8000-000000000000'));
      expect(missing.status).toBe(404);
      expect(missing.body.error).toEqual(res.body.error);

      const after = await as(t.http, owner.key).get(`/v1/shipments/${shipment.id}`);
      expect(after.body).toEqual(before.body);
      const timeline = await as(t.http, owner.key).get(`/v1/shipments/${shipment.id}/events`);
      expect(timeline.body).toEqual({ status: 'booked', events: [] });
    });

    it('is a 404 for cancel and returns on a delivered shipment too, and neither is applied', async () => {
      const shipment = await bookShipment(t.http, owner);
      const now = Date.now();
      await postScans(t.http, carrier.key, [
        scan(shipment.trackingNumber, 'COLLECTED', at(new Date(now), -120)),
        scan(shipment.trackingNumber, 'DELIVERED', at(new Date(now), -60)),
      ]);

      const returned = await as(t.http, intruder.key).post(`/v1/shipments/${shipment.id}/returns`);
      expect(returned.status).toBe(404);
      const cancelled = await as(t.http, intruder.key).post(`/v1/shipments/${shipment.id}/cancel`);
      expect(cancelled.status).toBe(404);

      const after = await as(t.http, owner.key).get(`/v1/shipments/${shipment.id}`);
      expect(after.body).toMatchObject({ status: 'delivered', returnReference: null });
    });

    it('never appears in the list or under its reference filter', async () => {
      const shipment = await bookShipment(t.http, owner);

      const list = await as(t.http, intruder.key).get('/v1/shipments?limit=100');
      expect(list.status).toBe(200);
      expect(list.body.data.map((s: { id: string }) => s.id)).not.toContain(shipment.id);

      const byReference = await as(t.http, intruder.key).get(`/v1/shipments?reference=${encodeURIComponent(shipment.reference)}`);
      expect(byReference.status).toBe(200);
      expect(byReference.body).toEqual({ data: [], nextCursor: null });

      const ownView = await as(t.http, owner.key).get(`/v1/shipments?reference=${encodeURIComponent(shipment.reference)}`);
      expect(ownView.body.data.map((s: { id: string }) => s.id)).toEqual([shipment.id]);
    });

    it('lets both retailers use the same reference without seeing each other', async () => {
      const reference = `SHARED-${Date.now()}`;
      const mine = await bookShipment(t.http, owner, { reference });
      const theirs = await bookShipment(t.http, intruder, { reference });
      expect(mine.id).not.toBe(theirs.id);

      const list = await as(t.http, intruder.key).get(`/v1/shipments?reference=${reference}`);
      expect(list.body.data.map((s: { id: string }) => s.id)).toEqual([theirs.id]);
    });
  });

  describe('kinds of key', () => {
    it('forbids a carrier key on every retailer endpoint with 403', async () => {
      const shipment = await bookShipment(t.http, owner);
      const carrierCalls = [
        as(t.http, carrier.key).get('/v1/shipments'),
        as(t.http, carrier.key).post('/v1/shipments', {}),
        as(t.http, carrier.key).get(`/v1/shipments/${shipment.id}`),
        as(t.http, carrier.key).get(`/v1/shipments/${shipment.id}/events`),
        as(t.http, carrier.key).post(`/v1/shipments/${shipment.id}/cancel`),
        as(t.http, carrier.key).post(`/v1/shipments/${shipment.id}/returns`),
      ];
      for (const call of carrierCalls) {
        const res = await call;
        expect(res.status).toBe(403);
        expect(res.body.error.code).toBe('FORBIDDEN');
      }
      const after = await as(t.http, owner.key).get(`/v1/shipments/${shipment.id}`);
      expect(after.body.status).toBe('booked');
    });

    it('forbids retailer and carrier keys on admin endpoints with 403', async () => {
      for (const key of [owner.key, carrier.key]) {
        const calls = [
          as(t.http, key).get('/v1/admin/retailers'),
          as(t.http, key).post('/v1/admin/retailers', { name: 'Sneaky' }),
          as(t.http, key).get(`/v1/admin/retailers/${owner.id}`),
          as(t.http, key).patch(`/v1/admin/retailers/${owner.id}`, { returnWindowDays: 365 }),
          as(t.http, key).post(`/v1/admin/retailers/${owner.id}/api-keys`, {}),
          as(t.http, key).get(`/v1/admin/retailers/${owner.id}/api-keys`),
          as(t.http, key).get('/v1/admin/carriers'),
          as(t.http, key).post(`/v1/admin/carriers/${carrier.id}/api-keys`, {}),
        ];
        for (const call of calls) {
          const res = await call;
          expect(res.status).toBe(403);
          expect(res.body.error.code).toBe('FORBIDDEN');
        }
      }
      const retailer = await as(t.http, TEST_ADMIN_TOKEN).get(`/v1/admin/retailers/${owner.id}`);
      expect(retailer.body.returnWindowDays).toBe(30);
    });

    it('answers 401 UNAUTHENTICATED without a key, with an unknown key, or with a malformed header', async () => {
      const shipment = await bookShipment(t.http, owner);
      const attempts = [
        request(t.http).get(`/v1/shipments/${shipment.id}`),
        request(t.http).get(`/v1/shipments/${shipment.id}`).set('Authorization', 'Bearer psg_live_not-a-real-key'),
        request(t.http).get(`/v1/shipments/${shipment.id}`).set('Authorization', owner.key),
        request(t.http).get(`/v1/shipments/${shipment.id}`).set('Authorization', `Basic ${owner.key}`),
        request(t.http).post('/v1/tracking-events').send({ events: [] }),
        request(t.http).get('/v1/admin/retailers').set('Authorization', 'Bearer wrong-admin-token'),
      ];
      for (const attempt of attempts) {
        const res = await attempt;
        expect(res.status).toBe(401);
        expect(res.body.error.code).toBe('UNAUTHENTICATED');
      }
    });
  });

  describe('API keys', () => {
    it('lists keys without their secrets', async () => {
      const retailer = await createRetailer(t.http);
      const second = await as(t.http, TEST_ADMIN_TOKEN).post(`/v1/admin/retailers/${retailer.id}/api-keys`, { name: 'second' });
      expect(second.status).toBe(201);
      expect(second.body.key).toMatch(/^psg_live_/);

      const res = await as(t.http, TEST_ADMIN_TOKEN).get(`/v1/admin/retailers/${retailer.id}/api-keys`);
      expect(res.status).toBe(200);
      expect(res.body).toHaveLength(2);
      for (const listed of res.body) {
        expect(Object.keys(listed).sort()).toEqual(['createdAt', 'id', 'name', 'prefix', 'revokedAt']);
        expect(retailer.key.startsWith(listed.prefix) || second.body.key.startsWith(listed.prefix)).toBe(true);
      }
      const text = JSON.stringify(res.body);
      expect(text).not.toContain(retailer.key);
      expect(text).not.toContain(second.body.key);
    });

    it('rejects a revoked key with 401 on the very next request, while the retailer\'s other keys keep working', async () => {
      const retailer = await createRetailer(t.http);
      const spare = await as(t.http, TEST_ADMIN_TOKEN).post(`/v1/admin/retailers/${retailer.id}/api-keys`, { name: 'spare' });
      const shipment = await bookShipment(t.http, retailer);
      // Warm any cache of the key first: revocation must still take effect at once.
      const warm = await as(t.http, retailer.key).get(`/v1/shipments/${shipment.id}`);
      expect(warm.status).toBe(200);

      const keys = await as(t.http, TEST_ADMIN_TOKEN).get(`/v1/admin/retailers/${retailer.id}/api-keys`);
      const keyId = keys.body.find((k: { id: string; prefix: string }) => k.id !== spare.body.id).id;
      const revoked = await as(t.http, TEST_ADMIN_TOKEN).delete(`/v1/admin/retailers/${retailer.id}/api-keys/${keyId}`);
      expect(revoked.status).toBe(204);

      const rejected = await as(t.http, retailer.key).get(`/v1/shipments/${shipment.id}`);
      expect(rejected.status).toBe(401);
      expect(rejected.body.error.code).toBe('UNAUTHENTICATED');
      const stillWorks = await as(t.http, spare.body.key).get(`/v1/shipments/${shipment.id}`);
      expect(stillWorks.status).toBe(200);

      const listed = await as(t.http, TEST_ADMIN_TOKEN).get(`/v1/admin/retailers/${retailer.id}/api-keys`);
      expect(listed.body.find((k: { id: string }) => k.id === keyId).revokedAt).toEqual(expect.any(String));
      const again = await as(t.http, TEST_ADMIN_TOKEN).delete(`/v1/admin/retailers/${retailer.id}/api-keys/${keyId}`);
      expect(again.status).toBe(404);
    });

    it("will not revoke a key through another retailer's id", async () => {
      const victim = await createRetailer(t.http);
      const keys = await as(t.http, TEST_ADMIN_TOKEN).get(`/v1/admin/retailers/${victim.id}/api-keys`);
      const res = await as(t.http, TEST_ADMIN_TOKEN).delete(`/v1/admin/retailers/${owner.id}/api-keys/${keys.body[0].id}`);
      expect(res.status).toBe(404);
      const stillWorks = await as(t.http, victim.key).get('/v1/shipments');
      expect(stillWorks.status).toBe(200);
    });
  });
});
