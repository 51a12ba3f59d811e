import request from 'supertest';
import { FxService } from '../../src/modules/country-rules/fx/fx.service';
import { createRetailer } from '../factories';
import { admin, createTestApp, TestApp } from '../utils/test-app';

describe('exchange rates (admin)', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp();
  });
  afterAll(() => t.close());

  it('starts from a dated seed in which every placeholder is marked unverified', async () => {
    const res = await admin(t.http).get('/v1/admin/fx-rates?on=2026-06-30');
    expect(res.status).toBe(200);
    const byCurrency = new Map(res.body.map((r: { currency: string }) => [r.currency, r]));
    expect(byCurrency.get('EUR')).toMatchObject({ unitsPerEur: 1, unverified: false, asOf: '2026-01-01' });
    for (const code of ['USD', 'GBP', 'JPY', 'BRL', 'KRW', 'XDR']) {
      expect(byCurrency.get(code)).toMatchObject({ currency: code, unverified: true, createdBy: 'seed' });
    }
    await expect(admin(t.http).get('/v1/admin/fx-rates?on=2025-12-31')).resolves.toMatchObject({ status: 200, body: [] });
  });

  it('applies a new rate from its own date on, keeps the old one before it, and records who wrote it', async () => {
    const created = await admin(t.http).post('/v1/admin/fx-rates', {
      currency: 'usd',
      unitsPerEur: 1.2,
      asOf: '2031-03-01',
      source: 'ECB reference rate 2031-03-01',
    });
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({ currency: 'USD', unitsPerEur: 1.2, asOf: '2031-03-01', unverified: false, createdBy: 'admin:bootstrap' });

    const before = await admin(t.http).get('/v1/admin/fx-rates?on=2031-02-28');
    const after = await admin(t.http).get('/v1/admin/fx-rates?on=2031-03-01');
    const usd = (body: { currency: string; unitsPerEur: number }[]) => body.find((r) => r.currency === 'USD');
    expect(usd(before.body)).toMatchObject({ unitsPerEur: 1.08, asOf: '2026-01-01' });
    expect(usd(after.body)).toMatchObject({ unitsPerEur: 1.2, asOf: '2031-03-01' });

    const fx = t.app.get(FxService);
    await expect(fx.convert(12_000, 'USD', 'EUR', new Date('2031-02-28T23:00:00Z'))).resolves.toMatchObject({ amountMinor: 11_111 });
    await expect(fx.convert(12_000, 'USD', 'EUR', new Date('2031-03-01T00:00:00Z'))).resolves.toMatchObject({
      amountMinor: 10_000,
      rates: [expect.objectContaining({ currency: 'USD', asOf: '2031-03-01' }), expect.objectContaining({ currency: 'EUR' })],
    });

    const history = await admin(t.http).get('/v1/admin/fx-rates/USD');
    expect(history.body.map((r: { asOf: string }) => r.asOf)).toEqual(['2031-03-01', '2026-01-01']);
  });

  it('refuses a second rate for the same currency and date: a correction carries its own date', async () => {
    const body = { currency: 'CHF', unitsPerEur: 0.93, asOf: '2031-04-01', source: 'SNB' };
    expect((await admin(t.http).post('/v1/admin/fx-rates', body)).status).toBe(201);
    const again = await admin(t.http).post('/v1/admin/fx-rates', { ...body, unitsPerEur: 0.95 });
    expect(again.status).toBe(409);
    expect(again.body.error).toMatchObject({ code: 'FX_RATE_EXISTS', details: [{ field: 'asOf' }] });
  });

  it.each([
    [{ currency: 'XYZ', unitsPerEur: 1, asOf: '2031-01-01', source: 's' }, 'currency'],
    [{ currency: 'USD', unitsPerEur: 0, asOf: '2031-01-01', source: 's' }, 'unitsPerEur'],
    [{ currency: 'USD', unitsPerEur: -2, asOf: '2031-01-01', source: 's' }, 'unitsPerEur'],
    [{ currency: 'USD', unitsPerEur: '1.1', asOf: '2031-01-01', source: 's' }, 'unitsPerEur'],
    [{ currency: 'USD', unitsPerEur: 1.1, asOf: '2031-13-01', source: 's' }, 'asOf'],
    [{ currency: 'USD', unitsPerEur: 1.1, asOf: '2031-01-01', source: '' }, 'source'],
    [{ currency: 'USD', unitsPerEur: 1.1, asOf: '2031-01-01' }, 'source'],
  ])('rejects %j with a field error on %s and writes nothing', async (body, field) => {
    const res = await admin(t.http).post('/v1/admin/fx-rates', body);
    expect(res.status).toBe(400);
    expect(res.body.error.code).toBe('VALIDATION_FAILED');
    expect(res.body.error.details).toEqual(expect.arrayContaining([expect.objectContaining({ field })]));
    await expect(admin(t.http).get('/v1/admin/fx-rates?on=2031-01-01')).resolves.toMatchObject({
      body: expect.not.arrayContaining([expect.objectContaining({ asOf: '2031-01-01' })]),
    });
  });

  it('answers a bad date or currency in the path or query with a field error', async () => {
    await expect(admin(t.http).get('/v1/admin/fx-rates?on=yesterday')).resolves.toMatchObject({ status: 400 });
    await expect(admin(t.http).get('/v1/admin/fx-rates/EURO')).resolves.toMatchObject({ status: 400 });
  });

  it('is for operators only: a retailer key gets 403 and no key 401', async () => {
    const retailer = await createRetailer(t.http);
    const asRetailer = await request(t.http).get('/v1/admin/fx-rates').set('Authorization', `Bearer ${retailer.key}`);
    expect(asRetailer.status).toBe(403);
    expect((await request(t.http).post('/v1/admin/fx-rates').send({})).status).toBe(401);
  });
});
