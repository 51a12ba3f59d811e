import { randomUUID } from 'node:crypto';
import { Counter } from 'prom-client';
import { DataSource } from 'typeorm';
import { MetricsService } from '../../src/modules/metrics/metrics.service';
import { EventCode, replayJourney, STATUS_EVENT_TYPE } from '../../src/modules/shipments/journey';
import { JourneyBatch, JourneyRepository } from '../../src/modules/shipments/journey.repository';
import { JourneyEventDraft, JourneyEventResult, JourneyService } from '../../src/modules/shipments/journey.service';
import { bookShipment, createCarrier, createRetailer, postScans, scan, TestCarrier, TestRetailer } from '../factories';
import { journeyTableCounts, shipmentRows } from '../utils/journey-rows';
import { createTestApp, TestApp } from '../utils/test-app';
import { prng } from '../utils/prng';

const T0 = Date.UTC(2026, 10, 20, 8, 0);
const minute = (m: number) => new Date(T0 + m * 60_000).toISOString();

/** A cross-border journey with a duties hold resolved by clearance, two failed attempts and a pickup point. */
const JOURNEY: [EventCode, number][] = [
  ['COLLECTED', 0],
  ['HUB_SCAN', 30],
  ['DEPARTED_ORIGIN', 60],
  ['EXPORT_CLEARED', 90],
  ['ARRIVED_DESTINATION', 300],
  ['CUSTOMS_PRESENTED', 310],
  ['CUSTOMS_HELD', 320],
  ['DUTIES_PAID', 400],
  ['CUSTOMS_CLEARED', 420],
  ['ARRIVED_DELIVERY_OFFICE', 480],
  ['DELAYED', 490],
  ['OUT_FOR_DELIVERY', 500],
  ['DELIVERY_ATTEMPTED', 560],
  ['OUT_FOR_DELIVERY', 1900],
  ['DELIVERY_ATTEMPTED', 1960],
  ['AVAILABLE_FOR_PICKUP', 1960],
  ['HUB_SCAN', 2000],
  ['DAMAGED', 2100],
  ['DELIVERED', 3000],
  ['HUB_SCAN', 3100],
];


const expectedFinal = (journey: [EventCode, number][]) =>
  replayJourney(journey.map(([code, m], i) => ({ code, occurredAt: new Date(minute(m)), key: String(i) }))).status;

/** Every status-history row starts where the previous one ended, from the booking onwards. */
function expectChained(history: { from_status: string | null; to_status: string; cause: string }[], finalStatus: string) {
  expect(history[0]).toMatchObject({ from_status: null, to_status: 'booked', cause: 'booking' });
  for (let i = 1; i < history.length; i++) expect(history[i].from_status).toBe(history[i - 1].to_status);
  expect(history[history.length - 1].to_status).toBe(finalStatus);
}


/** A counter's value for one set of labels (0 before its first increment). */
async function counterValue(counter: Counter<string>, labels: Record<string, string>): Promise<number> {
  const { values } = await counter.get();
  return values.find((v) => Object.entries(labels).every(([k, x]) => v.labels[k] === x))?.value ?? 0;
}

/**
 * Breaks the next batch's (or the next `which` batch's) last write, its journey-event outbox rows (a NOT NULL
 * column left empty), so that the statement fails after its events, status update and history have been
 * written (a fault at the worst moment).
 */
function failOutboxWrite(repository: JourneyRepository, which: (batch: JourneyBatch) => boolean = () => true) {
  const write = repository.writeBatch.bind(repository);
  let failed = false;
  return jest.spyOn(repository, 'writeBatch').mockImplementation((db, batch, now) => {
    if (failed || !which(batch)) return write(db, batch, now);
    failed = true;
    return write(db, { ...batch, journeyEvents: batch.journeyEvents.map((j) => ({ ...j, type: null as unknown as string })) }, now);
  });
}

describe('journey transitions against PostgreSQL', () => {
  let t: TestApp;
  let db: DataSource;
  let journey: JourneyService;
  let retailer: TestRetailer;
  let carrier: TestCarrier;

  beforeAll(async () => {
    t = await createTestApp();
    db = t.app.get(DataSource);
    journey = t.app.get(JourneyService);
    retailer = await createRetailer(t.http);
    carrier = await createCarrier(t.http);
  });
  afterAll(() => t.close());

  /**
   * Runs `meanwhile` (another request's write) right after each of the next `times` reads by `method`, as if
   * it landed between that read and the write decided on it. Reads made by `meanwhile` itself pass through.
   */
  function interleave<M extends 'findShipmentsAndDuplicates' | 'loadHistory'>(method: M, meanwhile: () => Promise<unknown>, times: number) {
    const repository = t.app.get(JourneyRepository);
    const read = (repository[method] as (...args: unknown[]) => Promise<unknown>).bind(repository);
    let left = times;
    let inside = false;
    return jest.spyOn(repository, method as 'findShipmentsAndDuplicates').mockImplementation(async (...args: unknown[]) => {
      const result = await read(...args);
      if (left > 0 && !inside) {
        left--;
        inside = true;
        try {
          await meanwhile();
        } finally {
          inside = false;
        }
      }
      return result as Awaited<ReturnType<JourneyRepository['findShipmentsAndDuplicates']>>;
    });
  }

  const draft = (shipmentId: string, code: EventCode, at: number, extra: Partial<JourneyEventDraft> = {}): JourneyEventDraft => ({
    shipmentId,
    source: carrier.code,
    externalEventId: randomUUID(),
    code,
    originalCode: code,
    reason: null,
    occurredAt: new Date(minute(at)),
    location: { country: 'DE' },
    description: null,
    raw: null,
    ...extra,
  });

  describe('guarded transitions under concurrency', () => {
    it('leaves a consistent status and a chained history when 20 scan requests for one shipment race', async () => {
      const shipment = await bookShipment(t.http, retailer);
      const responses = await Promise.all(
        JOURNEY.map(([code, m]) => postScans(t.http, carrier.key, [scan(shipment.trackingNumber, code, minute(m))])),
      );
      for (const res of responses) {
        expect(res.status).toBe(200);
        expect(['applied', 'recorded']).toContain(res.body.results[0].result);
      }

      const rows = await shipmentRows(db, shipment.id);
      expect(rows.status).toBe(expectedFinal(JOURNEY));
      expect(rows.status).toBe('delivered');
      expect(rows.events).toHaveLength(JOURNEY.length);
      expect(rows.lastEventOccurredAt?.toISOString()).toBe(minute(3100));
      expectChained(rows.history, rows.status);

      // One status journey event per transition (and the booking), each naming the status it reached.
      const statusTypes = new Set(Object.values(STATUS_EVENT_TYPE));
      const statusEvents = rows.journeyEvents.filter((e) => statusTypes.has(e.type));
      expect(statusEvents.map((e) => e.type)).toEqual(rows.history.map((h) => STATUS_EVENT_TYPE[h.to_status as keyof typeof STATUS_EVENT_TYPE]));
      expect(statusEvents.slice(1).map((e) => [e.payload.from, e.payload.to])).toEqual(rows.history.slice(1).map((h) => [h.from_status, h.to_status]));
    });

    it('applies an event once when 20 JourneyService calls deliver the same scan at the same time', async () => {
      const shipment = await bookShipment(t.http, retailer);
      const same = draft(shipment.id, 'COLLECTED', 0);
      const results = await Promise.all(Array.from({ length: 20 }, () => journey.apply([{ ...same }])));
      const outcomes = results.map(([r]) => r.result).sort();
      expect(outcomes.filter((o) => o === 'applied')).toHaveLength(1);
      expect(outcomes.filter((o) => o === 'duplicate')).toHaveLength(19);

      const rows = await shipmentRows(db, shipment.id);
      expect(rows.status).toBe('collected');
      expect(rows.events).toHaveLength(1);
      expect(rows.history.map((h) => h.to_status)).toEqual(['booked', 'collected']);
      expect(rows.journeyEvents.map((e) => e.type)).toEqual(['shipment.booked', 'shipment.collected']);
    });

    it('keeps every status-history row chained when 20 JourneyService calls with different events race', async () => {
      const shipment = await bookShipment(t.http, retailer);
      const results = await Promise.all(JOURNEY.map(([code, m]) => journey.apply([draft(shipment.id, code, m)])));
      expect(results.map(([r]) => r.result).every((r) => r === 'applied' || r === 'recorded')).toBe(true);

      const rows = await shipmentRows(db, shipment.id);
      expect(rows.status).toBe('delivered');
      expectChained(rows.history, 'delivered');
      expect(rows.events.filter((e) => e.outcome === 'applied').length).toBeLessThanOrEqual(rows.history.length - 1);
      // Each event-caused history row (a step, or a replay correction after a late event) points at its event.
      for (const h of rows.history.slice(1)) expect(h).toMatchObject({ cause: expect.stringMatching(/^(event|replay)$/), tracking_event_id: expect.any(String) });
    });
  });

  describe('optimistic writes: read, decide, then one guarded statement', () => {
    it('decides again when another write lands between its read and its write, so no transition is lost', async () => {
      const shipment = await bookShipment(t.http, retailer);
      const spy = interleave('findShipmentsAndDuplicates', () => journey.apply([draft(shipment.id, 'COLLECTED', 0)]), 1);
      try {
        const [result] = await journey.apply([draft(shipment.id, 'HUB_SCAN', 10)]);
        // Decided on `collected` (the retry's read), not on the `booked` its first read saw.
        expect(result).toMatchObject({ result: 'applied', statusBefore: 'collected', status: 'in_transit' });
        // Its stale read, the other request's read, its retry: all optimistic.
        expect(spy.mock.calls.map((call) => call[3])).toEqual(Array(3).fill({ lock: false, stored: false }));
      } finally {
        spy.mockRestore();
      }
      const rows = await shipmentRows(db, shipment.id);
      expect(rows.history.map((h) => h.to_status)).toEqual(['booked', 'collected', 'in_transit']);
      expectChained(rows.history, 'in_transit');
      expect(rows.events.map((e) => [e.code, e.outcome])).toEqual([
        ['COLLECTED', 'applied'],
        ['HUB_SCAN', 'applied'],
      ]);
      expect(rows.journeyEvents.map((e) => e.type)).toEqual(['shipment.booked', 'shipment.collected', 'shipment.in_transit']);
    });

    it('writes the shipments of a batch that did not change since its read, and decides again only the one that did', async () => {
      const [a, b] = await Promise.all([bookShipment(t.http, retailer), bookShipment(t.http, retailer)]);
      const repository = t.app.get(JourneyRepository);
      const write = jest.spyOn(repository, 'writeBatch');
      const spy = interleave('findShipmentsAndDuplicates', () => journey.apply([draft(b.id, 'COLLECTED', 0)]), 1);
      const refusals = () => counterValue(t.app.get(MetricsService).journeyRetries, { reason: 'shipment_changed' });
      const refusedBefore = await refusals();
      try {
        const results = await journey.apply([draft(a.id, 'COLLECTED', 0), draft(b.id, 'HUB_SCAN', 10)]);
        expect(results).toEqual([
          expect.objectContaining({ result: 'applied', statusBefore: 'booked', status: 'collected' }),
          expect.objectContaining({ result: 'applied', statusBefore: 'collected', status: 'in_transit' }),
        ]);
        // Our writes carry the HUB_SCAN (the other request's does not): the first wrote `a` only, the second `b`.
        const ours = write.mock.calls.flatMap((call, i) => (call[1].events.some((e) => e.code === 'HUB_SCAN') ? [i] : []));
        expect(ours.map((i) => write.mock.calls[i][1].updates.map((u) => u.id).sort())).toEqual([[a.id, b.id].sort(), [b.id]]);
        await expect(Promise.all(ours.map((i) => write.mock.results[i].value))).resolves.toEqual([
          { written: new Set([a.id]), inserted: 1 },
          { written: new Set([b.id]), inserted: 1 },
        ]);
        await expect(refusals()).resolves.toBe(refusedBefore + 1);
      } finally {
        spy.mockRestore();
        write.mockRestore();
      }
      const [rowsA, rowsB] = await Promise.all([shipmentRows(db, a.id), shipmentRows(db, b.id)]);
      expect(rowsA.history.map((h) => h.to_status)).toEqual(['booked', 'collected']);
      expect(rowsB.history.map((h) => h.to_status)).toEqual(['booked', 'collected', 'in_transit']);
      expect([rowsA.events.length, rowsB.events.length]).toEqual([1, 2]);
    });

    it('falls back to locking the shipment after repeated conflicts, and then applies', async () => {
      const shipment = await bookShipment(t.http, retailer);
      let minute = 0;
      const spy = interleave('findShipmentsAndDuplicates', () => journey.apply([draft(shipment.id, 'HUB_SCAN', ++minute)]), 3);
      try {
        const [result] = await journey.apply([draft(shipment.id, 'OUT_FOR_DELIVERY', 100)]);
        expect(result).toMatchObject({ result: 'applied', statusBefore: 'in_transit', status: 'out_for_delivery' });
        // Three optimistic attempts, each followed by the other request's read, then one under the lock.
        expect(spy.mock.calls.map((call) => call[3])).toEqual([...Array(6).fill({ lock: false, stored: false }), { lock: true, stored: false }]);
      } finally {
        spy.mockRestore();
      }
      const rows = await shipmentRows(db, shipment.id);
      expect(rows.events).toHaveLength(4);
      expect(rows.history.map((h) => h.to_status)).toEqual(['booked', 'in_transit', 'out_for_delivery']);
      expectChained(rows.history, 'out_for_delivery');
    });

    it('answers duplicate when the same event is stored for another shipment between its read and its write', async () => {
      const [a, b] = await Promise.all([bookShipment(t.http, retailer), bookShipment(t.http, retailer)]);
      const before = await journeyTableCounts(db, a.id);
      const event = draft(a.id, 'COLLECTED', 0);
      // The other shipment's version moves, not this one's: the unique (source, event id) catches it.
      const spy = interleave('findShipmentsAndDuplicates', () => journey.apply([{ ...event, shipmentId: b.id }]), 1);
      try {
        await expect(journey.apply([event])).resolves.toEqual([{ result: 'duplicate' }]);
      } finally {
        spy.mockRestore();
      }
      await expect(journeyTableCounts(db, a.id)).resolves.toEqual(before);
      await expect(shipmentRows(db, b.id)).resolves.toMatchObject({ status: 'collected' });
    });

    it('replays a late event on the history as of its write, when an event lands after the history was read', async () => {
      const shipment = await bookShipment(t.http, retailer);
      await journey.apply([draft(shipment.id, 'OUT_FOR_DELIVERY', 500)]);
      const spy = interleave('loadHistory', () => journey.apply([draft(shipment.id, 'CUSTOMS_HELD', 320)]), 1);
      try {
        // Late (before 500): replayed over the history, which has changed by the time of the first write.
        const [result] = await journey.apply([draft(shipment.id, 'CUSTOMS_CLEARED', 420)]);
        expect(result).toMatchObject({ result: 'recorded', late: true, status: 'out_for_delivery' });
        expect(spy).toHaveBeenCalledTimes(3);
      } finally {
        spy.mockRestore();
      }
      const rows = await shipmentRows(db, shipment.id);
      const events: [EventCode, number][] = [
        ['OUT_FOR_DELIVERY', 500],
        ['CUSTOMS_HELD', 320],
        ['CUSTOMS_CLEARED', 420],
      ];
      expect(rows.status).toBe(expectedFinal(events));
      expect(rows.events).toHaveLength(3);
      expectChained(rows.history, rows.status);
    });
  });

  describe('ingestion idempotency', () => {
    it('answers duplicate to a re-posted (source, eventId) and writes nothing', async () => {
      const shipment = await bookShipment(t.http, retailer);
      const item = scan(shipment.trackingNumber, 'COLLECTED', minute(0));
      const first = await postScans(t.http, carrier.key, [item]);
      expect(first.body.results[0]).toMatchObject({ result: 'applied', status: 'collected' });
      const before = await journeyTableCounts(db, shipment.id);

      // Same id, even with a different code and time: the id is what identifies the event.
      const again = await postScans(t.http, carrier.key, [item, { ...item, code: 'DELIVERED', occurredAt: minute(50) }]);
      expect(again.status).toBe(200);
      expect(again.body.results.map((r: { result: string }) => r.result)).toEqual(['duplicate', 'duplicate']);
      expect(again.body.summary).toMatchObject({ duplicate: 2, applied: 0, recorded: 0 });
      await expect(journeyTableCounts(db, shipment.id)).resolves.toEqual(before);
      await expect(shipmentRows(db, shipment.id)).resolves.toMatchObject({ status: 'collected' });
    });

    it('looks stored events up only after its write met one, and then applies the new events of the batch', async () => {
      const [a, b] = await Promise.all([bookShipment(t.http, retailer), bookShipment(t.http, retailer)]);
      const stored = draft(a.id, 'COLLECTED', 0);
      await expect(journey.apply([stored])).resolves.toMatchObject([{ result: 'applied' }]);
      const repository = t.app.get(JourneyRepository);
      const read = jest.spyOn(repository, 'findShipmentsAndDuplicates');
      try {
        const results = await journey.apply([{ ...stored }, draft(a.id, 'HUB_SCAN', 10), draft(b.id, 'COLLECTED', 5)]);
        expect(results.map((r) => r.result)).toEqual(['duplicate', 'applied', 'applied']);
        // The first read takes every event as new; the write's unique (source, id) refuses the batch, and
        // the second read looks the stored ones up.
        expect(read.mock.calls.map((call) => call[3])).toEqual([
          { lock: false, stored: false },
          { lock: false, stored: true },
        ]);
      } finally {
        read.mockRestore();
      }
      const rows = await shipmentRows(db, a.id);
      expect(rows.events.map((e) => e.code)).toEqual(['COLLECTED', 'HUB_SCAN']);
      expect(rows.history.map((h) => h.to_status)).toEqual(['booked', 'collected', 'in_transit']);
    });

    it('points every status-history row written for an event at a stored event of its own shipment', async () => {
      // The reference has no foreign key (see migration 1764001000000): this is what keeps it honest.
      const shipments = await Promise.all(Array.from({ length: 3 }, () => bookShipment(t.http, retailer)));
      await Promise.all(
        shipments.flatMap((s) => JOURNEY.map(([code, m]) => postScans(t.http, carrier.key, [scan(s.trackingNumber, code, minute(m))]))),
      );
      const ids = shipments.map((s) => s.id);
      const [counts] = await db.query(
        `SELECT count(*)::int AS rows,
                count(*) FILTER (WHERE e.id IS NULL OR e.shipment_id <> h.shipment_id)::int AS dangling
           FROM shipment_status_history h LEFT JOIN tracking_events e ON e.id = h.tracking_event_id
          WHERE h.shipment_id = ANY($1::uuid[]) AND h.tracking_event_id IS NOT NULL`,
        [ids],
      );
      expect(counts.rows).toBeGreaterThanOrEqual(3 * 7);
      expect(counts.dangling).toBe(0);
    });

    it('treats the same eventId from another carrier as a different event', async () => {
      const other = await createCarrier(t.http);
      const shipment = await bookShipment(t.http, retailer);
      const item = scan(shipment.trackingNumber, 'COLLECTED', minute(0));
      await expect(postScans(t.http, carrier.key, [item])).resolves.toMatchObject({ body: { results: [{ result: 'applied' }] } });
      const res = await postScans(t.http, other.key, [{ ...item, code: 'HUB_SCAN', occurredAt: minute(10) }]);
      expect(res.body.results[0]).toMatchObject({ result: 'applied', status: 'in_transit' });

      const rows = await shipmentRows(db, shipment.id);
      expect(rows.events.map((e) => [e.source, e.external_event_id])).toEqual([
        [carrier.code, item.eventId],
        [other.code, item.eventId],
      ]);
    });

    it('drops a repeat of an event inside one batch', async () => {
      const shipment = await bookShipment(t.http, retailer);
      const item = scan(shipment.trackingNumber, 'COLLECTED', minute(0));
      const res = await postScans(t.http, carrier.key, [item, item]);
      expect(res.body.results.map((r: { result: string }) => r.result)).toEqual(['applied', 'duplicate']);
      await expect(journeyTableCounts(db, shipment.id)).resolves.toMatchObject({ tracking_events: 1, history: 2 });
    });
  });

  describe('out-of-order arrival', () => {
    it('ends in the same status for the same set of events posted in different orders and batches', async () => {
      const random = prng(424242);
      const finals: string[] = [];
      const shipments = await Promise.all(Array.from({ length: 4 }, () => bookShipment(t.http, retailer)));
      for (const [n, shipment] of shipments.entries()) {
        const items = JOURNEY.map(([code, m]) => scan(shipment.trackingNumber, code, minute(m)));
        if (n === 0) items.reverse();
        else if (n > 1) {
          for (let i = items.length - 1; i > 0; i--) {
            const j = Math.floor(random() * (i + 1));
            [items[i], items[j]] = [items[j], items[i]];
          }
        }
        // Shipment 1 gets everything in one batch, in order; the others get batches of 1 to 5.
        for (let i = 0; i < items.length; ) {
          const size = n === 1 ? items.length : 1 + Math.floor(random() * 5);
          const res = await postScans(t.http, carrier.key, items.slice(i, i + size));
          expect(res.status).toBe(200);
          expect(res.body.summary.invalid).toBe(0);
          i += size;
        }
        const rows = await shipmentRows(db, shipment.id);
        expectChained(rows.history, rows.status);
        expect(rows.events).toHaveLength(JOURNEY.length);
        finals.push(rows.status);
      }
      expect(finals).toEqual(Array(4).fill(expectedFinal(JOURNEY)));
    });

    it('marks a scan that arrives after a newer one as late and does not move the status back', async () => {
      const shipment = await bookShipment(t.http, retailer);
      await postScans(t.http, carrier.key, [scan(shipment.trackingNumber, 'DELIVERED', minute(100))]);
      const res = await postScans(t.http, carrier.key, [scan(shipment.trackingNumber, 'HUB_SCAN', minute(10))]);
      expect(res.body.results[0]).toMatchObject({ result: 'recorded', status: 'delivered', late: true });
      const rows = await shipmentRows(db, shipment.id);
      expect(rows.status).toBe('delivered');
      expect(rows.events.map((e) => [e.code, e.outcome, e.late])).toEqual([
        ['DELIVERED', 'applied', false],
        ['HUB_SCAN', 'recorded', true],
      ]);
    });
  });

  describe('what is stored', () => {
    it('stores the item exactly as the carrier sent it, its own raw payload included', async () => {
      const shipment = await bookShipment(t.http, retailer);
      const item = scan(shipment.trackingNumber, 'emi', minute(5), {
        reason: undefined,
        description: 'Left with neighbour',
        raw: { carrierStatus: 'DLV-07', signature: { name: 'K. Nachbar', image: null }, scans: [1, 2] },
      });
      const res = await postScans(t.http, carrier.key, [item]);
      expect(res.body.results[0]).toMatchObject({ result: 'applied', status: 'delivered' });
      const [row] = await db.query(`SELECT code, original_code, description, raw FROM tracking_events WHERE shipment_id = $1`, [shipment.id]);
      expect(row).toMatchObject({ code: 'DELIVERED', original_code: 'EMI', description: 'Left with neighbour' });
      expect(row.raw).toEqual(JSON.parse(JSON.stringify(item)));
      expect(row.raw.raw).toEqual({ carrierStatus: 'DLV-07', signature: { name: 'K. Nachbar', image: null }, scans: [1, 2] });
    });
  });

  describe('batches', () => {
    it('applies the valid items of a batch that also holds an invalid one', async () => {
      const shipment = await bookShipment(t.http, retailer);
      const res = await postScans(t.http, carrier.key, [
        scan(shipment.trackingNumber, 'COLLECTED', minute(0)),
        scan(shipment.trackingNumber, 'TELEPORTED', minute(5)),
        scan(shipment.trackingNumber, 'HUB_SCAN', minute(10)),
      ]);
      expect(res.status).toBe(200);
      expect(res.body.results.map((r: { result: string }) => r.result)).toEqual(['applied', 'invalid', 'applied']);
      expect(res.body.results[1].errors).toEqual([expect.objectContaining({ code: 'UNKNOWN_EVENT_CODE', field: 'code' })]);
      expect(res.body.summary).toMatchObject({ applied: 2, invalid: 1 });
      const rows = await shipmentRows(db, shipment.id);
      expect(rows.status).toBe('in_transit');
      expect(rows.events.map((e) => e.code)).toEqual(['COLLECTED', 'HUB_SCAN']);
    });

    it('writes nothing at all when a batch fails part-way through its write', async () => {
      const [a, b] = await Promise.all([bookShipment(t.http, retailer), bookShipment(t.http, retailer)]);
      const before = await Promise.all([journeyTableCounts(db, a.id), journeyTableCounts(db, b.id)]);
      const spy = failOutboxWrite(t.app.get(JourneyRepository));
      try {
        await expect(
          journey.apply([draft(a.id, 'COLLECTED', 0), draft(a.id, 'HUB_SCAN', 10), draft(b.id, 'COLLECTED', 0)]),
        ).rejects.toThrow(/null value in column "type"/);
        expect(spy).toHaveBeenCalledTimes(1);
      } finally {
        spy.mockRestore();
      }
      await expect(Promise.all([journeyTableCounts(db, a.id), journeyTableCounts(db, b.id)])).resolves.toEqual(before);
      await expect(shipmentRows(db, a.id)).resolves.toMatchObject({ status: 'booked', lastEventOccurredAt: null });

      // The same events go through once the fault is gone: nothing half-written blocks them as duplicates.
      const retry = await journey.apply([draft(a.id, 'COLLECTED', 0), draft(a.id, 'HUB_SCAN', 10)]);
      expect(retry.map((r) => r.result)).toEqual(['applied', 'applied']);
    });

    it('writes nothing of a round under the locks that fails part-way, and keeps what earlier rounds wrote', async () => {
      const shipments = await Promise.all(Array.from({ length: 9 }, () => bookShipment(t.http, retailer)));
      const [hot, alsoHot] = shipments;
      const repository = t.app.get(JourneyRepository);
      // Two shipments change after each of the batch's optimistic reads, so they are left to a round under their locks.
      let minute = 0;
      const meanwhile = () => journey.apply([draft(hot.id, 'HUB_SCAN', ++minute), draft(alsoHot.id, 'HUB_SCAN', minute)]);
      const read = interleave('findShipmentsAndDuplicates', meanwhile, 3);
      let ourWrites = 0;
      const spy = failOutboxWrite(repository, (batch) => batch.events.some((e) => e.code === 'OUT_FOR_DELIVERY') && ++ourWrites === 4);
      const ours = shipments.map((s) => draft(s.id, 'OUT_FOR_DELIVERY', 100));
      const hotBefore = await Promise.all([journeyTableCounts(db, hot.id), journeyTableCounts(db, alsoHot.id)]);
      try {
        await expect(journey.apply(ours)).rejects.toThrow(/null value in column "type"/);
        expect(read.mock.calls.map((call) => call[3])).toEqual([...Array(6).fill({ lock: false, stored: false }), { lock: true, stored: false }]);
      } finally {
        spy.mockRestore();
        read.mockRestore();
      }
      // The locked round wrote nothing: the hot shipments hold only the three HUB_SCANs written meanwhile.
      for (const [i, s] of [hot, alsoHot].entries()) {
        await expect(journeyTableCounts(db, s.id)).resolves.toEqual(expect.objectContaining({ tracking_events: hotBefore[i].tracking_events + 3, version: hotBefore[i].version + 3 }));
        await expect(shipmentRows(db, s.id)).resolves.toMatchObject({ status: 'in_transit' });
      }
      const others = await Promise.all(shipments.slice(2).map((s) => shipmentRows(db, s.id)));
      expect(others.map((r) => r.status)).toEqual(Array(7).fill('out_for_delivery'));
      const retry = await journey.apply(ours.map((d) => ({ ...d })));
      expect(retry.map((r) => r.result)).toEqual([...Array(2).fill('applied'), ...Array(7).fill('duplicate')]);
    });

    it('keeps the shipments a batch wrote when deciding the rest again fails, and says which events were answered', async () => {
      const [a, b] = await Promise.all([bookShipment(t.http, retailer), bookShipment(t.http, retailer)]);
      const repository = t.app.get(JourneyRepository);
      const read = interleave('findShipmentsAndDuplicates', () => journey.apply([draft(b.id, 'COLLECTED', 0)]), 1);
      // The round that decides `b` again (HUB_SCAN alone) fails.
      const spy = failOutboxWrite(repository, (batch) => batch.updates.length === 1 && batch.events.some((e) => e.code === 'HUB_SCAN'));
      const hubScan = draft(b.id, 'HUB_SCAN', 10);
      // A repeat of the HUB_SCAN within the call, naming `a`: it is answered only once its first copy is written.
      const ours = [draft(a.id, 'COLLECTED', 0), hubScan, { ...hubScan, shipmentId: a.id }];
      const answered = new Map<JourneyEventDraft, JourneyEventResult>();
      try {
        await expect(journey.apply(ours, {}, answered)).rejects.toThrow(/null value in column "type"/);
      } finally {
        spy.mockRestore();
        read.mockRestore();
      }
      expect([...answered]).toEqual([[ours[0], expect.objectContaining({ result: 'applied', status: 'collected' })]]);
      const [rowsA, rowsB] = await Promise.all([shipmentRows(db, a.id), shipmentRows(db, b.id)]);
      expect(rowsA.history.map((h) => h.to_status)).toEqual(['booked', 'collected']);
      expect(rowsB.history.map((h) => h.to_status)).toEqual(['booked', 'collected']);
      expect(rowsB.events.map((e) => e.code)).toEqual(['COLLECTED']);
      // Sent again: the event already written is a duplicate, the other one is applied.
      await expect(journey.apply(ours.map((d) => ({ ...d })))).resolves.toEqual([
        { result: 'duplicate' },
        expect.objectContaining({ result: 'applied', statusBefore: 'collected', status: 'in_transit' }),
        { result: 'duplicate' },
      ]);
    });

    it('writes nothing when the HTTP batch fails inside the database', async () => {
      const shipment = await bookShipment(t.http, retailer);
      const before = await journeyTableCounts(db, shipment.id);
      const spy = failOutboxWrite(t.app.get(JourneyRepository));
      try {
        const res = await postScans(t.http, carrier.key, [
          scan(shipment.trackingNumber, 'COLLECTED', minute(0)),
          scan(shipment.trackingNumber, 'HUB_SCAN', minute(10)),
        ]);
        expect(res.status).toBe(500);
        expect(res.body.error.code).toBe('INTERNAL_ERROR');
        expect(JSON.stringify(res.body)).not.toMatch(/null value|journey_events/);
      } finally {
        spy.mockRestore();
      }
      await expect(journeyTableCounts(db, shipment.id)).resolves.toEqual(before);
    });
  });
});
