import { DataSource } from 'typeorm';
import { FixedClock } from '../../src/common/clock/clock';
import { ComplianceService } from '../../src/modules/country-rules/compliance/compliance.service';
import { RulesCache } from '../../src/modules/country-rules/rules-cache';
import { PrivacyService } from '../../src/modules/cx/privacy/privacy.service';
import { contactHash } from '../../src/modules/notifications/planner/contact-hash';
import { PlannerRepository } from '../../src/modules/notifications/planner/planner.repository';
import { PlannerService } from '../../src/modules/notifications/planner/planner.service';
import type { WebhookEndpointsService } from '../../src/modules/notifications/webhooks/webhook-endpoints.service';
import { as, bookingBody, createCarrier, createRetailer, postScans, scan, TestCarrier, TestRetailer } from '../factories';
import { admin, createTestApp, TEST_ADMIN_TOKEN, TestApp } from '../utils/test-app';

const NOW = new Date('2026-11-24T12:00:00.000Z');
const DAY = 86_400_000;

describe('privacy: erasure and retention', () => {
  let t: TestApp;
  let db: DataSource;
  let clock: FixedClock;
  let retailer: TestRetailer;
  let other: TestRetailer;
  let carrier: TestCarrier;
  let planner: PlannerService;
  let privacy: PrivacyService;

  beforeAll(async () => {
    clock = new FixedClock(NOW);
    t = await createTestApp({ clock, env: { PUBLIC_BASE_URL: 'https://passage.test' } });
    db = t.app.get(DataSource);
    [retailer, other, carrier] = await Promise.all([createRetailer(t.http), createRetailer(t.http), createCarrier(t.http)]);
    const noWebhooks = { endpointsFor: async () => [] } as unknown as WebhookEndpointsService;
    planner = new PlannerService(db, new PlannerRepository(), t.app.get(RulesCache), t.app.get(ComplianceService), noWebhooks, clock, t.config);
    privacy = t.app.get(PrivacyService);
  });
  afterAll(() => t.close());

  const plan = async () => {
    await db.query(`UPDATE journey_events SET planned_at = now() WHERE planned_at IS NULL AND NOT (retailer_id = ANY($1::uuid[]))`, [[retailer.id, other.id]]);
    while ((await planner.planOnce(500)).events > 0);
  };
  const person = (email: string, phone: string) => ({
    name: 'Erika Mustermann',
    email,
    phone,
    locale: 'de-DE',
    taxId: 'DE123456789',
    address: { lines: ['Invalidenstraße 116'], city: 'Berlin', postcode: '10115', country: 'DE' },
  });
  const book = async (by: TestRetailer, consignee: object) => {
    const res = await as(t.http, by.key).post('/v1/shipments', bookingBody({ consignee }));
    expect(res.status).toBe(201);
    return res.body as { id: string; trackingNumber: string };
  };

  describe('POST /v1/admin/consignees/erase', () => {
    const email = `Erika.${Date.now()}@Example.com`;
    const phone = '+4915199887766';
    let mine: Array<{ id: string; trackingNumber: string }>;
    let someoneElse: { id: string; trackingNumber: string };

    beforeAll(async () => {
      mine = [await book(retailer, person(email, phone)), await book(other, person(email.toLowerCase(), phone))];
      someoneElse = await book(retailer, person(`max.${Date.now()}@example.com`, '+4915199887700'));
      await postScans(t.http, carrier.key, [...mine, someoneElse].map((s) => scan(s.trackingNumber, 'DELIVERED', NOW.toISOString(), { raw: { signedBy: 'E. Mustermann' } })));
      await plan();
      await db.query(`UPDATE surveys SET used_at = $2, csat = 2, ces = 6, comment = 'Der Fahrer war unfreundlich.' WHERE shipment_id = $1`, [mine[0].id, NOW]);
      for (const [shipmentId, body] of [
        [mine[0].id, 'Where is my parcel? This is Erika.'],
        [null, 'Hallo, hier ist Erika'],
      ] as const) {
        await db.query(`INSERT INTO customer_replies (retailer_id, shipment_id, channel, contact_hash, body) VALUES ($1, $2, 'sms', $3, $4)`, [
          retailer.id,
          shipmentId,
          contactHash('sms', phone),
          body,
        ]);
      }
      // A message still waiting when the erasure comes is never sent.
      await db.query(`UPDATE messages SET status = 'pending' WHERE shipment_id = $1 AND channel = 'sms' AND audience = 'consignee'`, [mine[0].id]);
    });

    it('pseudonymises the consignee across shipments, messages, replies and surveys, keeping the aggregates', async () => {
      const before = await db.query(`SELECT channel, template, status FROM messages WHERE shipment_id = ANY($1::uuid[]) AND audience = 'consignee' ORDER BY id`, [mine.map((s) => s.id)]);
      expect(before.length).toBeGreaterThan(0);

      const res = await admin(t.http).post('/v1/admin/consignees/erase', { email: email.toUpperCase() });
      expect(res.status).toBe(200);
      expect(res.body).toEqual({ subject: contactHash('email', email), shipments: 2, messages: before.length, replies: 2, surveys: 1 });

      for (const s of mine) {
        const [row] = await db.query(`SELECT consignee, consignee_postcode_key, status, destination_country, pii_erased_at FROM shipments WHERE id = $1`, [s.id]);
        expect(row).toEqual({
          consignee: { name: 'Erased', erased: true, locale: 'de-DE', address: { lines: ['Erased'], city: 'Berlin', country: 'DE' } },
          consignee_postcode_key: null,
          status: 'delivered',
          destination_country: 'DE',
          pii_erased_at: NOW,
        });
      }
      const messages = await db.query(
        `SELECT channel, template, status, skip_reason, recipient, payload, dedupe_key FROM messages WHERE shipment_id = ANY($1::uuid[]) AND audience = 'consignee' ORDER BY id`,
        [mine.map((s) => s.id)],
      );
      expect(messages.map((m: { channel: string; template: string }) => [m.channel, m.template])).toEqual(before.map((m: { channel: string; template: string }) => [m.channel, m.template]));
      for (const m of messages) {
        expect(m.recipient).toBe('erased');
        expect(m.payload).toEqual({ kind: expect.any(String), erased: true });
        expect(JSON.stringify(m)).not.toMatch(/erika|4915199887766/i);
      }
      expect(messages).toContainEqual(expect.objectContaining({ channel: 'sms', status: 'skipped', skip_reason: 'erased' }));
      const replies = await db.query(`SELECT body, wismo, contact_hash FROM customer_replies WHERE retailer_id = $1 AND (shipment_id = $2 OR shipment_id IS NULL) ORDER BY received_at`, [
        retailer.id,
        mine[0].id,
      ]);
      // The reply about the shipment keeps what it meant; the one about no shipment is reached by the phone on her shipments.
      expect(replies).toEqual([
        { body: '[erased]', wismo: true, contact_hash: 'erased' },
        { body: '[erased]', wismo: false, contact_hash: 'erased' },
      ]);
      await expect(db.query(`SELECT csat, ces, comment FROM surveys WHERE shipment_id = $1`, [mine[0].id])).resolves.toEqual([{ csat: 2, ces: 6, comment: null }]);
      await expect(db.query(`SELECT count(*)::int AS n FROM tracking_events WHERE shipment_id = ANY($1::uuid[]) AND raw IS NOT NULL`, [mine.map((s) => s.id)])).resolves.toEqual([{ n: 0 }]);

      const untouched = await as(t.http, retailer.key).get(`/v1/shipments/${someoneElse.id}`);
      expect(untouched.body.consignee.name).toBe('Erika Mustermann');
      const shown = await as(t.http, retailer.key).get(`/v1/shipments/${mine[0].id}`);
      expect(shown.body.consignee).toMatchObject({ name: 'Erased' });
      expect(shown.body.consignee.email).toBeUndefined();
    });

    it('reaches replies by a phone on no shipment, and audits under the hash only', async () => {
      const stranger = '+4915199880099';
      await db.query(`INSERT INTO customer_replies (retailer_id, shipment_id, channel, contact_hash, body) VALUES ($1, NULL, 'sms', $2, 'Wer sind Sie?')`, [
        retailer.id,
        contactHash('sms', stranger),
      ]);
      const res = await admin(t.http).post('/v1/admin/consignees/erase', { phone: stranger });
      expect(res.status).toBe(200);
      expect(res.body).toEqual({ subject: contactHash('sms', stranger), shipments: 0, messages: 0, replies: 1, surveys: 0 });
      await expect(db.query(`SELECT count(*)::int AS n FROM customer_replies WHERE body IN ('Wer sind Sie?', 'Hallo, hier ist Erika')`)).resolves.toEqual([{ n: 0 }]);

      const audit = await admin(t.http).get('/v1/admin/audit?targetType=consignee');
      const entries = audit.body.data.filter((e: { targetId: string }) => [contactHash('email', email), contactHash('sms', stranger)].includes(e.targetId));
      expect(entries.map((e: { action: string }) => e.action)).toEqual(['consignee.erased', 'consignee.erased']);
      expect(JSON.stringify(entries)).not.toMatch(/erika|example\.com|4915199887766|4915199880099/i);
    });

    it('needs exactly one valid contact, and the supervisor or admin role', async () => {
      for (const [body, field] of [
        [{}, 'email'],
        [{ email: 'a@example.com', phone: '+4915199887766' }, 'phone'],
        [{ email: 'not-an-email' }, 'email'],
        [{ phone: '0151 99887766' }, 'phone'],
      ] as const) {
        const res = await admin(t.http).post('/v1/admin/consignees/erase', body);
        expect({ body, status: res.status, fields: res.body.error?.details?.map((d: { field: string }) => d.field) }).toEqual({ body, status: 400, fields: [field] });
      }
      const agent = await admin(t.http).post('/v1/admin/users', { email: `privacy-agent-${Date.now()}@passage.test`, name: 'Agent', role: 'agent' });
      await expect(as(t.http, agent.body.token.key).post('/v1/admin/consignees/erase', { email })).resolves.toMatchObject({ status: 403 });
      await expect(as(t.http, retailer.key).post('/v1/admin/consignees/erase', { email })).resolves.toMatchObject({ status: 403 });
    });
  });

  describe('retention', () => {
    it("strips personal data a retailer's number of days after the final status, in batches, and leaves the rest", async () => {
      const res = await as(t.http, TEST_ADMIN_TOKEN).patch(`/v1/admin/retailers/${retailer.id}/privacy`, { piiRetentionDays: 30 });
      expect(res.status).toBe(200);
      expect(res.body).toEqual({ retailerId: retailer.id, piiRetentionDays: 30 });
      const audit = await admin(t.http).get(`/v1/admin/audit?targetType=retailer&targetId=${retailer.id}`);
      expect(audit.body.data[0]).toMatchObject({ action: 'retailer.pii_retention_updated', before: { piiRetentionDays: 180 }, after: { piiRetentionDays: 30 } });

      const old = await book(retailer, person(`old.${Date.now()}@example.com`, '+4915199880001'));
      const recent = await book(retailer, person(`recent.${Date.now()}@example.com`, '+4915199880002'));
      const onTheWay = await book(retailer, person(`way.${Date.now()}@example.com`, '+4915199880003'));
      const otherOld = await book(other, person(`other.${Date.now()}@example.com`, '+4915199880004')); // default: 180 days
      await postScans(t.http, carrier.key, [old, recent, otherOld].map((s) => scan(s.trackingNumber, 'DELIVERED', NOW.toISOString())));
      await db.query(`UPDATE shipments SET status_changed_at = $2 WHERE id = ANY($1::uuid[])`, [[old.id, otherOld.id], new Date(NOW.getTime() - 40 * DAY)]);
      await db.query(`UPDATE shipments SET status_changed_at = $2 WHERE id = $1`, [recent.id, new Date(NOW.getTime() - 10 * DAY)]);
      await db.query(`UPDATE shipments SET status_changed_at = $2 WHERE id = $1`, [onTheWay.id, new Date(NOW.getTime() - 400 * DAY)]);

      await privacy.applyRetention();
      const erased = await db.query(`SELECT id FROM shipments WHERE id = ANY($1::uuid[]) AND pii_erased_at IS NOT NULL`, [[old.id, recent.id, onTheWay.id, otherOld.id]]);
      expect(erased).toEqual([{ id: old.id }]);
      await expect(privacy.retentionBatch()).resolves.toMatchObject({ shipments: 0 });

      clock.set(new Date(NOW.getTime() + 141 * DAY)); // otherOld is now 181 days past delivery
      await privacy.applyRetention();
      await expect(db.query(`SELECT pii_erased_at IS NOT NULL AS erased FROM shipments WHERE id = $1`, [otherOld.id])).resolves.toEqual([{ erased: true }]);
      clock.set(NOW);
    });

    it('refuses a retention out of range, and an unknown retailer', async () => {
      await expect(as(t.http, TEST_ADMIN_TOKEN).patch(`/v1/admin/retailers/${retailer.id}/privacy`, { piiRetentionDays: 0 })).resolves.toMatchObject({ status: 400 });
      await expect(as(t.http, TEST_ADMIN_TOKEN).patch('/v1/admin/retailers/6f1c2d9e-5b7a-4a0e-9c51-2b8f3e7d4a10/privacy', { piiRetentionDays: 90 })).resolves.toMatchObject({ status: 404 });
    });
  });
});
