import request from 'supertest';
import { FixedClock } from '../../src/common/clock/clock';
import {
  as,
  at,
  bookShipment,
  createCarrier,
  createRetailer,
  postScans,
  scan,
  TestCarrier,
  TestRetailer,
  unusedTrackingNumber,
  withWrongCheckCharacter,
} from '../factories';
import { createTestApp, TEST_ADMIN_TOKEN, TestApp } from '../utils/test-app';

const DAY = 86_400_000;

interface TimelineEvent {
  code: string;
  originalCode: string;
  reason: string | null;
  occurredAt: string;
  applied: boolean;
  late: boolean;
  source: string;
  statusBefore: string;
  statusAfter: string;
}
interface Milestone {
  code: string;
  reason: string | null;
  status: string;
  occurredAt: string;
}

function expectChronological(items: { occurredAt: string }[]): void {
  const times = items.map((e) => Date.parse(e.occurredAt));
  expect(times).toEqual([...times].sort((a, b) => a - b));
}

describe('the shipment journey over HTTP', () => {
  let t: TestApp;
  const clock = new FixedClock(new Date('2026-11-24T12:00:00.000Z'));
  let retailer: TestRetailer;
  let carrier: TestCarrier;

  beforeAll(async () => {
    t = await createTestApp({ clock });
    retailer = await createRetailer(t.http);
    carrier = await createCarrier(t.http);
  });
  afterAll(() => t.close());

  const asRetailer = () => as(t.http, retailer.key);

  /** Reads the shipment through all three views and checks they agree on status and chronological order. */
  async function observe(shipment: { id: string; trackingNumber: string }, status: string) {
    const one = await asRetailer().get(`/v1/shipments/${shipment.id}`);
    expect(one.status).toBe(200);
    expect(one.body.status).toBe(status);

    const timeline = await asRetailer().get(`/v1/shipments/${shipment.id}/events`);
    expect(timeline.status).toBe(200);
    expect(timeline.body.status).toBe(status);
    const events = timeline.body.events as TimelineEvent[];
    expectChronological(events);

    const tracking = await request(t.http).get(`/v1/track/${shipment.trackingNumber}`);
    expect(tracking.status).toBe(200);
    expect(tracking.body.status).toBe(status);
    const milestones = tracking.body.milestones as Milestone[];
    expectChronological(milestones);
    expect(milestones.map((m) => m.code)).toEqual(events.map((e) => e.code));

    return { shipment: one.body, events, milestones };
  }

  async function carrierScans(...events: object[]) {
    const res = await postScans(t.http, carrier.key, events);
    expect(res.status).toBe(200);
    return res.body as { results: { result: string; status?: string; late?: boolean; errors?: { code: string; field: string }[] }[]; summary: Record<string, number> };
  }

  it('walks a parcel from booking through customs, a failed attempt, delivery and a return, keeping every view in step', async () => {
    const shipment = await bookShipment(t.http, retailer);
    const tn = shipment.trackingNumber;
    const base = new Date(clock.now().getTime() - 10 * DAY);

    const booked = await observe(shipment, 'booked');
    expect(booked.events).toEqual([]);
    expect(booked.milestones).toEqual([]);

    // COLLECTED, sent as its UPU EMSEVT code.
    let batch = await carrierScans(scan(tn, 'EMA', at(base, 0)));
    expect(batch.results).toEqual([expect.objectContaining({ result: 'applied', status: 'collected', late: false })]);
    let view = await observe(shipment, 'collected');
    expect(view.events).toEqual([expect.objectContaining({ code: 'COLLECTED', originalCode: 'EMA', applied: true, late: false, source: carrier.code })]);

    // A hub scan moves it; the departure that follows in the same batch keeps the status and is marked not applied.
    batch = await carrierScans(scan(tn, 'HUB_SCAN', at(base, 60)), scan(tn, 'DEPARTED_ORIGIN', at(base, 120)));
    expect(batch.results.map((r) => [r.result, r.status])).toEqual([
      ['applied', 'in_transit'],
      ['recorded', 'in_transit'],
    ]);
    view = await observe(shipment, 'in_transit');
    expect(view.events.slice(1).map((e) => [e.code, e.applied, e.statusBefore, e.statusAfter])).toEqual([
      ['HUB_SCAN', true, 'collected', 'in_transit'],
      ['DEPARTED_ORIGIN', false, 'in_transit', 'in_transit'],
    ]);

    batch = await carrierScans(scan(tn, 'ARRIVED_DESTINATION', at(base, 600)));
    expect(batch.results[0]).toMatchObject({ result: 'recorded', status: 'in_transit' });
    await observe(shipment, 'in_transit');

    batch = await carrierScans(scan(tn, 'CUSTOMS_PRESENTED', at(base, 660)));
    expect(batch.results[0]).toMatchObject({ result: 'applied', status: 'at_customs' });
    await observe(shipment, 'at_customs');

    batch = await carrierScans(scan(tn, 'CUSTOMS_HELD', at(base, 720), { reason: 'DUTIES_DUE' }));
    expect(batch.results[0]).toMatchObject({ result: 'applied', status: 'customs_hold' });
    view = await observe(shipment, 'customs_hold');
    expect(view.events.at(-1)).toMatchObject({ code: 'CUSTOMS_HELD', reason: 'DUTIES_DUE', applied: true });
    expect(view.milestones.at(-1)).toMatchObject({ code: 'CUSTOMS_HELD', reason: 'DUTIES_DUE', status: 'customs_hold' });

    // Paying duties is recorded but does not itself release the hold.
    batch = await carrierScans(scan(tn, 'DUTIES_PAID', at(base, 900)));
    expect(batch.results[0]).toMatchObject({ result: 'recorded', status: 'customs_hold', late: false });
    view = await observe(shipment, 'customs_hold');
    expect(view.events.at(-1)).toMatchObject({ code: 'DUTIES_PAID', applied: false, late: false, statusAfter: 'customs_hold' });

    batch = await carrierScans(scan(tn, 'CUSTOMS_CLEARED', at(base, 960)));
    expect(batch.results[0]).toMatchObject({ result: 'applied', status: 'cleared' });
    await observe(shipment, 'cleared');

    batch = await carrierScans(scan(tn, 'OUT_FOR_DELIVERY', at(base, 1440)));
    expect(batch.results[0]).toMatchObject({ result: 'applied', status: 'out_for_delivery' });
    await observe(shipment, 'out_for_delivery');

    batch = await carrierScans(scan(tn, 'DELIVERY_ATTEMPTED', at(base, 1500), { reason: 'NO_ONE_HOME' }));
    expect(batch.results[0]).toMatchObject({ result: 'applied', status: 'delivery_attempted' });
    view = await observe(shipment, 'delivery_attempted');
    expect(view.events.at(-1)).toMatchObject({ code: 'DELIVERY_ATTEMPTED', reason: 'NO_ONE_HOME' });

    // Going out again after a failed attempt is one of the few allowed moves to a lower rank.
    batch = await carrierScans(scan(tn, 'OUT_FOR_DELIVERY', at(base, 2880)));
    expect(batch.results[0]).toMatchObject({ result: 'applied', status: 'out_for_delivery' });
    await observe(shipment, 'out_for_delivery');

    batch = await carrierScans(scan(tn, 'DELIVERED', at(base, 2940)));
    expect(batch.results[0]).toMatchObject({ result: 'applied', status: 'delivered' });
    view = await observe(shipment, 'delivered');
    expect(view.shipment.deliveredAt).toBe(at(base, 2940));

    // A hub scan that arrives after delivery but happened days earlier is recorded, marked late, and never moves it back.
    batch = await carrierScans(scan(tn, 'HUB_SCAN', at(base, 300)));
    expect(batch.results[0]).toMatchObject({ result: 'recorded', status: 'delivered', late: true });
    view = await observe(shipment, 'delivered');
    const lateScan = view.events.find((e) => e.late);
    expect(lateScan).toMatchObject({ code: 'HUB_SCAN', occurredAt: at(base, 300), applied: false, statusAfter: 'delivered' });
    expect(view.events.indexOf(lateScan!)).toBe(3); // placed where it happened, not where it arrived
    expect(view.events.filter((e) => e.late)).toHaveLength(1);

    const opened = await asRetailer().post(`/v1/shipments/${shipment.id}/returns`);
    expect(opened.status).toBe(201);
    expect(opened.body.returnReference).toBe(`R${tn}`);
    expect(opened.body.shipment).toMatchObject({ id: shipment.id, status: 'return_requested', returnReference: `R${tn}` });
    view = await observe(shipment, 'return_requested');
    expect(view.events.at(-1)).toMatchObject({ code: 'RETURN_REQUESTED', source: 'passage', applied: true });

    clock.advance(DAY);
    batch = await carrierScans(scan(tn, 'RETURN_COLLECTED', at(clock.now(), -60)));
    expect(batch.results[0]).toMatchObject({ result: 'applied', status: 'return_in_transit' });
    await observe(shipment, 'return_in_transit');

    clock.advance(DAY);
    batch = await carrierScans(scan(tn, 'RETURN_IN_TRANSIT', at(clock.now(), -60)));
    expect(batch.results[0]).toMatchObject({ result: 'recorded', status: 'return_in_transit' });
    await observe(shipment, 'return_in_transit');

    clock.advance(DAY);
    batch = await carrierScans(scan(tn, 'RETURN_DELIVERED', at(clock.now(), -60)));
    expect(batch.results[0]).toMatchObject({ result: 'applied', status: 'returned' });
    view = await observe(shipment, 'returned');
    expect(view.events.map((e) => e.code)).toEqual([
      'COLLECTED',
      'HUB_SCAN',
      'DEPARTED_ORIGIN',
      'HUB_SCAN',
      'ARRIVED_DESTINATION',
      'CUSTOMS_PRESENTED',
      'CUSTOMS_HELD',
      'DUTIES_PAID',
      'CUSTOMS_CLEARED',
      'OUT_FOR_DELIVERY',
      'DELIVERY_ATTEMPTED',
      'OUT_FOR_DELIVERY',
      'DELIVERED',
      'RETURN_REQUESTED',
      'RETURN_COLLECTED',
      'RETURN_IN_TRANSIT',
      'RETURN_DELIVERED',
    ]);
    expect(view.events.filter((e) => !e.applied).map((e) => e.code)).toEqual([
      'DEPARTED_ORIGIN',
      'HUB_SCAN',
      'ARRIVED_DESTINATION',
      'DUTIES_PAID',
      'RETURN_IN_TRANSIT',
    ]);

    // Once returned, nothing moves it again.
    batch = await carrierScans(scan(tn, 'DELIVERED', at(clock.now(), -30)));
    expect(batch.results[0]).toMatchObject({ result: 'recorded', status: 'returned' });
    await observe(shipment, 'returned');
  });

  it('answers a resent scan with duplicate and leaves the timeline unchanged', async () => {
    const shipment = await bookShipment(t.http, retailer);
    const collected = scan(shipment.trackingNumber, 'COLLECTED', at(clock.now(), -120));

    const first = await carrierScans(collected);
    expect(first.results[0].result).toBe('applied');
    const again = await carrierScans(collected);
    expect(again.results[0].result).toBe('duplicate');
    expect(again.summary).toMatchObject({ applied: 0, duplicate: 1 });

    // The same event twice in one batch counts once.
    const hub = scan(shipment.trackingNumber, 'HUB_SCAN', at(clock.now(), -60));
    const twice = await carrierScans(hub, hub);
    expect(twice.results.map((r) => r.result)).toEqual(['applied', 'duplicate']);

    const view = await observe(shipment, 'in_transit');
    expect(view.events.map((e) => e.code)).toEqual(['COLLECTED', 'HUB_SCAN']);
  });

  it('reports invalid items with a code and field while the rest of the batch still applies', async () => {
    const shipment = await bookShipment(t.http, retailer);
    const tn = shipment.trackingNumber;
    const past = at(clock.now(), -60);
    const batch = await carrierScans(
      scan(tn, 'NOT_A_CODE', past),
      scan(tn, 'DELIVERY_ATTEMPTED', past, { reason: 'ALIENS' }),
      scan(tn, 'COLLECTED', '24/11/2026 09:00'),
      scan(tn, 'COLLECTED', at(clock.now(), 3 * 24 * 60)),
      scan(withWrongCheckCharacter(tn), 'COLLECTED', past),
      { ...scan(tn, 'COLLECTED', past), location: undefined },
      { ...scan(tn, 'COLLECTED', past), location: { country: 'XX' } },
      { ...scan(tn, 'COLLECTED', past), eventId: 42 },
      scan(tn, 'COLLECTED', past),
    );
    expect(batch.results.map((r) => (r.result === 'invalid' ? r.errors!.map((e) => [e.code, e.field]) : r.result))).toEqual([
      [['UNKNOWN_EVENT_CODE', 'code']],
      [['UNKNOWN_EVENT_REASON', 'reason']],
      [['VALIDATION_FAILED', 'occurredAt']],
      [['EVENT_IN_FUTURE', 'occurredAt']],
      [['TRACKING_NUMBER_INVALID', 'trackingNumber']],
      [['VALIDATION_FAILED', 'location']],
      [['VALIDATION_FAILED', 'location.country']],
      [['VALIDATION_FAILED', 'eventId']],
      'applied',
    ]);
    expect(batch.summary).toMatchObject({ applied: 1, invalid: 8 });
    const view = await observe(shipment, 'collected');
    expect(view.events).toHaveLength(1);
  });

  it('answers unknown_tracking_number for a well-formed number that no shipment has', async () => {
    const shipment = await bookShipment(t.http, retailer);
    const batch = await carrierScans(
      scan(unusedTrackingNumber(), 'COLLECTED', at(clock.now(), -60)),
      scan(shipment.trackingNumber, 'COLLECTED', at(clock.now(), -60)),
    );
    expect(batch.results.map((r) => r.result)).toEqual(['unknown_tracking_number', 'applied']);
    expect(batch.summary).toMatchObject({ unknown_tracking_number: 1, applied: 1 });
  });

  it("lets a retailer key post scans for its own shipments but not for another retailer's", async () => {
    const other = await createRetailer(t.http);
    const mine = await bookShipment(t.http, retailer);
    const theirs = await bookShipment(t.http, other);

    const res = await postScans(t.http, retailer.key, [
      scan(mine.trackingNumber, 'COLLECTED', at(clock.now(), -60)),
      scan(theirs.trackingNumber, 'COLLECTED', at(clock.now(), -60)),
    ]);
    expect(res.status).toBe(200);
    expect(res.body.results.map((r: { result: string }) => r.result)).toEqual(['applied', 'unknown_tracking_number']);

    const view = await observe(mine, 'collected');
    expect(view.events[0].source).toBe('retailer');
    const untouched = await as(t.http, other.key).get(`/v1/shipments/${theirs.id}/events`);
    expect(untouched.body).toEqual({ status: 'booked', events: [] });
  });

  describe('cancelling', () => {
    it('cancels a booked shipment, and cancelling again changes nothing', async () => {
      const shipment = await bookShipment(t.http, retailer);
      const first = await asRetailer().post(`/v1/shipments/${shipment.id}/cancel`);
      expect(first.status).toBe(200);
      expect(first.body).toMatchObject({ id: shipment.id, status: 'cancelled' });

      const second = await asRetailer().post(`/v1/shipments/${shipment.id}/cancel`);
      expect(second.status).toBe(200);
      expect(second.body).toMatchObject({ id: shipment.id, status: 'cancelled' });

      const view = await observe(shipment, 'cancelled');
      expect(view.events).toEqual([expect.objectContaining({ code: 'CANCELLED', source: 'passage', applied: true })]);

      // A scan for a cancelled parcel is kept but does not revive it.
      const batch = await carrierScans(scan(shipment.trackingNumber, 'COLLECTED', at(clock.now(), 1)));
      expect(batch.results[0]).toMatchObject({ result: 'recorded', status: 'cancelled' });
      await observe(shipment, 'cancelled');
    });

    it('refuses to cancel a collected shipment with 409 SHIPMENT_NOT_CANCELLABLE and leaves no trace of the attempt', async () => {
      const shipment = await bookShipment(t.http, retailer);
      await carrierScans(scan(shipment.trackingNumber, 'COLLECTED', at(clock.now(), -60)));

      const res = await asRetailer().post(`/v1/shipments/${shipment.id}/cancel`);
      expect(res.status).toBe(409);
      expect(res.body.error.code).toBe('SHIPMENT_NOT_CANCELLABLE');

      const view = await observe(shipment, 'collected');
      expect(view.events.map((e) => e.code)).toEqual(['COLLECTED']);
      expect(view.milestones.map((m) => m.code)).toEqual(['COLLECTED']);
    });
  });

  describe('returns', () => {
    async function delivered(owner: TestRetailer, deliveredAt: Date) {
      const shipment = await bookShipment(t.http, owner);
      const tn = shipment.trackingNumber;
      const res = await postScans(t.http, carrier.key, [
        scan(tn, 'COLLECTED', at(deliveredAt, -120)),
        scan(tn, 'OUT_FOR_DELIVERY', at(deliveredAt, -60)),
        scan(tn, 'DELIVERED', deliveredAt.toISOString()),
      ]);
      expect(res.body.results.map((r: { result: string }) => r.result)).toEqual(['applied', 'applied', 'applied']);
      return shipment;
    }

    it('refuses a return before delivery with 409 RETURN_NOT_ALLOWED', async () => {
      const shipment = await bookShipment(t.http, retailer);
      await carrierScans(scan(shipment.trackingNumber, 'COLLECTED', at(clock.now(), -60)));

      const res = await asRetailer().post(`/v1/shipments/${shipment.id}/returns`);
      expect(res.status).toBe(409);
      expect(res.body.error.code).toBe('RETURN_NOT_ALLOWED');
      const view = await observe(shipment, 'collected');
      expect(view.shipment.returnReference).toBeNull();
      expect(view.events.map((e) => e.code)).toEqual(['COLLECTED']);
    });

    it('refuses a second return with 409 RETURN_ALREADY_OPEN', async () => {
      const shipment = await delivered(retailer, new Date(clock.now().getTime() - DAY));
      const first = await asRetailer().post(`/v1/shipments/${shipment.id}/returns`);
      expect(first.status).toBe(201);

      const second = await asRetailer().post(`/v1/shipments/${shipment.id}/returns`);
      expect(second.status).toBe(409);
      expect(second.body.error.code).toBe('RETURN_ALREADY_OPEN');
      const view = await observe(shipment, 'return_requested');
      expect(view.events.filter((e) => e.code === 'RETURN_REQUESTED')).toHaveLength(1);
    });

    it("closes the return window after the retailer's returnWindowDays, and reopens it when the window is extended", async () => {
      const shop = await createRetailer(t.http, { returnWindowDays: 30 });
      const shipment = await delivered(shop, new Date(clock.now().getTime() - 60_000));

      clock.advance(30 * DAY); // delivered 30 days and a minute ago
      const closed = await as(t.http, shop.key).post(`/v1/shipments/${shipment.id}/returns`);
      expect(closed.status).toBe(409);
      expect(closed.body.error.code).toBe('RETURN_WINDOW_CLOSED');
      const stillDelivered = await as(t.http, shop.key).get(`/v1/shipments/${shipment.id}`);
      expect(stillDelivered.body).toMatchObject({ status: 'delivered', returnReference: null });

      const patched = await as(t.http, TEST_ADMIN_TOKEN).patch(`/v1/admin/retailers/${shop.id}`, { returnWindowDays: 45 });
      expect(patched.status).toBe(200);
      expect(patched.body.returnWindowDays).toBe(45);

      const opened = await as(t.http, shop.key).post(`/v1/shipments/${shipment.id}/returns`);
      expect(opened.status).toBe(201);
      expect(opened.body.shipment.status).toBe('return_requested');
    });

    it('accepts a return inside the window and refuses one a moment after it closes', async () => {
      const shop = await createRetailer(t.http, { returnWindowDays: 2 });
      const early = await delivered(shop, new Date(clock.now().getTime() - 60_000));
      const late = await delivered(shop, new Date(clock.now().getTime() - 60_000));

      clock.advance(DAY);
      const inside = await as(t.http, shop.key).post(`/v1/shipments/${early.id}/returns`);
      expect(inside.status).toBe(201);

      clock.advance(DAY + 1000);
      const outside = await as(t.http, shop.key).post(`/v1/shipments/${late.id}/returns`);
      expect(outside.status).toBe(409);
      expect(outside.body.error.code).toBe('RETURN_WINDOW_CLOSED');
    });
  });
});
