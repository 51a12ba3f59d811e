import request from 'supertest';
import { bookShipment, createRetailer } from '../factories';
import { createTestApp, TestApp } from '../utils/test-app';

describe('smoke', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp();
  });
  afterAll(() => t.close());

  it('books a shipment and reads it back', async () => {
    const retailer = await createRetailer(t.http);
    const shipment = await bookShipment(t.http, retailer);
    const res = await request(t.http).get(`/v1/shipments/${shipment.id}`).set('Authorization', `Bearer ${retailer.key}`);
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ id: shipment.id, status: 'booked', trackingNumber: shipment.trackingNumber });
  });
});
