import { DataSource } from 'typeorm';
import { FixedClock } from '../../src/common/clock/clock';
import { ExceptionProjector } from '../../src/modules/cx/exceptions/exception-projector';
import { as, at, bookingBody, createCarrier, createRetailer, postScans, scan, TestCarrier, TestRetailer } from '../factories';
import { createTestApp, TestApp } from '../utils/test-app';

const T0 = new Date('2026-12-01T09:00:00Z');
const HOUR = 3_600_000;
const VALID_CPF = '529.982.247-25';

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

type Row = { type: string; status: string; severity: string; source: string; resolution_code: string | null; opened_at: Date; resolved_at: Date | null };

describe('the exception projector, driven by real scans', () => {
  let t: TestApp;
  let db: DataSource;
  let clock: FixedClock;
  let retailer: TestRetailer;
  let carrier: TestCarrier;
  let projector: ExceptionProjector;

  beforeAll(async () => {
    clock = new FixedClock(T0);
    t = await createTestApp({ clock });
    db = t.app.get(DataSource);
    projector = t.app.get(ExceptionProjector);
    retailer = await createRetailer(t.http);
    carrier = await createCarrier(t.http);
  }, 60_000);

  afterAll(() => t.close());

  /** Projects everything waiting (other suites' events too) and returns what this run opened and resolved. */
  async function project(): Promise<{ opened: number; resolved: number }> {
    const total = { opened: 0, resolved: 0 };
    for (;;) {
      const s = await projector.projectOnce(200);
      total.opened += s.opened;
      total.resolved += s.resolved;
      if (s.events === 0) return total;
    }
  }

  async function book(body = bookingBody()) {
    const res = await as(t.http, retailer.key).post('/v1/shipments', body);
    expect(res.status).toBe(201);
    return res.body as { id: string; trackingNumber: string };
  }

  /** Posts scans `minutes` after T0, with the clock just past the last of them (scans from the future are refused). */
  async function scans(trackingNumber: string, ...events: Array<[code: string, minutes: number, extra?: Record<string, unknown>]>) {
    const latest = Math.max(...events.map(([, minutes]) => minutes));
    if (clock.now().getTime() < T0.getTime() + (latest + 1) * 60_000) clock.set(new Date(T0.getTime() + (latest + 1) * 60_000));
    const res = await postScans(t.http, carrier.key, events.map(([code, minutes, extra]) => scan(trackingNumber, code, at(T0, minutes), extra)));
    expect(res.status).toBe(200);
    expect(res.body.results.map((r: { result: string }) => r.result)).not.toContain('invalid');
  }

  const exceptionsOf = (shipmentId: string): Promise<Row[]> =>
    db.query(`SELECT type, status, severity, source, resolution_code, opened_at, resolved_at FROM exceptions WHERE shipment_id = $1 ORDER BY created_at, type`, [shipmentId]);

  it('opens a customs hold (high when duties are due) and resolves it with a system note once the parcel clears', async () => {
    const s = await book();
    await scans(s.trackingNumber, ['COLLECTED', 10], ['CUSTOMS_PRESENTED', 60], ['CUSTOMS_HELD', 90, { reason: 'DUTIES_DUE' }]);
    clock.set(new Date(T0.getTime() + 2 * HOUR));
    await project();
    await expect(exceptionsOf(s.id)).resolves.toEqual([
      expect.objectContaining({ type: 'customs_hold', status: 'open', severity: 'high', source: 'event', opened_at: new Date(T0.getTime() + 2 * HOUR) }),
    ]);

    await scans(s.trackingNumber, ['CUSTOMS_CLEARED', 300]);
    clock.set(new Date(T0.getTime() + 6 * HOUR));
    await project();
    const [hold] = await exceptionsOf(s.id);
    expect(hold).toMatchObject({ status: 'resolved', resolution_code: 'journey_moved_on', resolved_at: new Date(T0.getTime() + 6 * HOUR) });
    const [{ id }] = await db.query(`SELECT id FROM exceptions WHERE shipment_id = $1`, [s.id]);
    const events = await db.query(`SELECT kind, actor, body FROM exception_events WHERE exception_id = $1 ORDER BY id`, [id]);
    expect(events.map((e: { kind: string }) => e.kind)).toEqual(['opened', 'resolved']);
    expect(events[1]).toMatchObject({ actor: 'system', body: { note: 'The journey moved on to cleared.', automatic: true } });
  });

  it('opens an address issue and a failed attempt by reason, one per type however many attempts, and delivery resolves both', async () => {
    const s = await book();
    await scans(
      s.trackingNumber,
      ['COLLECTED', 10],
      ['OUT_FOR_DELIVERY', 100],
      ['DELIVERY_ATTEMPTED', 120, { reason: 'NO_ONE_HOME' }],
      ['OUT_FOR_DELIVERY', 1500],
      ['DELIVERY_ATTEMPTED', 1520, { reason: 'ADDRESS_ISSUE' }],
    );
    await project();
    await scans(s.trackingNumber, ['OUT_FOR_DELIVERY', 3000], ['DELIVERY_ATTEMPTED', 3020, { reason: 'NO_ONE_HOME' }]);
    await project();
    const open = await exceptionsOf(s.id);
    expect(open.map((r) => [r.type, r.status])).toEqual([
      ['address_issue', 'open'],
      ['failed_attempt', 'open'],
    ]);

    await scans(s.trackingNumber, ['OUT_FOR_DELIVERY', 4400], ['DELIVERED', 4500]);
    await project();
    await expect(exceptionsOf(s.id)).resolves.toEqual([
      expect.objectContaining({ type: 'address_issue', status: 'resolved' }),
      expect.objectContaining({ type: 'failed_attempt', status: 'resolved' }),
    ]);
  });

  it('opens damaged, delay and lost exceptions from notable scans, and a returned journey resolves everything', async () => {
    const lost = await book();
    await scans(lost.trackingNumber, ['COLLECTED', 10], ['DELAYED', 20, { reason: 'WEATHER' }], ['DAMAGED', 30]);
    await project();
    await scans(lost.trackingNumber, ['LOST', 40]);
    await project();
    expect((await exceptionsOf(lost.id)).map((r) => [r.type, r.status]).sort()).toEqual([
      ['damaged', 'open'],
      ['delay', 'open'],
      ['lost', 'open'],
    ]);

    const returned = await book();
    await scans(returned.trackingNumber, ['COLLECTED', 10], ['DAMAGED', 20]);
    await project();
    await scans(returned.trackingNumber, ['DELIVERED', 100], ['RETURN_REQUESTED', 200], ['RETURN_IN_TRANSIT', 300], ['RETURN_DELIVERED', 400]);
    await project();
    await expect(exceptionsOf(returned.id)).resolves.toEqual([expect.objectContaining({ type: 'damaged', status: 'resolved', resolution_code: 'shipment_returned' })]);
  });

  it('resolves everything open when the retailer cancels the shipment', async () => {
    const s = await book(toBrazil());
    await project();
    const cancelled = await as(t.http, retailer.key).post(`/v1/shipments/${s.id}/cancel`);
    expect(cancelled.status).toBe(200);
    await project();
    await expect(exceptionsOf(s.id)).resolves.toEqual([expect.objectContaining({ type: 'needs_information', status: 'resolved', resolution_code: 'shipment_cancelled' })]);
  });

  it('opens nothing for a healthy journey', async () => {
    const s = await book();
    await scans(s.trackingNumber, ['COLLECTED', 10], ['CUSTOMS_PRESENTED', 60], ['CUSTOMS_CLEARED', 90], ['OUT_FOR_DELIVERY', 120], ['DELIVERED', 150]);
    await project();
    await expect(exceptionsOf(s.id)).resolves.toEqual([]);
  });

  it('does not open a hold the parcel has already left by the time the projector reads it', async () => {
    const s = await book();
    await scans(s.trackingNumber, ['CUSTOMS_PRESENTED', 10], ['CUSTOMS_HELD', 20, { reason: 'INSPECTION' }], ['CUSTOMS_CLEARED', 30]);
    await project();
    await expect(exceptionsOf(s.id)).resolves.toEqual([]);
  });

  it('opens needs_information from the booking verdict and resolves it when the consignee patch satisfies it', async () => {
    const s = await book(toBrazil());
    await project();
    await expect(exceptionsOf(s.id)).resolves.toEqual([expect.objectContaining({ type: 'needs_information', status: 'open' })]);
    const fixed = await as(t.http, retailer.key).patch(`/v1/shipments/${s.id}/consignee`, { taxId: VALID_CPF });
    expect(fixed.status).toBe(200);
    await project();
    await expect(exceptionsOf(s.id)).resolves.toEqual([expect.objectContaining({ type: 'needs_information', status: 'resolved', resolution_code: 'information_supplied' })]);
  });

  it('projects each journey event once, even with projectors running side by side', async () => {
    const s = await book();
    await scans(s.trackingNumber, ['COLLECTED', 10], ['DAMAGED', 20], ['DELAYED', 30]);
    const results = await Promise.all([projector.projectOnce(1), projector.projectOnce(1), projector.projectOnce(1), project()]);
    expect(results.length).toBe(4);
    await project();
    const [{ unprocessed }] = await db.query(`SELECT count(*)::int AS unprocessed FROM journey_events WHERE shipment_id = $1 AND cx_processed_at IS NULL`, [s.id]);
    expect(unprocessed).toBe(0);
    const rows = await db.query(`SELECT e.type, count(ev.*)::int AS opened FROM exceptions e JOIN exception_events ev ON ev.exception_id = e.id AND ev.kind = 'opened'
                                  WHERE e.shipment_id = $1 GROUP BY e.type ORDER BY e.type`, [s.id]);
    expect(rows).toEqual([
      { type: 'damaged', opened: 1 },
      { type: 'delay', opened: 1 },
    ]);
  });
});
