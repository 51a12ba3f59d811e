import request from 'supertest';
import { DataSource } from 'typeorm';
import { FixedClock } from '../../src/common/clock/clock';
import { ComplianceService } from '../../src/modules/country-rules/compliance/compliance.service';
import { RulesCache } from '../../src/modules/country-rules/rules-cache';
import { PlannerRepository } from '../../src/modules/notifications/planner/planner.repository';
import { PlannerService } from '../../src/modules/notifications/planner/planner.service';
import type { WebhookEndpointsService } from '../../src/modules/notifications/webhooks/webhook-endpoints.service';
import { as, bookingBody, createCarrier, createRetailer, postScans, scan, TestCarrier, TestRetailer } from '../factories';
import { createTestApp, TestApp } from '../utils/test-app';

const NOON = new Date('2026-11-24T12:00:00.000Z');
const BASE = 'https://passage.test';

describe('delivery surveys', () => {
  let t: TestApp;
  let db: DataSource;
  let clock: FixedClock;
  let retailer: TestRetailer;
  let carrier: TestCarrier;
  let planner: PlannerService;

  beforeAll(async () => {
    clock = new FixedClock(NOON);
    t = await createTestApp({ clock, env: { PUBLIC_BASE_URL: BASE } });
    db = t.app.get(DataSource);
    [retailer, carrier] = await Promise.all([createRetailer(t.http, { name: 'Acme <Outdoor>' }), createCarrier(t.http)]);
    const noWebhooks = { endpointsFor: async () => [] } as unknown as WebhookEndpointsService;
    planner = new PlannerService(db, new PlannerRepository(), t.app.get(RulesCache), t.app.get(ComplianceService), noWebhooks, clock, t.config);
  });
  afterAll(() => t.close());

  const plan = async () => {
    await db.query(`UPDATE journey_events SET planned_at = now() WHERE planned_at IS NULL AND retailer_id <> $1`, [retailer.id]);
    while ((await planner.planOnce(500)).events > 0);
  };
  /** Books and delivers a parcel, plans its messages, and returns the survey link its delivered email carries. */
  const deliver = async (overrides: Record<string, unknown> = {}) => {
    const res = await as(t.http, retailer.key).post('/v1/shipments', bookingBody(overrides));
    expect(res.status).toBe(201);
    const s = res.body as { id: string; trackingNumber: string };
    await postScans(t.http, carrier.key, [scan(s.trackingNumber, 'DELIVERED', NOON.toISOString())]);
    await plan();
    const [email] = await db.query(`SELECT payload FROM messages WHERE shipment_id = $1 AND template = 'delivered' AND channel = 'email'`, [s.id]);
    const link = email ? (/https:\/\/passage\.test\/v1\/surveys\/[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+/.exec(email.payload.html)?.[0] ?? null) : null;
    return { shipment: s, link, path: link?.slice(BASE.length) ?? '' };
  };
  const json = (path: string) => request(t.http).get(path).set('Accept', 'application/json');
  const answer = (path: string, body: object) => request(t.http).post(path).set('Accept', 'application/json').send(body);

  it('puts a signed survey link in the delivered message, and records one survey however often delivery is replayed', async () => {
    const { shipment, link } = await deliver();
    expect(link).toEqual(expect.stringMatching(/^https:\/\/passage\.test\/v1\/surveys\//));
    const [sms] = await db.query(`SELECT payload FROM messages WHERE shipment_id = $1 AND template = 'delivered' AND channel = 'sms'`, [shipment.id]);
    expect(sms.payload.body).toContain(link);
    const [event] = await db.query(`SELECT * FROM journey_events WHERE shipment_id = $1 AND type = 'shipment.delivered'`, [shipment.id]);
    await db.query(`INSERT INTO journey_events (shipment_id, retailer_id, type, payload, occurred_at) VALUES ($1, $2, $3, $4, $5)`, [
      event.shipment_id,
      event.retailer_id,
      event.type,
      event.payload,
      event.occurred_at,
    ]);
    await plan();
    await expect(db.query(`SELECT count(*)::int AS n, min(expires_at) AS expires FROM surveys WHERE shipment_id = $1`, [shipment.id])).resolves.toEqual([
      { n: 1, expires: new Date('2026-12-24T12:00:00.000Z') },
    ]);
  });

  it('offers no survey when no delivered message goes out', async () => {
    const { shipment, link } = await deliver({ notify: { email: false, sms: false } });
    expect(link).toBeNull();
    await expect(db.query(`SELECT count(*)::int AS n FROM surveys WHERE shipment_id = $1`, [shipment.id])).resolves.toEqual([{ n: 0 }]);
  });

  it('shows an HTML form by default and JSON on request, with the shop’s name escaped', async () => {
    const { path } = await deliver();
    const page = await request(t.http).get(path);
    expect(page.status).toBe(200);
    expect(page.headers['content-type']).toMatch(/text\/html/);
    expect(page.text).toContain('Acme &lt;Outdoor&gt;');
    expect(page.text).toContain('name="csat" value="5"');
    expect(page.text).toContain('name="ces" value="7"');
    const res = await json(path);
    expect(res.status).toBe(200);
    expect(res.body).toEqual({ status: 'open', retailerName: 'Acme <Outdoor>', expiresAt: '2026-12-24T12:00:00.000Z', answeredAt: null, scales: { csat: { min: 1, max: 5 }, ces: { min: 1, max: 7 } } });
  });

  it('records CSAT, CES and a comment once, and answers 409 the second time', async () => {
    const { shipment, path } = await deliver();
    const first = await answer(path, { csat: 4, ces: 2, comment: '  Quick and friendly.  ' });
    expect(first.status).toBe(200);
    expect(first.body).toMatchObject({ status: 'answered', answeredAt: NOON.toISOString() });
    const second = await answer(path, { csat: 1, ces: 7 });
    expect(second.status).toBe(409);
    expect(second.body.error.code).toBe('SURVEY_ALREADY_ANSWERED');
    await expect(db.query(`SELECT csat, ces, comment FROM surveys WHERE shipment_id = $1`, [shipment.id])).resolves.toEqual([{ csat: 4, ces: 2, comment: 'Quick and friendly.' }]);
    await expect(json(path)).resolves.toMatchObject({ status: 200, body: { status: 'answered' } });
  });

  it('takes a plain form post and thanks in HTML', async () => {
    const { shipment, path } = await deliver();
    const res = await request(t.http).post(path).type('form').set('Accept', 'text/html').send({ csat: '5', ces: '1', comment: '' });
    expect(res.status).toBe(200);
    expect(res.text).toContain('Thank you!');
    await expect(db.query(`SELECT csat, ces, comment FROM surveys WHERE shipment_id = $1`, [shipment.id])).resolves.toEqual([{ csat: 5, ces: 1, comment: null }]);
    const again = await request(t.http).post(path).type('form').send({ csat: '5', ces: '1' });
    expect(again.status).toBe(409);
    expect(again.text).toContain('already been answered');
  });

  it('answers 410 once the link has expired, and 404 for a link Passage did not sign', async () => {
    const { shipment, path } = await deliver();
    await db.query(`UPDATE surveys SET expires_at = $2 WHERE shipment_id = $1`, [shipment.id, new Date(NOON.getTime() - 1)]);
    await expect(json(path)).resolves.toMatchObject({ status: 410, body: { error: { code: 'SURVEY_EXPIRED' } } });
    await expect(answer(path, { csat: 5, ces: 1 })).resolves.toMatchObject({ status: 410 });
    await expect(db.query(`SELECT used_at FROM surveys WHERE shipment_id = $1`, [shipment.id])).resolves.toEqual([{ used_at: null }]);

    const [body, signature] = path.split('/').pop()!.split('.');
    const forged = `/v1/surveys/${body}.${signature.slice(0, -2)}${signature.endsWith('AA') ? 'BB' : 'AA'}`;
    await expect(json(forged)).resolves.toMatchObject({ status: 404, body: { error: { code: 'SURVEY_NOT_FOUND' } } });
    await expect(answer('/v1/surveys/not-a-token', { csat: 5, ces: 1 })).resolves.toMatchObject({ status: 404 });
    const html = await request(t.http).get('/v1/surveys/not-a-token');
    expect(html.status).toBe(404);
    expect(html.text).toContain('not valid');
  });

  it('is rate-limited per client IP like every public route', async () => {
    const limited = await createTestApp({ clock, env: { PUBLIC_BASE_URL: BASE, PUBLIC_RATE_LIMIT_PER_MINUTE: '3' } });
    try {
      const statuses: number[] = [];
      for (let i = 0; i < 4; i++) statuses.push((await request(limited.http).get('/v1/surveys/not-a-token').set('Accept', 'application/json')).status);
      expect(statuses).toEqual([404, 404, 404, 429]);
    } finally {
      await limited.close();
    }
  });

  it('rejects scores out of range with field-level 400s', async () => {
    const { path } = await deliver();
    for (const [body, field] of [
      [{ csat: 6, ces: 1 }, 'csat'],
      [{ csat: 0, ces: 1 }, 'csat'],
      [{ csat: 3, ces: 8 }, 'ces'],
      [{ csat: 3 }, 'ces'],
      [{ csat: 3, ces: 3, comment: 'x'.repeat(1001) }, 'comment'],
      [{ csat: 3, ces: 3, extra: true }, 'extra'],
    ] as const) {
      const res = await answer(path, body);
      expect({ field, status: res.status, fields: res.body.error?.details?.map((d: { field: string }) => d.field) }).toEqual({ field, status: 400, fields: [field] });
    }
    await expect(json(path)).resolves.toMatchObject({ body: { status: 'open' } });
  });
});
