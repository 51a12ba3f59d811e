import { DateTime } from 'luxon';
import { DataSource } from 'typeorm';
import { FixedClock } from '../../src/common/clock/clock';
import { ComplianceService } from '../../src/modules/country-rules/compliance/compliance.service';
import { RulesCache } from '../../src/modules/country-rules/rules-cache';
import { EddRepository } from '../../src/modules/cx/edd/edd.repository';
import { EddService, OBSERVED_TTL_MS } from '../../src/modules/cx/edd/edd.service';
import { laneExpectation } from '../../src/modules/cx/edd/lane-expectations';
import { PlannerRepository } from '../../src/modules/notifications/planner/planner.repository';
import { PlannerService } from '../../src/modules/notifications/planner/planner.service';
import type { WebhookEndpointsService } from '../../src/modules/notifications/webhooks/webhook-endpoints.service';
import { as, bookingBody, createCarrier, createRetailer, postScans, scan, TestCarrier, TestRetailer } from '../factories';
import { createTestApp, TestApp } from '../utils/test-app';

const HOUR = 3_600_000;
const DAY = 24 * HOUR;
// Monday 5 April 2027, 08:00 in Berlin (UTC+2).
const T0 = new Date('2027-04-05T06:00:00Z');
const BERLIN = 'Europe/Berlin';
const localDay = (at: Date | number) => DateTime.fromMillis(typeof at === 'number' ? at : at.getTime(), { zone: BERLIN }).toISODate();

type Revision = { change: string; slipDays: number; estimatedDelivery: { fromDate: string; toDate: string; basis: string; samples: number } };

describe('the estimated delivery date', () => {
  let t: TestApp;
  let db: DataSource;
  let clock: FixedClock;
  let retailer: TestRetailer;
  let carrier: TestCarrier;
  let edd: EddService;
  let planner: PlannerService;

  beforeAll(async () => {
    clock = new FixedClock(T0);
    t = await createTestApp({ clock, env: { PUBLIC_BASE_URL: 'https://passage.test' } });
    db = t.app.get(DataSource);
    retailer = await createRetailer(t.http);
    carrier = await createCarrier(t.http);
    edd = new EddService(db, new EddRepository(), t.app.get(RulesCache), clock, t.config);
    const noWebhooks = { endpointsFor: async () => [] } as unknown as WebhookEndpointsService;
    planner = new PlannerService(db, new PlannerRepository(), t.app.get(RulesCache), t.app.get(ComplianceService), noWebhooks, clock, t.config);
  });
  afterAll(() => t.close());

  const book = async (origin = 'GB') => {
    const res = await as(t.http, retailer.key).post('/v1/shipments', origin === 'GB' ? bookingBody() : bookingBody({ origin: { country: origin, city: 'Reykjavík', postcode: '101' } }));
    expect(res.status).toBe(201);
    return res.body as { id: string; trackingNumber: string };
  };
  const scanAt = async (trackingNumber: string, code: string, at: Date, extra: Record<string, unknown> = {}) => {
    clock.set(at);
    const res = await postScans(t.http, carrier.key, [scan(trackingNumber, code, at.toISOString(), extra)]);
    expect(res.status).toBe(200);
  };
  const revise = async () => {
    while ((await edd.processOnce(500)).events > 0);
  };
  const plan = async () => {
    await db.query(`UPDATE journey_events SET planned_at = now() WHERE planned_at IS NULL AND retailer_id <> $1`, [retailer.id]);
    while ((await planner.planOnce(500)).events > 0);
  };
  const revisionsOf = async (shipmentId: string): Promise<Revision[]> =>
    (await db.query(`SELECT payload FROM journey_events WHERE shipment_id = $1 AND type = 'shipment.edd_revised' ORDER BY id`, [shipmentId])).map(
      (r: { payload: Revision }) => r.payload,
    );
  const estimateOf = async (shipmentId: string) => {
    const res = await as(t.http, retailer.key).get(`/v1/shipments/${shipmentId}`).expect(200);
    const e = res.body.estimatedDelivery as { from: string; to: string } | null;
    return e ? [localDay(new Date(e.from)), localDay(new Date(e.to))] : null;
  };

  it('revises on scans that change the outlook and messages only a slip of a day or "today"', async () => {
    const lane = laneExpectation((await t.app.get(RulesCache).get()).catalog, 'DE', 'GB', localDay(T0)!);
    clock.set(T0);
    const s = await book();
    await revise();
    // The first estimate: booking + the lane's P50 … P90 days, shown on the shipment.
    const initial = [localDay(T0.getTime() + lane.transitDaysP50 * DAY), localDay(T0.getTime() + lane.transitDaysP90 * DAY)];
    await expect(estimateOf(s.id)).resolves.toEqual(initial);

    // Collected the same morning, then in transit: the outlook is the same, so nothing is written.
    await scanAt(s.trackingNumber, 'COLLECTED', new Date(T0.getTime() + HOUR));
    await scanAt(s.trackingNumber, 'HUB_SCAN', new Date(T0.getTime() + 20 * HOUR));
    await revise();
    // Held at customs on Wednesday 08:00 for longer than usual: not before the day after the usual hold ends.
    const held = new Date(T0.getTime() + 2 * DAY);
    await scanAt(s.trackingNumber, 'CUSTOMS_PRESENTED', new Date(held.getTime() - HOUR));
    await scanAt(s.trackingNumber, 'CUSTOMS_HELD', held, { reason: 'INSPECTION' });
    await revise();
    const releasedDay = DateTime.fromMillis(held.getTime() + lane.customsHoldHours * HOUR, { zone: BERLIN }).startOf('day').plus({ days: 1 });
    const spread = lane.transitDaysP90 - lane.transitDaysP50;
    const slipped = [releasedDay.toISODate(), releasedDay.plus({ days: spread }).toISODate()];
    await expect(estimateOf(s.id)).resolves.toEqual(slipped);

    // Cleared on Thursday: back to the lane's range (earlier: recorded, not messaged).
    await scanAt(s.trackingNumber, 'CUSTOMS_CLEARED', new Date(T0.getTime() + 3 * DAY));
    await revise();
    await expect(estimateOf(s.id)).resolves.toEqual(initial);
    // Out for delivery on Friday: today.
    const friday = new Date(T0.getTime() + 4 * DAY);
    await scanAt(s.trackingNumber, 'OUT_FOR_DELIVERY', friday);
    await revise();
    await expect(estimateOf(s.id)).resolves.toEqual([localDay(friday), localDay(friday)]);

    const revisions = await revisionsOf(s.id);
    expect(revisions.map((r) => [r.change, r.estimatedDelivery.fromDate, r.estimatedDelivery.toDate])).toEqual([
      ['initial', ...initial],
      ['slipped', ...slipped],
      ['revised', ...initial],
      ['today', localDay(friday), localDay(friday)],
    ]);
    expect(revisions[1].slipDays).toBeGreaterThanOrEqual(1);

    await plan();
    // Every message planned (no dispatcher runs here, so a later milestone supersedes what still waits).
    const messages: Array<{ milestone: string; template: string; channel: string }> = await db.query(
      `SELECT milestone, template, channel FROM messages WHERE shipment_id = $1 AND audience = 'consignee' ORDER BY milestone, channel`,
      [s.id],
    );
    // One delay message per channel, for the slip, naming the new last day; the "today" revision is the
    // out-for-delivery message itself (one per channel: the revision's plan is a duplicate of the scan's).
    expect(messages.filter((m) => m.template === 'delay').map(({ milestone, channel }) => [milestone, channel])).toEqual([
      [`delay_until:${slipped[1]}`, 'email'],
      [`delay_until:${slipped[1]}`, 'sms'],
    ]);
    expect(messages.filter((m) => m.template === 'out_for_delivery').map((m) => m.channel)).toEqual(['email', 'sms']);
  });

  it('uses observed lane times instead of the configured ones once the lane has enough deliveries', async () => {
    // An unusual lane (Iceland → Germany), so no other test's deliveries count: configured by DE's `*` lane.
    const lane = laneExpectation((await t.app.get(RulesCache).get()).catalog, 'DE', 'IS', localDay(T0)!);
    expect(lane.laneOrigin).toBe('*');
    const base = new Date(T0.getTime() + 40 * DAY);
    // 20 deliveries in the last 30 days: 10 took 2 days, 8 took 3, 2 took 6 (first scan to delivery).
    // Median: between the 10th and 11th (2 and 3) = 2.5 days. P90: rank 0.9 × 19 = 17.1, between the 18th (3)
    // and the 19th (6): 3 + 0.1 × 3 = 3.3 days.
    const transits = [...Array(10).fill(2), ...Array(8).fill(3), 6, 6] as number[];
    const deliver = async (i: number) => {
      const collected = new Date(base.getTime() - 25 * DAY + i * 6 * HOUR);
      clock.set(collected);
      const s = await book('IS');
      await scanAt(s.trackingNumber, 'COLLECTED', collected);
      await scanAt(s.trackingNumber, 'DELIVERED', new Date(collected.getTime() + transits[i] * DAY));
    };
    for (let i = 0; i < 19; i++) await deliver(i);

    // 19 deliveries: not enough (EDD_MIN_SAMPLES = 20), so the configured days apply.
    clock.set(base);
    const before = await book('IS');
    await revise();
    await expect(estimateOf(before.id)).resolves.toEqual([localDay(base.getTime() + lane.transitDaysP50 * DAY), localDay(base.getTime() + lane.transitDaysP90 * DAY)]);
    expect((await revisionsOf(before.id))[0].estimatedDelivery).toMatchObject({ basis: 'configured', samples: 0 });

    await deliver(19);
    // Past the time a lane's figures are kept, a new booking on the lane gets the observed range.
    const later = new Date(base.getTime() + OBSERVED_TTL_MS + 60_000);
    clock.set(later);
    const after = await book('IS');
    await revise();
    await expect(estimateOf(after.id)).resolves.toEqual([localDay(later.getTime() + 2.5 * DAY), localDay(later.getTime() + 3.3 * DAY)]);
    expect((await revisionsOf(after.id))[0].estimatedDelivery).toMatchObject({ basis: 'observed', samples: 20 });

    // The earlier booking follows on its next scan: earlier than configured, so a revision without a message.
    await scanAt(before.trackingNumber, 'COLLECTED', new Date(later.getTime() + HOUR));
    await revise();
    const revisions = await revisionsOf(before.id);
    expect(revisions.map((r) => [r.change, r.estimatedDelivery.basis])).toEqual([
      ['initial', 'configured'],
      ['revised', 'observed'],
    ]);
  });
});
