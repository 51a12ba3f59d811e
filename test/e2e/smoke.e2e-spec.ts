import { Test } from '@nestjs/testing';
import request from 'supertest';
import { AppModule } from '../../src/app.module';
import { loadAppConfig } from '../../src/config/app-config';
import { TEST_POOL_MAX, testDatabaseUrl } from '../utils/database';
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

describe('the worker role on its own', () => {
  it('boots without the HTTP modules and shuts down cleanly', async () => {
    const config = loadAppConfig(
      { NODE_ENV: 'test', DATABASE_URL: testDatabaseUrl(), DATABASE_POOL_MAX: String(TEST_POOL_MAX), LOG_LEVEL: 'silent', MIGRATIONS_RUN: 'false' },
      { role: 'worker' },
    );
    const moduleRef = await Test.createTestingModule({ imports: [AppModule.forRoot(config)] }).compile();
    const app = await moduleRef.init();
    await expect(app.close()).resolves.toBeUndefined();
  });
});
