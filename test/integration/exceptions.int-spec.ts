import { DataSource } from 'typeorm';
import { FixedClock } from '../../src/common/clock/clock';
import { ExceptionsService } from '../../src/modules/cx/exceptions/exceptions.service';
import { bookShipment, createRetailer, TestRetailer } from '../factories';
import { createTestApp, TestApp } from '../utils/test-app';

const T0 = new Date('2026-12-01T09:00:00Z');
const HOUR = 3_600_000;

describe('the exceptions core', () => {
  let t: TestApp;
  let db: DataSource;
  let clock: FixedClock;
  let exceptions: ExceptionsService;
  let retailer: TestRetailer;

  beforeAll(async () => {
    clock = new FixedClock(T0);
    t = await createTestApp({ clock, env: { CX_SLA_HOURS: 'delay=6' } });
    db = t.app.get(DataSource);
    exceptions = t.app.get(ExceptionsService);
    retailer = await createRetailer(t.http);
  }, 60_000);

  afterAll(() => t.close());

  const rowsOf = (shipmentId: string) =>
    db.query(`SELECT id, type, status, severity, source, sla_due_at, opened_at, resolved_at, resolution_code, reopened_count, destination_country, incident_id
                FROM exceptions WHERE shipment_id = $1 ORDER BY created_at, id`, [shipmentId]);
  const eventsOf = (exceptionId: string) =>
    db.query(`SELECT kind, actor, body FROM exception_events WHERE exception_id = $1 ORDER BY id`, [exceptionId]);

  it('opens one exception per shipment and type, however often it is asked to', async () => {
    const shipment = await bookShipment(t.http, retailer);
    const input = { shipmentId: shipment.id, retailerId: retailer.id, type: 'delay' as const, source: 'detector' as const, at: T0 };
    const first = await db.transaction((tx) => exceptions.open(tx, input));
    const second = await db.transaction((tx) => exceptions.open(tx, { ...input, note: 'still late' }));
    expect(first.created).toBe(true);
    expect(second).toEqual({ id: first.id, created: false });
    const rows = await rowsOf(shipment.id);
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({ type: 'delay', status: 'open', severity: 'medium', source: 'detector', destination_country: 'DE' });
    // CX_SLA_HOURS=delay=6 overrides the 24 h default.
    expect(new Date(rows[0].sla_due_at)).toEqual(new Date(T0.getTime() + 6 * HOUR));
    await expect(eventsOf(first.id)).resolves.toEqual([
      { kind: 'opened', actor: 'system', body: { type: 'delay', severity: 'medium', source: 'detector' } },
      { kind: 'system_note', actor: 'system', body: { note: 'still late', source: 'detector' } },
    ]);
  });

  it('lets concurrent openers agree on a single exception', async () => {
    const shipment = await bookShipment(t.http, retailer);
    const input = { shipmentId: shipment.id, retailerId: retailer.id, type: 'lost' as const, source: 'event' as const, at: T0 };
    const results = await Promise.all(Array.from({ length: 5 }, () => db.transaction((tx) => exceptions.open(tx, input))));
    expect(results.filter((r) => r.created)).toHaveLength(1);
    expect(new Set(results.map((r) => r.id)).size).toBe(1);
    await expect(rowsOf(shipment.id)).resolves.toHaveLength(1);
  });

  it('links an exception already open to an incident that opens it again', async () => {
    const shipment = await bookShipment(t.http, retailer);
    const input = { shipmentId: shipment.id, retailerId: retailer.id, type: 'delay' as const, source: 'detector' as const, at: T0 };
    const first = await db.transaction((tx) => exceptions.open(tx, input));
    const incidentId = '3f9b6a52-1c1e-4b7e-9d55-1e2f3a4b5c6d';
    await db.transaction((tx) => exceptions.open(tx, { ...input, incidentId }));
    const [row] = await rowsOf(shipment.id);
    expect(row).toMatchObject({ id: first.id, incident_id: incidentId });
  });

  it('refuses to open an exception on another retailer’s shipment', async () => {
    const other = await createRetailer(t.http);
    const shipment = await bookShipment(t.http, retailer);
    await expect(
      db.transaction((tx) => exceptions.open(tx, { shipmentId: shipment.id, retailerId: other.id, type: 'delay', source: 'agent', at: T0 })),
    ).rejects.toThrow(/no shipment/);
    await expect(rowsOf(shipment.id)).resolves.toEqual([]);
  });

  it('resolves only the open exceptions of the given types, with a note, and a new one may open after', async () => {
    const shipment = await bookShipment(t.http, retailer);
    const base = { shipmentId: shipment.id, retailerId: retailer.id, source: 'event' as const, at: T0 };
    await db.transaction(async (tx) => {
      await exceptions.open(tx, { ...base, type: 'failed_attempt' });
      await exceptions.open(tx, { ...base, type: 'damaged' });
    });
    const at = new Date(T0.getTime() + 2 * HOUR);
    const n = await db.transaction((tx) => exceptions.resolveOpen(tx, { shipmentId: shipment.id, types: ['failed_attempt', 'delay'], note: 'Delivered.', at }));
    expect(n).toBe(1);
    const rows: Array<{ id: string; type: string; status: string; resolved_at: Date }> = await rowsOf(shipment.id);
    expect(rows.map((r) => [r.type, r.status]).sort()).toEqual([
      ['damaged', 'open'],
      ['failed_attempt', 'resolved'],
    ]);
    const resolved = rows.find((r) => r.type === 'failed_attempt')!;
    expect(resolved).toMatchObject({ resolution_code: 'auto_resolved' });
    expect(new Date(resolved.resolved_at)).toEqual(at);
    await expect(eventsOf(resolved.id)).resolves.toContainEqual({
      kind: 'resolved',
      actor: 'system',
      body: { resolutionCode: 'auto_resolved', note: 'Delivered.', automatic: true },
    });
    // Resolved, so the partial unique index no longer holds the slot.
    await expect(db.transaction((tx) => exceptions.open(tx, { ...base, type: 'failed_attempt' }))).resolves.toMatchObject({ created: true });
  });
});
