import request from 'supertest';
import { DataSource } from 'typeorm';
import { FixedClock } from '../../src/common/clock/clock';
import { ComplianceService } from '../../src/modules/country-rules/compliance/compliance.service';
import { RulesCache } from '../../src/modules/country-rules/rules-cache';
import { IncidentsService } from '../../src/modules/cx/incidents/incidents.service';
import { PlannerRepository } from '../../src/modules/notifications/planner/planner.repository';
import { PlannerService } from '../../src/modules/notifications/planner/planner.service';
import type { WebhookEndpointsService } from '../../src/modules/notifications/webhooks/webhook-endpoints.service';
import { as, bookingBody, createCarrier, createRetailer, postScans, scan, TestCarrier, TestRetailer } from '../factories';
import { isEmbedded } from '../utils/database';
import { admin, createTestApp, TestApp } from '../utils/test-app';

// 22:30 in Berlin: inside the nightly courtesy window (21:00–08:00), which ends at 07:00 UTC.
const NIGHT = new Date('2026-11-24T21:30:00.000Z');
const BERLIN_MORNING = new Date('2026-11-25T07:00:00.000Z');
const MANIFEST = 'LH8220-20261124';

const consignee = (n: number, locale = 'de-DE') => ({
  name: `Kunde ${n}`,
  email: `kunde${n}@example.de`,
  phone: `+49151234${String(n).padStart(5, '0')}`,
  locale,
  address: { lines: ['Invalidenstraße 116'], city: 'Berlin', postcode: '10115', country: 'DE' },
});

describe('incident broadcasts', () => {
  let t: TestApp;
  let db: DataSource;
  let clock: FixedClock;
  let carrier: TestCarrier;
  let acme: TestRetailer;
  let globex: TestRetailer;
  let planner: PlannerService;
  let incidents: IncidentsService;
  let agentKey: string;
  let supervisorKey: string;
  const mine = new Set<string>();

  beforeAll(async () => {
    clock = new FixedClock(NIGHT);
    t = await createTestApp({ clock, env: { PUBLIC_BASE_URL: 'https://passage.test' } });
    db = t.app.get(DataSource);
    carrier = await createCarrier(t.http);
    [acme, globex] = await Promise.all([createRetailer(t.http, { name: 'Acme' }), createRetailer(t.http, { name: 'Globex' })]);
    mine.add(acme.id).add(globex.id);
    for (const r of [acme, globex]) {
      const res = await as(t.http, r.key).patch('/v1/retailer/notification-settings', { retailerEmail: `cx@${r === acme ? 'acme' : 'globex'}.example` });
      expect(res.status).toBe(200);
    }
    const noWebhooks = { endpointsFor: async () => [] } as unknown as WebhookEndpointsService;
    planner = new PlannerService(db, new PlannerRepository(), t.app.get(RulesCache), t.app.get(ComplianceService), noWebhooks, clock, t.config);
    incidents = t.app.get(IncidentsService);
    const user = async (role: string) => {
      const res = await admin(t.http).post('/v1/admin/users', { email: `${role}-${Date.now()}@passage.test`, name: role, role });
      expect(res.status).toBe(201);
      return res.body.token.key as string;
    };
    agentKey = await user('agent');
    supervisorKey = await user('supervisor');
  });
  afterAll(() => t.close());

  /** Plans only this suite's events: what other suites left behind is marked planned first. */
  const plan = async () => {
    await db.query(`UPDATE journey_events SET planned_at = now() WHERE planned_at IS NULL AND NOT (retailer_id = ANY($1::uuid[]))`, [[...mine]]);
    while ((await planner.planOnce(500)).events > 0);
  };
  const book = async (retailer: TestRetailer, overrides: Record<string, unknown>) => {
    const res = await as(t.http, retailer.key).post('/v1/shipments', bookingBody(overrides));
    expect(res.status).toBe(201);
    return res.body as { id: string; trackingNumber: string };
  };
  const bookMany = async (retailer: TestRetailer, bodies: Array<Record<string, unknown>>) => {
    const out: Array<{ id: string; trackingNumber: string }> = [];
    // On the embedded database every request shares one connection: smaller bursts, same bookings.
    const burst = isEmbedded() ? 5 : 25;
    for (let i = 0; i < bodies.length; i += burst) out.push(...(await Promise.all(bodies.slice(i, i + burst).map((b) => book(retailer, b)))));
    return out;
  };
  const scanAll = async (shipments: Array<{ trackingNumber: string }>, extra: Record<string, unknown>, at = new Date(NIGHT.getTime() - 3_600_000)) => {
    for (let i = 0; i < shipments.length; i += 1000) {
      const res = await postScans(t.http, carrier.key, shipments.slice(i, i + 1000).map((s) => scan(s.trackingNumber, 'HUB_SCAN', at.toISOString(), extra)));
      expect(res.status).toBe(200);
      expect(res.body.summary.invalid).toBe(0);
    }
  };
  const onFlight = { location: { country: 'DE', city: 'Frankfurt', facility: 'FRA hub' }, raw: { manifest: MANIFEST } };

  describe('a grounded flight with 500 parcels on it', () => {
    let acmeShipments: Array<{ id: string; trackingNumber: string }>;
    let globexShipments: Array<{ id: string; trackingNumber: string }>;
    let incidentId: string;
    const declareBody = {
      kind: 'flight_cancelled',
      title: 'LH8220 FRA→LHR grounded (storm)',
      scope: { manifest: MANIFEST },
      expectedDelayHours: 48,
      messages: { de: 'Ein Sturm hat den Flug mit Ihrem Paket am Boden gehalten. Es fliegt mit dem nächsten Flug.', en: 'A storm grounded the flight carrying your parcel {{not a variable}}.' },
    };

    beforeAll(async () => {
      // Acme: 300 parcels to 240 consignees (the first 60 have two); Globex: 200 parcels to 160 consignees.
      acmeShipments = await bookMany(acme, Array.from({ length: 300 }, (_, i) => ({ consignee: consignee(i % 240) })));
      globexShipments = await bookMany(globex, Array.from({ length: 200 }, (_, i) => ({ consignee: consignee(1000 + (i % 160), i % 2 ? 'en-GB' : 'de-DE') })));
      await scanAll([...acmeShipments, ...globexShipments], onFlight);
      await plan(); // booking and in-transit news, so that only the incident's messages are new below
    }, 180_000);

    it('previews 500 shipments and 400 consignees without writing anything', async () => {
      const before = await db.query(`SELECT (SELECT count(*) FROM incidents)::int AS incidents, (SELECT count(*) FROM exceptions)::int AS exceptions`);
      const res = await as(t.http, supervisorKey).post('/v1/admin/incidents/preview', declareBody);
      expect(res.status).toBe(200);
      expect(res.body).toMatchObject({ shipments: 500, consignees: 400, retailers: 2 });
      expect(res.body.sample).toHaveLength(10);
      await expect(db.query(`SELECT (SELECT count(*) FROM incidents)::int AS incidents, (SELECT count(*) FROM exceptions)::int AS exceptions`)).resolves.toEqual(before);
    });

    it('opens 500 delay exceptions, tells each of the 400 consignees once and each retailer once, honouring quiet hours', async () => {
      const res = await as(t.http, supervisorKey).post('/v1/admin/incidents', declareBody);
      expect(res.status).toBe(201);
      incidentId = res.body.id;
      expect(res.body).toMatchObject({ status: 'open', kind: 'flight_cancelled', scope: { manifest: MANIFEST }, progress: { shipments: 500, exceptionsOpened: 500, consigneesNotified: 400 } });

      const exceptions = await db.query(`SELECT type, source, status, count(DISTINCT shipment_id)::int AS n FROM exceptions WHERE incident_id = $1 GROUP BY 1, 2, 3`, [incidentId]);
      expect(exceptions).toEqual([{ type: 'delay', source: 'agent', status: 'open', n: 500 }]);

      await plan();
      const messages: Array<{ channel: string; recipient: string; status: string; deferred_reason: string | null; next_attempt_at: Date }> = await db.query(
        `SELECT channel, recipient, status, deferred_reason, next_attempt_at FROM messages WHERE milestone = $1 AND audience = 'consignee'`,
        [`incident:${incidentId}`],
      );
      const perRecipient = new Map<string, number>();
      for (const m of messages) perRecipient.set(`${m.channel}:${m.recipient}`, (perRecipient.get(`${m.channel}:${m.recipient}`) ?? 0) + 1);
      expect(Math.max(...perRecipient.values())).toBe(1);
      expect(messages.filter((m) => m.channel === 'email')).toHaveLength(400);
      const sms = messages.filter((m) => m.channel === 'sms');
      expect(sms).toHaveLength(400);
      for (const m of sms) {
        expect(m).toMatchObject({ status: 'pending', deferred_reason: 'quiet_hours' });
        expect(new Date(m.next_attempt_at).toISOString()).toBe(BERLIN_MORNING.toISOString());
      }

      const notices = await db.query(
        `SELECT retailer_id, count(*)::int AS n FROM messages WHERE milestone = $1 AND audience = 'retailer' GROUP BY retailer_id ORDER BY retailer_id`,
        [`incident:${incidentId}`],
      );
      expect(notices).toEqual([acme.id, globex.id].sort().map((id) => ({ retailer_id: id, n: 1 })));

      const progress = await as(t.http, agentKey).get(`/v1/admin/incidents/${incidentId}`);
      expect(progress.status).toBe(200);
      expect(progress.body.progress).toMatchObject({ shipments: 500, consigneesNotified: 400, messages: { pending: 800, sent: 0, failed: 0 } });
    }, 60_000);

    it("tells each consignee in their language: the agent's words where given, shown as typed", async () => {
      const [german] = await db.query(`SELECT payload FROM messages WHERE milestone = $1 AND channel = 'sms' AND recipient = $2`, [`incident:${incidentId}`, consignee(1).phone]);
      expect(german.payload.body).toContain('Ein Sturm hat den Flug mit Ihrem Paket am Boden gehalten.');
      const [english] = await db.query(`SELECT payload FROM messages WHERE milestone = $1 AND channel = 'email' AND recipient = $2`, [`incident:${incidentId}`, consignee(1001).email]);
      expect(english.payload.text).toContain('A storm grounded the flight carrying your parcel {{not a variable}}.');
    });

    it('takes in a parcel scanned onto the flight later, once, and does not tell its consignee twice', async () => {
      const newcomer = await book(acme, { consignee: consignee(500) });
      const secondParcel = await book(acme, { consignee: consignee(0) }); // consignee 0 was already told
      await scanAll([newcomer, secondParcel], onFlight, NIGHT);
      await expect(incidents.sweep()).resolves.toMatchObject({ shipments: 2 });
      await expect(incidents.sweep()).resolves.toMatchObject({ shipments: 0 });
      const rows = await db.query(
        `SELECT shipment_id, notified_at IS NOT NULL AS notified, exception_created FROM incident_shipments WHERE incident_id = $1 AND shipment_id = ANY($2::uuid[]) ORDER BY notified DESC`,
        [incidentId, [newcomer.id, secondParcel.id]],
      );
      expect(rows).toEqual([
        { shipment_id: newcomer.id, notified: true, exception_created: true },
        { shipment_id: secondParcel.id, notified: false, exception_created: true },
      ]);
      await plan();
      const told = await db.query(`SELECT DISTINCT shipment_id FROM messages WHERE milestone = $1 AND audience = 'consignee' AND shipment_id = ANY($2::uuid[])`, [
        `incident:${incidentId}`,
        [newcomer.id, secondParcel.id],
      ]);
      expect(told).toEqual([{ shipment_id: newcomer.id }]);
      const progress = await admin(t.http).get(`/v1/admin/incidents/${incidentId}`);
      expect(progress.body.progress).toMatchObject({ shipments: 502, exceptionsOpened: 502, consigneesNotified: 401 });
    });

    it('lets an agent preview and declare an incident but not close one, and audits each declaration under its declarer', async () => {
      const preview = await as(t.http, agentKey).post('/v1/admin/incidents/preview', declareBody);
      expect(preview).toMatchObject({ status: 200, body: { shipments: 502, retailers: 2 } });

      const [parcel] = await bookMany(acme, [{ consignee: consignee(5001) }]);
      const declared = await as(t.http, agentKey).post('/v1/admin/incidents', { kind: 'other', title: 'Sorter jam at the depot', scope: { shipmentIds: [parcel.id] }, expectedDelayHours: 24 });
      expect(declared).toMatchObject({ status: 201, body: { status: 'open', progress: { shipments: 1, exceptionsOpened: 1 } } });

      for (const id of [incidentId, declared.body.id as string]) {
        const res = await as(t.http, agentKey).post(`/v1/admin/incidents/${id}/close`, {});
        expect({ id, status: res.status, code: res.body.error?.code }).toEqual({ id, status: 403, code: 'FORBIDDEN' });
      }
      const denied = await as(t.http, acme.key).get(`/v1/admin/incidents/${incidentId}`);
      expect(denied.status).toBe(403);
      const bySupervisor = await admin(t.http).get(`/v1/admin/audit?targetType=incident&targetId=${incidentId}`);
      const byAgent = await admin(t.http).get(`/v1/admin/audit?targetType=incident&targetId=${declared.body.id}`);
      expect(bySupervisor.body.data).toEqual([expect.objectContaining({ action: 'incident.declared', actor: expect.stringMatching(/^user:/) })]);
      expect(byAgent.body.data).toEqual([expect.objectContaining({ action: 'incident.declared', actor: expect.stringMatching(/^user:/) })]);
      expect(byAgent.body.data[0].actor).not.toBe(bySupervisor.body.data[0].actor);
    });

    it('closes once: resolves its exceptions and tells the consignees who were told; a closed incident takes in nothing', async () => {
      clock.set(new Date('2026-11-25T10:00:00.000Z'));
      const res = await as(t.http, supervisorKey).post(`/v1/admin/incidents/${incidentId}/close`, { note: 'Flights resumed.' });
      expect(res.status).toBe(200);
      expect(res.body).toMatchObject({ status: 'closed', closedAt: '2026-11-25T10:00:00.000Z', progress: { resolutionsNotified: 401 } });
      await expect(db.query(`SELECT status, resolution_code, count(*)::int AS n FROM exceptions WHERE incident_id = $1 GROUP BY 1, 2`, [incidentId])).resolves.toEqual([
        { status: 'resolved', resolution_code: 'incident_closed', n: 502 },
      ]);
      await plan();
      const [{ n }] = await db.query(`SELECT count(*)::int AS n FROM messages WHERE milestone = $1 AND audience = 'consignee' AND channel = 'email'`, [`incident:${incidentId}:resolved`]);
      expect(n).toBe(401);

      const again = await as(t.http, supervisorKey).post(`/v1/admin/incidents/${incidentId}/close`, {});
      expect(again.status).toBe(409);
      expect(again.body.error.code).toBe('INCIDENT_CLOSED');
      const late = await book(acme, { consignee: consignee(777) });
      await scanAll([late], onFlight, new Date('2026-11-25T09:00:00.000Z'));
      await incidents.sweep();
      await expect(db.query(`SELECT count(*)::int AS n FROM incident_shipments WHERE incident_id = $1`, [incidentId])).resolves.toEqual([{ n: 502 }]);
      const audit = await admin(t.http).get(`/v1/admin/audit?targetType=incident&targetId=${incidentId}`);
      expect(audit.body.data.map((e: { action: string }) => e.action)).toEqual(['incident.closed', 'incident.declared']);
      clock.set(NIGHT);
    }, 60_000);
  });

  describe('scopes', () => {
    it('counts a facility by where parcels are now: a parcel scanned there and then elsewhere is not in it', async () => {
      const facility = `MUC-${Date.now()}`;
      const [stays, leaves] = await bookMany(acme, [{ consignee: consignee(2001) }, { consignee: consignee(2002) }]);
      await scanAll([stays, leaves], { location: { country: 'DE', city: 'Munich', facility } }, new Date(NIGHT.getTime() - 7_200_000));
      await scanAll([leaves], { location: { country: 'DE', city: 'Berlin', facility: 'BER depot' } });
      const res = await admin(t.http).post('/v1/admin/incidents/preview', { kind: 'facility_closure', title: 'Hub closed', scope: { facility: facility.toLowerCase() }, expectedDelayHours: 24 });
      expect(res.status).toBe(200);
      expect(res.body).toMatchObject({ shipments: 1, sample: [expect.objectContaining({ id: stays.id })] });
    });

    it('counts a lane and a list of shipments among parcels still on their way only', async () => {
      const [onTheWay, delivered] = await bookMany(globex, [
        { origin: { country: 'JP', city: 'Tokyo', postcode: '100-0005' }, consignee: consignee(3001) },
        { origin: { country: 'JP', city: 'Tokyo', postcode: '100-0005' }, consignee: consignee(3002) },
      ]);
      await postScans(t.http, carrier.key, [scan(delivered.trackingNumber, 'DELIVERED', new Date(NIGHT.getTime() - 60_000).toISOString())]);
      const body = (scope: object) => ({ kind: 'weather', title: 'Typhoon', scope, expectedDelayHours: 72 });
      const lane = await admin(t.http).post('/v1/admin/incidents/preview', body({ lane: { origin: 'jp', destination: 'de' } }));
      expect(lane.body.shipments).toBeGreaterThanOrEqual(1);
      expect(lane.body.sample.map((s: { id: string }) => s.id)).not.toContain(delivered.id);
      const list = await admin(t.http).post('/v1/admin/incidents/preview', body({ shipmentIds: [onTheWay.id, delivered.id] }));
      expect(list.body).toMatchObject({ shipments: 1, consignees: 1, sample: [expect.objectContaining({ id: onTheWay.id })] });
    });

    it('answers bad input with field-level 400s', async () => {
      const base = { kind: 'weather', title: 'Snow', scope: { country: 'DE' }, expectedDelayHours: 24 };
      const cases: Array<[object, string]> = [
        [{ ...base, scope: { country: 'DE', facility: 'X' } }, 'scope'],
        [{ ...base, scope: {} }, 'scope'],
        [{ ...base, scope: { lane: { origin: 'DE', destination: 'DE' } } }, 'scope.lane'],
        [{ ...base, scope: { country: 'XX' } }, 'scope.country'],
        [{ ...base, scope: { shipmentIds: ['nope'] } }, 'scope.shipmentIds'],
        [{ ...base, kind: 'volcano' }, 'kind'],
        [{ ...base, expectedDelayHours: 0 }, 'expectedDelayHours'],
        [{ ...base, messages: { xx: 'Hi' } }, 'messages.xx'],
        [{ ...base, messages: { en: 'x'.repeat(281) } }, 'messages.en'],
      ];
      for (const [body, field] of cases) {
        const res = await admin(t.http).post('/v1/admin/incidents', body);
        expect({ field, status: res.status, fields: (res.body.error?.details ?? []).map((d: { field: string }) => d.field) }).toEqual({ field, status: 400, fields: expect.arrayContaining([field]) });
      }
      const missing = await admin(t.http).get('/v1/admin/incidents/6f1c2d9e-5b7a-4a0e-9c51-2b8f3e7d4a10');
      expect(missing.status).toBe(404);
      const badId = await request(t.http).get('/v1/admin/incidents/nope').set('Authorization', `Bearer ${supervisorKey}`);
      expect(badId.status).toBe(400);
    });

    it('lists incidents newest first with a cursor', async () => {
      const [a, b] = await bookMany(acme, [{ consignee: consignee(4001) }, { consignee: consignee(4002) }]);
      // Other suites declare incidents on the same database at their own clocks (real time included): these two
      // are declared far later than any of them, so they are the newest two.
      const declare = async (at: string, parcel: { id: string }) => {
        clock.set(new Date(at));
        const res = await admin(t.http).post('/v1/admin/incidents', { kind: 'other', title: 'One parcel', scope: { shipmentIds: [parcel.id] }, expectedDelayHours: 2 });
        expect(res.body.progress).toMatchObject({ shipments: 1, consigneesNotified: 1 });
        return res.body.id as string;
      };
      const older = await declare('2099-01-01T10:00:00.000Z', a);
      const newer = await declare('2099-01-01T11:00:00.000Z', b);
      const first = await admin(t.http).get('/v1/admin/incidents?limit=1');
      expect(first.status).toBe(200);
      expect(first.body.data.map((i: { id: string }) => i.id)).toEqual([newer]);
      expect(first.body.nextCursor).toEqual(expect.any(String));
      const next = await admin(t.http).get(`/v1/admin/incidents?limit=1&cursor=${first.body.nextCursor}`);
      expect(next.body.data.map((i: { id: string }) => i.id)).toEqual([older]);
      await expect(admin(t.http).get('/v1/admin/incidents?cursor=garbage')).resolves.toMatchObject({ status: 400 });
      clock.set(NIGHT);
    });
  });
});
