import { DataSource } from 'typeorm';
import { FixedClock } from '../../src/common/clock/clock';
import { AppConfig } from '../../src/config/app-config';
import { ComplianceService } from '../../src/modules/country-rules/compliance/compliance.service';
import { RulesCache } from '../../src/modules/country-rules/rules-cache';
import { DetectionRepository } from '../../src/modules/cx/detection/detection.repository';
import { DetectionService, SWEEP_LOCK_KEY, SweepResult } from '../../src/modules/cx/detection/detection.service';
import { DetectorName, LOOKBACK_DAYS } from '../../src/modules/cx/detection/detectors';
import { EddRepository } from '../../src/modules/cx/edd/edd.repository';
import { EddService } from '../../src/modules/cx/edd/edd.service';
import { LaneExpectation, laneExpectation } from '../../src/modules/cx/edd/lane-expectations';
import { ExceptionsService } from '../../src/modules/cx/exceptions/exceptions.service';
import { PlannerRepository } from '../../src/modules/notifications/planner/planner.repository';
import { PlannerService } from '../../src/modules/notifications/planner/planner.service';
import type { WebhookEndpointsService } from '../../src/modules/notifications/webhooks/webhook-endpoints.service';
import { as, bookingBody, createCarrier, createRetailer, postScans, scan, TestCarrier, TestRetailer } from '../factories';
import { isEmbedded, openTestDataSource } from '../utils/database';
import { createTestApp, TestApp } from '../utils/test-app';

const HOUR = 3_600_000;
const DAY = 24 * HOUR;
// Monday 1 March 2027, 10:00 in Berlin: daytime, so no SMS waits for quiet hours to end.
const T0 = new Date('2027-03-01T09:00:00Z');

type Detection = { detector: string; occurrence_key: string; exception_id: string | null; journey_event_id: string | null; details: Record<string, unknown> };

const toBrazil = () =>
  bookingBody({
    consignee: {
      name: 'João Silva',
      email: 'joao@example.com',
      phone: '+5511987654321',
      locale: 'pt-BR',
      address: { lines: ['Avenida Paulista, 1000'], city: 'São Paulo', postcode: '01310-100', country: 'BR' },
    },
    items: [{ description: 'Running shoes', hsCode: '640411', quantity: 1, unitValue: 4500, currency: 'USD', originCountry: 'VN', weightGrams: 900 }],
  });

describe('proactive detection', () => {
  let t: TestApp;
  let db: DataSource;
  let clock: FixedClock;
  let retailer: TestRetailer;
  let carrier: TestCarrier;
  let detection: DetectionService;
  let edd: EddService;
  let planner: PlannerService;
  let lane: LaneExpectation;

  const detectionService = (ds: DataSource, config: AppConfig) => {
    const rules = t.app.get(RulesCache);
    const eddService = new EddService(ds, new EddRepository(), rules, clock, config);
    return new DetectionService(ds, new DetectionRepository(), rules, new ExceptionsService(config), eddService, new EddRepository(), clock, config);
  };

  beforeAll(async () => {
    clock = new FixedClock(T0);
    t = await createTestApp({ clock, env: { PUBLIC_BASE_URL: 'https://passage.test' } });
    db = t.app.get(DataSource);
    retailer = await createRetailer(t.http);
    carrier = await createCarrier(t.http);
    await as(t.http, retailer.key).patch('/v1/retailer/notification-settings', { retailerEmail: 'ops@retailer.example' }).expect(200);
    detection = detectionService(db, t.config);
    edd = new EddService(db, new EddRepository(), t.app.get(RulesCache), clock, t.config);
    const noWebhooks = { endpointsFor: async () => [] } as unknown as WebhookEndpointsService;
    planner = new PlannerService(db, new PlannerRepository(), t.app.get(RulesCache), t.app.get(ComplianceService), noWebhooks, clock, t.config);
    lane = laneExpectation((await t.app.get(RulesCache).get()).catalog, 'DE', 'GB', '2027-03-01');
  });
  afterAll(() => t.close());

  /** Sweeps at `at`, each test on its own stretch of time (a sweep less than half an interval after the last one skips). */
  const sweepAt = (at: Date, detectors?: DetectorName[]): Promise<SweepResult> => {
    clock.set(at);
    return detection.sweep({ detectors });
  };
  const book = async (body: Record<string, unknown> = bookingBody()) => {
    const res = await as(t.http, retailer.key).post('/v1/shipments', body);
    expect(res.status).toBe(201);
    return res.body as { id: string; trackingNumber: string };
  };
  const scanAt = async (trackingNumber: string, code: string, at: Date, extra: Record<string, unknown> = {}) => {
    clock.set(at);
    const res = await postScans(t.http, carrier.key, [scan(trackingNumber, code, at.toISOString(), extra)]);
    expect(res.status).toBe(200);
  };
  const detectionsOf = (shipmentId: string): Promise<Detection[]> =>
    db.query(`SELECT detector, occurrence_key, exception_id, journey_event_id, details FROM detections WHERE shipment_id = $1 ORDER BY id`, [shipmentId]);
  const exceptionsOf = (shipmentId: string): Promise<Array<{ id: string; type: string; source: string; severity: string; status: string; occurrence_key: string }>> =>
    db.query(`SELECT id, type, source, severity, status, occurrence_key FROM exceptions WHERE shipment_id = $1 ORDER BY opened_at`, [shipmentId]);
  const eventsOf = (shipmentId: string, type: string): Promise<Array<{ id: string; payload: Record<string, unknown>; occurred_at: Date }>> =>
    db.query(`SELECT id::text, payload, occurred_at FROM journey_events WHERE shipment_id = $1 AND type = $2 ORDER BY id`, [shipmentId, type]);
  const settle = async () => {
    // Estimates for every shipment with news, then messages for this suite's retailer only.
    while ((await edd.processOnce(500)).events > 0);
    await db.query(`UPDATE journey_events SET planned_at = now() WHERE planned_at IS NULL AND retailer_id <> $1`, [retailer.id]);
    while ((await planner.planOnce(500)).events > 0);
  };

  describe('no scan for longer than the lane allows', () => {
    it('fires once per silence, opens a delay exception and tells the consignee and the retailer', async () => {
      const start = new Date(T0.getTime() + 0 * DAY);
      clock.set(start);
      const s = await book();
      await scanAt(s.trackingNumber, 'COLLECTED', start);
      const lastScan = new Date(start.getTime() + HOUR);
      await scanAt(s.trackingNumber, 'HUB_SCAN', lastScan);
      await settle();
      const allowed = lane.maxScanGapHours.in_transit;

      await sweepAt(new Date(lastScan.getTime() + (allowed - 1) * HOUR), ['scan_gap']);
      await expect(detectionsOf(s.id)).resolves.toEqual([]);

      await sweepAt(new Date(lastScan.getTime() + (allowed + 1) * HOUR), ['scan_gap']);
      const [first] = await detectionsOf(s.id);
      expect(first).toMatchObject({
        detector: 'scan_gap',
        occurrence_key: `in_transit@${lastScan.toISOString().replace('Z', '000Z')}`,
        details: { status: 'in_transit', allowedHours: allowed, silentHours: allowed + 1 },
      });
      const [exception] = await exceptionsOf(s.id);
      expect(exception).toMatchObject({ id: first.exception_id, type: 'delay', source: 'detector', status: 'open' });
      const [event] = await eventsOf(s.id, 'shipment.delay_detected');
      expect(event.id).toBe(first.journey_event_id);
      expect(event.payload).toMatchObject({ detector: 'scan_gap', occurrenceKey: first.occurrence_key, to: 'in_transit' });

      // Later sweeps find the same silence: nothing new.
      await sweepAt(new Date(lastScan.getTime() + (allowed + 5) * HOUR), ['scan_gap']);
      await sweepAt(new Date(lastScan.getTime() + (allowed + 9) * HOUR), ['scan_gap']);
      await expect(detectionsOf(s.id)).resolves.toHaveLength(1);

      await settle();
      const messages: Array<{ audience: string; template: string; channel: string }> = await db.query(
        `SELECT audience, template, channel FROM messages WHERE shipment_id = $1 AND milestone LIKE 'delay_until:%' ORDER BY audience, channel`,
        [s.id],
      );
      expect(messages).toEqual([
        { audience: 'consignee', template: 'delay', channel: 'email' },
        { audience: 'consignee', template: 'delay', channel: 'sms' },
        { audience: 'retailer', template: 'retailer_exception', channel: 'email' },
      ]);
    });

    it('fires again only for a new silence after a new scan, on the exception already open', async () => {
      const start = new Date(T0.getTime() + 20 * DAY);
      clock.set(start);
      const s = await book();
      await scanAt(s.trackingNumber, 'COLLECTED', start);
      await scanAt(s.trackingNumber, 'HUB_SCAN', new Date(start.getTime() + HOUR));
      const allowed = lane.maxScanGapHours.in_transit;
      const firstSweep = new Date(start.getTime() + (allowed + 2) * HOUR);
      await sweepAt(firstSweep, ['scan_gap']);
      await expect(detectionsOf(s.id)).resolves.toHaveLength(1);

      // The carrier scans again (same status): a new silence starts there.
      const rescan = new Date(firstSweep.getTime() + HOUR);
      await scanAt(s.trackingNumber, 'ARRIVED_DESTINATION', rescan);
      await sweepAt(new Date(rescan.getTime() + (allowed - 1) * HOUR), ['scan_gap']);
      await expect(detectionsOf(s.id)).resolves.toHaveLength(1);
      await sweepAt(new Date(rescan.getTime() + (allowed + 1) * HOUR), ['scan_gap']);
      const detections = await detectionsOf(s.id);
      expect(detections.map((d) => d.occurrence_key)).toEqual([
        `in_transit@${new Date(start.getTime() + HOUR).toISOString().replace('Z', '000Z')}`,
        `in_transit@${rescan.toISOString().replace('Z', '000Z')}`,
      ]);
      // One delay exception (still open), both detections on it; two journey events, so two messages.
      const exceptions = await exceptionsOf(s.id);
      expect(exceptions).toHaveLength(1);
      expect(detections.map((d) => d.exception_id)).toEqual([exceptions[0].id, exceptions[0].id]);
      await expect(eventsOf(s.id, 'shipment.delay_detected')).resolves.toHaveLength(2);
    });
  });

  it('does not report a silence, hold or missed estimate older than the lookback (old data on a first sweep)', async () => {
    const start = new Date(T0.getTime() + 170 * DAY);
    clock.set(start);
    const silent = await book();
    await scanAt(silent.trackingNumber, 'HUB_SCAN', start);
    const held = await book();
    await scanAt(held.trackingNumber, 'CUSTOMS_HELD', start, { reason: 'INSPECTION' });
    await settle();
    // Past the lookback for all three: the silence and the hold began, and the estimate (a week on) ended, over 60 days ago.
    await sweepAt(new Date(start.getTime() + (LOOKBACK_DAYS + 10) * DAY));
    await expect(detectionsOf(silent.id)).resolves.toEqual([]);
    await expect(detectionsOf(held.id)).resolves.toEqual([]);
  });

  describe('the estimated delivery date missed', () => {
    it('fires once per missed estimate and moves the estimate later, so that a new miss is a new occurrence', async () => {
      const start = new Date(T0.getTime() + 40 * DAY);
      clock.set(start);
      const s = await book();
      await scanAt(s.trackingNumber, 'COLLECTED', start);
      await settle();
      const [{ estimated_delivery_to: due }] = await db.query(`SELECT estimated_delivery_to FROM shipments WHERE id = $1`, [s.id]);
      expect(due).not.toBeNull();

      await sweepAt(new Date(due.getTime() - HOUR), ['edd_missed']);
      await expect(detectionsOf(s.id)).resolves.toEqual([]);
      const missedAt = new Date(due.getTime() + HOUR);
      await sweepAt(missedAt, ['edd_missed']);
      const [first] = await detectionsOf(s.id);
      expect(first).toMatchObject({ detector: 'edd_missed', occurrence_key: due.toISOString().replace('Z', '000Z') });
      const [{ estimated_delivery_to: revised }] = await db.query(`SELECT estimated_delivery_to FROM shipments WHERE id = $1`, [s.id]);
      expect(revised.getTime()).toBeGreaterThan(missedAt.getTime() + DAY);
      const [event] = await eventsOf(s.id, 'shipment.delay_detected');
      expect(event.payload).toMatchObject({ detector: 'edd_missed', estimatedDelivery: { to: revised.toISOString() }, previousEstimate: { to: due.toISOString() } });
      await expect(exceptionsOf(s.id)).resolves.toEqual([expect.objectContaining({ type: 'delay', source: 'detector' })]);

      await sweepAt(new Date(missedAt.getTime() + 12 * HOUR), ['edd_missed']);
      await expect(detectionsOf(s.id)).resolves.toHaveLength(1);
      // The new estimate passes too: a second occurrence.
      await sweepAt(new Date(revised.getTime() + HOUR), ['edd_missed']);
      await expect(detectionsOf(s.id)).resolves.toHaveLength(2);
    });
  });

  it('tells a consignee once when the parcel is both silent and past its estimate', async () => {
    const start = new Date(T0.getTime() + 50 * DAY);
    clock.set(start);
    const s = await book();
    await scanAt(s.trackingNumber, 'COLLECTED', start);
    await settle();
    // Nothing since: by the sweep, over the in-transit allowance and a day past the estimate.
    const [{ estimated_delivery_to: due }] = await db.query(`SELECT estimated_delivery_to FROM shipments WHERE id = $1`, [s.id]);
    await sweepAt(new Date(due.getTime() + DAY), ['edd_missed', 'scan_gap']);
    await expect(detectionsOf(s.id).then((d) => d.map((x) => x.detector).sort())).resolves.toEqual(['edd_missed', 'scan_gap']);
    await settle();
    const messages: Array<{ audience: string; channel: string; milestone: string }> = await db.query(
      `SELECT audience, channel, milestone FROM messages WHERE shipment_id = $1 AND (template = 'delay' OR template = 'retailer_exception') ORDER BY audience, channel`,
      [s.id],
    );
    // One delay message per channel (the same news: the new estimate), and one notice for the retailer.
    const [{ estimated_delivery_to: revised }] = await db.query(`SELECT estimated_delivery_to FROM shipments WHERE id = $1`, [s.id]);
    const day = new Intl.DateTimeFormat('en-CA', { timeZone: 'Europe/Berlin' }).format(revised);
    expect(messages).toEqual([
      { audience: 'consignee', channel: 'email', milestone: `delay_until:${day}` },
      { audience: 'consignee', channel: 'sms', milestone: `delay_until:${day}` },
      { audience: 'retailer', channel: 'email', milestone: `delay_until:${day}` },
    ]);
  });

  describe('a customs hold longer than the lane allows', () => {
    it('fires once per hold and again for a later hold', async () => {
      const start = new Date(T0.getTime() + 60 * DAY);
      clock.set(start);
      const s = await book();
      await scanAt(s.trackingNumber, 'CUSTOMS_PRESENTED', start);
      const held = new Date(start.getTime() + HOUR);
      await scanAt(s.trackingNumber, 'CUSTOMS_HELD', held, { reason: 'INSPECTION' });
      const allowed = lane.customsHoldHours;

      await sweepAt(new Date(held.getTime() + (allowed - 1) * HOUR), ['customs_hold_overdue']);
      await expect(detectionsOf(s.id)).resolves.toEqual([]);
      await sweepAt(new Date(held.getTime() + (allowed + 1) * HOUR), ['customs_hold_overdue']);
      await sweepAt(new Date(held.getTime() + (allowed + 6) * HOUR), ['customs_hold_overdue']);
      const detections = await detectionsOf(s.id);
      expect(detections).toEqual([expect.objectContaining({ detector: 'customs_hold_overdue', details: { heldSince: held.toISOString().replace('Z', '000Z'), allowedHours: allowed } })]);
      await expect(exceptionsOf(s.id)).resolves.toEqual([expect.objectContaining({ type: 'customs_hold', severity: 'high', source: 'detector' })]);

      // Released into transit, then held again: a new hold.
      const released = new Date(held.getTime() + (allowed + 7) * HOUR);
      await scanAt(s.trackingNumber, 'HUB_SCAN', released);
      const heldAgain = new Date(released.getTime() + HOUR);
      await scanAt(s.trackingNumber, 'CUSTOMS_HELD', heldAgain, { reason: 'INSPECTION' });
      await sweepAt(new Date(heldAgain.getTime() + (allowed + 1) * HOUR), ['customs_hold_overdue']);
      await expect(detectionsOf(s.id)).resolves.toHaveLength(2);
    });
  });

  describe('a pickup expiring', () => {
    it('fires once within 48 hours of the deadline, with the deadline in the message, and not once it has passed', async () => {
      const start = new Date(T0.getTime() + 80 * DAY);
      clock.set(start);
      const s = await book();
      await scanAt(s.trackingNumber, 'AVAILABLE_FOR_PICKUP', start);
      const deadline = new Date(start.getTime() + 7 * DAY);

      await sweepAt(new Date(deadline.getTime() - 49 * HOUR), ['pickup_expiring']);
      await expect(detectionsOf(s.id)).resolves.toEqual([]);
      await sweepAt(new Date(deadline.getTime() - 47 * HOUR), ['pickup_expiring']);
      await sweepAt(new Date(deadline.getTime() - 20 * HOUR), ['pickup_expiring']);
      await expect(detectionsOf(s.id)).resolves.toEqual([expect.objectContaining({ detector: 'pickup_expiring', details: { availableSince: start.toISOString().replace('Z', '000Z'), pickupBy: deadline.toISOString().replace('Z', '000Z') } })]);
      await expect(exceptionsOf(s.id)).resolves.toEqual([expect.objectContaining({ type: 'pickup_expiring', source: 'detector' })]);

      await settle();
      const [email]: Array<{ payload: { text: string } }> = await db.query(
        `SELECT payload FROM messages WHERE shipment_id = $1 AND milestone LIKE 'pickup_expiring:%' AND channel = 'email' AND audience = 'consignee'`,
        [s.id],
      );
      // The deadline, not a week after the reminder: "Donnerstag, 27. Mai" in German, in Berlin.
      const day = new Intl.DateTimeFormat('de', { weekday: 'long', day: 'numeric', month: 'long', timeZone: 'Europe/Berlin' }).format(deadline);
      expect(email.payload.text).toContain(day);

      const other = await book();
      await scanAt(other.trackingNumber, 'AVAILABLE_FOR_PICKUP', new Date(start.getTime() - 9 * DAY));
      await sweepAt(new Date(deadline.getTime() + HOUR), ['pickup_expiring']);
      await expect(detectionsOf(other.id)).resolves.toEqual([]);
    });
  });

  describe('information still missing a day after booking', () => {
    it('reminds once, with what is missing, and not when it was supplied in time', async () => {
      const start = new Date(T0.getTime() + 100 * DAY);
      clock.set(start);
      const missing = await book(toBrazil());
      const supplied = await book(toBrazil());
      clock.set(new Date(start.getTime() + 2 * HOUR));
      await as(t.http, retailer.key).patch(`/v1/shipments/${supplied.id}/consignee`, { taxId: '529.982.247-25' }).expect(200);

      await sweepAt(new Date(start.getTime() + 23 * HOUR), ['information_overdue']);
      await expect(detectionsOf(missing.id)).resolves.toEqual([]);
      await sweepAt(new Date(start.getTime() + 25 * HOUR), ['information_overdue']);
      await sweepAt(new Date(start.getTime() + 40 * HOUR), ['information_overdue']);
      await expect(detectionsOf(missing.id)).resolves.toEqual([expect.objectContaining({ detector: 'information_overdue', occurrence_key: 'booking' })]);
      await expect(detectionsOf(supplied.id)).resolves.toEqual([]);
      const [event] = await eventsOf(missing.id, 'shipment.information_reminder');
      expect(event.payload).toMatchObject({ compliance: { status: 'needs_information', issues: [expect.objectContaining({ code: 'TAX_ID_REQUIRED', field: 'consignee.taxId' })] } });
      await expect(exceptionsOf(missing.id)).resolves.toEqual([expect.objectContaining({ type: 'needs_information' })]);

      await settle();
      const reminders: Array<{ template: string; audience: string }> = await db.query(
        `SELECT template, audience FROM messages WHERE shipment_id = $1 AND milestone LIKE 'information_reminder:%' ORDER BY audience, channel`,
        [missing.id],
      );
      expect(reminders.map((m) => `${m.audience}:${m.template}`)).toEqual(['consignee:information_needed', 'consignee:information_needed', 'retailer:retailer_exception']);
    });
  });

  it('fires nothing for a healthy shipment at any point of its journey', async () => {
    const start = new Date(T0.getTime() + 120 * DAY);
    clock.set(start);
    const s = await book();
    const steps: Array<[string, number]> = [
      ['COLLECTED', 1],
      ['HUB_SCAN', 20],
      ['DEPARTED_ORIGIN', 40],
      ['CUSTOMS_PRESENTED', 60],
      ['CUSTOMS_CLEARED', 70],
      ['ARRIVED_DELIVERY_OFFICE', 80],
      ['OUT_FOR_DELIVERY', 96],
      ['DELIVERED', 100],
    ];
    for (const [code, hours] of steps) {
      await scanAt(s.trackingNumber, code, new Date(start.getTime() + hours * HOUR));
      await settle();
      // Sweep with every detector just before the next scan, and once more long after delivery.
      await sweepAt(new Date(start.getTime() + (hours + 10) * HOUR));
    }
    await sweepAt(new Date(start.getTime() + 30 * DAY));
    await expect(detectionsOf(s.id)).resolves.toEqual([]);
    await expect(exceptionsOf(s.id)).resolves.toEqual([]);
  });

  describe('once across all instances', () => {
    // PGlite serves every connection in one session, so a session lock cannot exclude there (embedded Passage is one process).
    (isEmbedded() ? it.skip : it)('skips a sweep while another instance holds the lock', async () => {
      const holder = await openTestDataSource();
      try {
        await holder.query(`SELECT pg_advisory_lock($1::bigint)`, [SWEEP_LOCK_KEY]);
        await expect(sweepAt(new Date(T0.getTime() + 154 * DAY))).resolves.toEqual({ ran: false, reason: 'locked' });
        await holder.query(`SELECT pg_advisory_unlock($1::bigint)`, [SWEEP_LOCK_KEY]);
      } finally {
        await holder.destroy();
      }
      await expect(sweepAt(new Date(T0.getTime() + 154 * DAY))).resolves.toMatchObject({ ran: true });
    });

    it('skips a sweep that follows another too closely (a second worker on its own timer)', async () => {
      await expect(sweepAt(new Date(T0.getTime() + 155 * DAY))).resolves.toMatchObject({ ran: true });
      // A minute later: half the interval (150 s) has not passed.
      await expect(sweepAt(new Date(T0.getTime() + 155 * DAY + 60_000))).resolves.toEqual({ ran: false, reason: 'recent' });
    });

    it('records one detection per occurrence when two workers sweep at once', async () => {
      const start = new Date(T0.getTime() + 160 * DAY);
      clock.set(start);
      const shipments = [];
      for (let i = 0; i < 40; i++) {
        const s = await book();
        await scanAt(s.trackingNumber, 'HUB_SCAN', start);
        shipments.push(s);
      }
      const ids = shipments.map((s) => s.id);
      // On real PostgreSQL the second worker has its own pool; the embedded server serialises everything on one.
      const second = isEmbedded() ? db : await openTestDataSource();
      try {
        const other = detectionService(second, t.config);
        clock.set(new Date(start.getTime() + (lane.maxScanGapHours.in_transit + 1) * HOUR));
        const results = await Promise.all([detection.sweep(), other.sweep()]);
        // One swept; the other found the lock taken (or, had it come second, the sweep too recent).
        expect(results.filter((r) => r.ran)).toHaveLength(1);
        expect(results.find((r) => !r.ran)).toMatchObject({ ran: false });

        const counts = async () =>
          (await db.query(
            `SELECT (SELECT count(*)::int FROM detections WHERE shipment_id = ANY($1::uuid[])) AS detections,
                    (SELECT count(*)::int FROM exceptions WHERE shipment_id = ANY($1::uuid[])) AS exceptions,
                    (SELECT count(*)::int FROM journey_events WHERE shipment_id = ANY($1::uuid[]) AND type = 'shipment.delay_detected') AS events`,
            [ids],
          ))[0];
        await expect(counts()).resolves.toEqual({ detections: 40, exceptions: 40, events: 40 });

        // Both again, later and one after the other: the occurrences are the same, so nothing is added.
        clock.advance(HOUR);
        await other.sweep();
        clock.advance(HOUR);
        await detection.sweep();
        await expect(counts()).resolves.toEqual({ detections: 40, exceptions: 40, events: 40 });
      } finally {
        if (second !== db) await second.destroy();
      }
    });
  });
});
