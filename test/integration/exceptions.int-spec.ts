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
  it('opens a batch set-based: new ones opened, open ones noted and linked to the incident, other retailers’ shipments left out', async () => {
    const other = await createRetailer(t.http);
    const [fresh, alreadyOpen, linkedElsewhere, foreign] = [
      await bookShipment(t.http, retailer),
      await bookShipment(t.http, retailer),
      await bookShipment(t.http, retailer),
      await bookShipment(t.http, other),
    ];
    const earlierIncident = '0b7a4c1e-2d3f-4a5b-8c6d-7e8f9a0b1c2d';
    const incidentId = '5d1e2f3a-4b5c-4d6e-8f70-8192a3b4c5d6';
    const before = await db.transaction((tx) =>
      exceptions.openMany(
        tx,
        [
          { shipmentId: alreadyOpen.id, retailerId: retailer.id, type: 'delay' },
          { shipmentId: linkedElsewhere.id, retailerId: retailer.id, type: 'delay' },
        ],
        { source: 'detector', at: T0 },
      ),
    );
    await db.query(`UPDATE exceptions SET incident_id = $2 WHERE id = $1`, [before.find((o) => o.shipmentId === linkedElsewhere.id)!.id, earlierIncident]);

    const at = new Date(T0.getTime() + HOUR);
    const rows = [fresh, alreadyOpen, linkedElsewhere].map((s) => ({ shipmentId: s.id, retailerId: retailer.id, type: 'delay' as const, occurrenceKey: `incident:${incidentId}` }));
    // Another retailer's shipment, claimed for this one: neither opened nor noted.
    rows.push({ shipmentId: foreign.id, retailerId: retailer.id, type: 'delay', occurrenceKey: `incident:${incidentId}` });
    const opened = await db.transaction((tx) => exceptions.openMany(tx, rows, { source: 'agent', actor: 'user:agent', note: 'Incident: Snow', incidentId, at }));

    const of = (id: string) => opened.find((o) => o.shipmentId === id);
    expect(opened).toHaveLength(3);
    expect(of(fresh.id)).toMatchObject({ type: 'delay', created: true });
    expect(of(alreadyOpen.id)).toEqual({ shipmentId: alreadyOpen.id, type: 'delay', id: before.find((o) => o.shipmentId === alreadyOpen.id)!.id, created: false });
    expect(of(linkedElsewhere.id)).toMatchObject({ created: false });
    expect(of(foreign.id)).toBeUndefined();
    await expect(rowsOf(foreign.id)).resolves.toEqual([]);

    await expect(rowsOf(fresh.id)).resolves.toEqual([expect.objectContaining({ source: 'agent', incident_id: incidentId, severity: 'medium' })]);
    await expect(eventsOf(of(fresh.id)!.id)).resolves.toEqual([
      {
        kind: 'opened',
        actor: 'user:agent',
        body: { type: 'delay', severity: 'medium', source: 'agent', occurrenceKey: `incident:${incidentId}`, incidentId, note: 'Incident: Snow' },
      },
    ]);
    // Open with no incident: linked now, and the note says so.
    await expect(rowsOf(alreadyOpen.id)).resolves.toEqual([expect.objectContaining({ incident_id: incidentId })]);
    await expect(eventsOf(of(alreadyOpen.id)!.id)).resolves.toEqual([
      { kind: 'opened', actor: 'system', body: { type: 'delay', severity: 'medium', source: 'detector' } },
      { kind: 'system_note', actor: 'user:agent', body: { note: 'Incident: Snow', incidentId, occurrenceKey: `incident:${incidentId}`, source: 'agent' } },
    ]);
    // Already linked to another incident: it keeps that link, and gets the note.
    await expect(rowsOf(linkedElsewhere.id)).resolves.toEqual([expect.objectContaining({ incident_id: earlierIncident })]);
    await expect(eventsOf(of(linkedElsewhere.id)!.id)).resolves.toContainEqual({
      kind: 'system_note',
      actor: 'user:agent',
      body: { note: 'Incident: Snow', occurrenceKey: `incident:${incidentId}`, source: 'agent' },
    });

    // Resolving the incident's exceptions leaves the one linked elsewhere open.
    const resolved = await db.transaction((tx) =>
      exceptions.resolveWhere(tx, { incidentId }, { resolutionCode: 'incident_closed', note: 'Snow cleared.', actor: 'user:agent', at }),
    );
    expect(resolved).toBe(2);
    await expect(rowsOf(linkedElsewhere.id)).resolves.toEqual([expect.objectContaining({ status: 'open' })]);
    await expect(eventsOf(of(fresh.id)!.id)).resolves.toContainEqual({
      kind: 'resolved',
      actor: 'user:agent',
      body: { resolutionCode: 'incident_closed', note: 'Snow cleared.', automatic: true },
    });
  });
});
