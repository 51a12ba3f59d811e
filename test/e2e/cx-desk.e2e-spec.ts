import { createHash, randomUUID } from 'node:crypto';
import request from 'supertest';
import twilio from 'twilio';
import { DataSource } from 'typeorm';
import { FixedClock } from '../../src/common/clock/clock';
import { ComplianceService } from '../../src/modules/country-rules/compliance/compliance.service';
import { RulesCache } from '../../src/modules/country-rules/rules-cache';
import { ExceptionsService, ExceptionType } from '../../src/modules/cx/exceptions/exceptions.service';
import { recordIssuedSurvey, surveyUrl } from '../../src/modules/cx/surveys/survey-links';
import { PlannerRepository } from '../../src/modules/notifications/planner/planner.repository';
import { PlannerService } from '../../src/modules/notifications/planner/planner.service';
import type { WebhookEndpointsService } from '../../src/modules/notifications/webhooks/webhook-endpoints.service';
import { as, at, bookingBody, bookShipment, createAdminUser, createCarrier, createRetailer, postScans, scan, TestAdminUser, TestCarrier, TestRetailer } from '../factories';
import { admin, createTestApp, TestApp } from '../utils/test-app';

const T0 = new Date('2026-12-01T09:00:00Z');
const HOUR = 3_600_000;
const TWILIO_TOKEN = 'cx-desk-test-auth-token';

describe('the CX desk admin API', () => {
  let t: TestApp;
  let db: DataSource;
  let clock: FixedClock;
  let exceptions: ExceptionsService;
  let retailer: TestRetailer;
  let carrier: TestCarrier;
  let agent: TestAdminUser;
  let supervisor: TestAdminUser;
  let planner: PlannerService;

  beforeAll(async () => {
    clock = new FixedClock(T0);
    t = await createTestApp({
      clock,
      env: { TWILIO_ACCOUNT_SID: 'AC00000000000000000000000000000000', TWILIO_AUTH_TOKEN: TWILIO_TOKEN, TWILIO_FROM: '+15005550006', PUBLIC_BASE_URL: 'https://passage.test' },
    });
    db = t.app.get(DataSource);
    exceptions = t.app.get(ExceptionsService);
    retailer = await createRetailer(t.http);
    carrier = await createCarrier(t.http);
    agent = await createAdminUser(t.http, 'agent');
    supervisor = await createAdminUser(t.http, 'supervisor');
    const noWebhooks = { endpointsFor: async () => [] } as unknown as WebhookEndpointsService;
    planner = new PlannerService(db, new PlannerRepository(), t.app.get(RulesCache), t.app.get(ComplianceService), noWebhooks, clock, t.config);
  }, 60_000);
  afterAll(() => t.close());

  const open = (shipmentId: string, retailerId: string, type: ExceptionType, opts: { at?: Date; incidentId?: string } = {}) =>
    db.transaction((tx) => exceptions.open(tx, { shipmentId, retailerId, type, source: 'event', at: opts.at ?? clock.now(), incidentId: opts.incidentId }));
  /** Plans one shipment's journey events (what other shipments left unplanned is marked planned first). */
  const planFor = async (shipmentId: string) => {
    await db.query(`UPDATE journey_events SET planned_at = now() WHERE planned_at IS NULL AND shipment_id <> $1`, [shipmentId]);
    while ((await planner.planOnce(500)).events > 0);
  };
  const auditOf = (targetType: string, targetId: string) =>
    db.query(`SELECT actor, action, before, after FROM audit_log WHERE target_type = $1 AND target_id = $2 ORDER BY id`, [targetType, targetId]);

  describe('admin users and their tokens', () => {
    it('creates a user with a token shown once, stores only its SHA-256, and lists users without tokens', async () => {
      const email = `Dana.${randomUUID().slice(0, 6)}@Passage.test`;
      const res = await admin(t.http).post('/v1/admin/users', { email, name: 'Dana Desk', role: 'agent' });
      expect(res.status).toBe(201);
      expect(res.body).toMatchObject({ email, name: 'Dana Desk', role: 'agent', disabledAt: null, token: { key: expect.stringMatching(/^psg_admin_/) } });
      const key: string = res.body.token.key;
      const [stored] = await db.query(`SELECT key_hash, owner_type, role, admin_user_id FROM api_keys WHERE id = $1`, [res.body.token.id]);
      expect(stored).toEqual({ key_hash: createHash('sha256').update(key).digest('hex'), owner_type: 'admin', role: 'agent', admin_user_id: res.body.id });

      const list = await admin(t.http).get('/v1/admin/users');
      expect(list.status).toBe(200);
      const listed = list.body.data.find((u: { id: string }) => u.id === res.body.id);
      expect(listed.tokens).toEqual([expect.objectContaining({ id: res.body.token.id, revokedAt: null })]);
      expect(JSON.stringify(list.body)).not.toContain(key);
      await expect(as(t.http, key).get('/v1/admin/exceptions')).resolves.toMatchObject({ status: 200 });
      await expect(auditOf('admin_user', res.body.id)).resolves.toEqual([
        { actor: 'admin:bootstrap', action: 'admin_user.created', before: null, after: { email, name: 'Dana Desk', role: 'agent', tokenId: res.body.token.id } },
      ]);
    });

    it('refuses a second user with the same email in any case, with 409 ADMIN_USER_EXISTS', async () => {
      const email = `twice.${randomUUID().slice(0, 6)}@passage.test`;
      expect((await admin(t.http).post('/v1/admin/users', { email, name: 'Once', role: 'agent' })).status).toBe(201);
      const again = await admin(t.http).post('/v1/admin/users', { email: email.toUpperCase(), name: 'Twice', role: 'admin' });
      expect(again.status).toBe(409);
      expect(again.body.error).toMatchObject({ code: 'ADMIN_USER_EXISTS', details: [{ field: 'email', issue: 'is already taken' }] });
    });

    it('answers invalid users with 400 and the fields at fault', async () => {
      const res = await admin(t.http).post('/v1/admin/users', { email: 'not-an-email', role: 'overlord' });
      expect(res.status).toBe(400);
      expect(res.body.error.details.map((d: { field: string }) => d.field).sort()).toEqual(['email', 'name', 'role']);
    });

    it('issues another token and revokes one at once, auditing both', async () => {
      const user = await createAdminUser(t.http, 'agent');
      const second = await admin(t.http).post(`/v1/admin/users/${user.id}/tokens`, { name: 'laptop' });
      expect(second.status).toBe(201);
      expect(second.body).toMatchObject({ name: 'laptop', key: expect.stringMatching(/^psg_admin_/) });
      await expect(as(t.http, second.body.key).get('/v1/admin/exceptions')).resolves.toMatchObject({ status: 200 });

      const revoked = await admin(t.http).delete(`/v1/admin/users/${user.id}/tokens/${second.body.id}`);
      expect(revoked.status).toBe(204);
      await expect(as(t.http, second.body.key).get('/v1/admin/exceptions')).resolves.toMatchObject({ status: 401 });
      await expect(as(t.http, user.key).get('/v1/admin/exceptions')).resolves.toMatchObject({ status: 200 });
      await expect(admin(t.http).delete(`/v1/admin/users/${user.id}/tokens/${second.body.id}`)).resolves.toMatchObject({ status: 404 });
      await expect(admin(t.http).post(`/v1/admin/users/${randomUUID()}/tokens`, {})).resolves.toMatchObject({ status: 404 });
      const actions = (await auditOf('admin_user', user.id)).map((a: { action: string }) => a.action);
      expect(actions).toEqual(['admin_user.created', 'admin_user.token_issued', 'admin_user.token_revoked']);
    });

    it('records a user’s actions under the user, whichever of their tokens they use', async () => {
      const s = await bookShipment(t.http, retailer);
      const { id } = await open(s.id, retailer.id, 'damaged');
      const res = await as(t.http, agent.key).post(`/v1/admin/exceptions/${id}/notes`, { body: 'Asked the carrier for photos.' });
      expect(res.status).toBe(200);
      expect(res.body.events.at(-1)).toMatchObject({ kind: 'note', actor: `user:${agent.id}` });
      await expect(auditOf('exception', id)).resolves.toEqual([expect.objectContaining({ actor: `user:${agent.id}`, action: 'exception.note_added' })]);
    });
  });

  describe('the exception queue', () => {
    let r: TestRetailer;
    const ids: Record<string, string> = {};

    beforeAll(async () => {
      // A retailer of its own, so that the queue's contents are known exactly.
      r = await createRetailer(t.http);
      const toDE = await bookShipment(t.http, r);
      const toFR = await bookShipment(t.http, r, {
        consignee: { name: 'Jeanne Martin', email: 'jeanne@example.fr', address: { lines: ['1 rue de Rivoli'], city: 'Paris', postcode: '75001', country: 'FR' } },
        notify: { email: true, sms: false },
      });
      const incident = randomUUID();
      ids.oldDelay = (await open(toDE.id, r.id, 'delay', { at: new Date(T0.getTime() - 48 * HOUR) })).id; // SLA 24 h: breached
      ids.hold = (await open(toDE.id, r.id, 'customs_hold', { at: new Date(T0.getTime() - 2 * HOUR) })).id; // SLA 12 h
      ids.frDelay = (await open(toFR.id, r.id, 'delay', { at: new Date(T0.getTime() - 1 * HOUR), incidentId: incident })).id;
      ids.lost = (await open(toFR.id, r.id, 'lost', { at: new Date(T0.getTime() - 30 * HOUR) })).id; // SLA 48 h
      ids.incident = incident;
      await as(t.http, agent.key).post(`/v1/admin/exceptions/${ids.hold}/assign`, { assigneeId: agent.id });
      const resolved = (await open(toFR.id, r.id, 'damaged', { at: new Date(T0.getTime() - 3 * HOUR) })).id;
      await as(t.http, agent.key).post(`/v1/admin/exceptions/${resolved}/resolve`, { resolutionCode: 'claim_filed', note: 'Claim filed.' });
      ids.resolved = resolved;
    }, 60_000);

    const queue = async (query: string) => {
      const res = await as(t.http, agent.key).get(`/v1/admin/exceptions?retailerId=${r.id}&${query}`);
      expect(res.status).toBe(200);
      return (res.body.data as Array<{ id: string }>).map((e) => e.id);
    };

    it('lists unresolved exceptions oldest first by default', async () => {
      await expect(queue('')).resolves.toEqual([ids.oldDelay, ids.lost, ids.hold, ids.frDelay]);
    });

    it.each([
      ['type=delay', ['oldDelay', 'frDelay']],
      ['type=delay,lost', ['oldDelay', 'lost', 'frDelay']],
      ['status=in_progress', ['hold']],
      ['status=resolved', ['resolved']],
      ['country=FR', ['lost', 'frDelay']],
      ['olderThanHours=24', ['oldDelay', 'lost']],
      ['slaBreached=true', ['oldDelay']],
      ['slaBreached=false', ['lost', 'hold', 'frDelay']],
      ['sort=sla_due_at', ['oldDelay', 'hold', 'lost', 'frDelay']],
      ['sort=sla_due_at&order=desc', ['frDelay', 'lost', 'hold', 'oldDelay']],
      ['order=desc', ['frDelay', 'hold', 'lost', 'oldDelay']],
    ])('filters and sorts with %s', async (query, expected) => {
      await expect(queue(query)).resolves.toEqual(expected.map((k) => ids[k]));
    });

    it('filters by assignee and by incident', async () => {
      await expect(queue(`assigneeId=${agent.id}`)).resolves.toEqual([ids.hold]);
      await expect(queue(`incidentId=${ids.incident}`)).resolves.toEqual([ids.frDelay]);
    });

    it('pages with a cursor, without duplicates or gaps, in either sort', async () => {
      for (const sort of ['sort=opened_at', 'sort=sla_due_at&order=desc']) {
        const all = await queue(sort);
        const seen: string[] = [];
        let cursor: string | null = null;
        do {
          const res: request.Response = await as(t.http, agent.key).get(`/v1/admin/exceptions?retailerId=${r.id}&${sort}&limit=1${cursor ? `&cursor=${cursor}` : ''}`);
          seen.push(...res.body.data.map((e: { id: string }) => e.id));
          cursor = res.body.nextCursor;
        } while (cursor);
        expect(seen).toEqual(all);
      }
    });

    it('shows what the desk needs on each exception', async () => {
      const res = await as(t.http, agent.key).get(`/v1/admin/exceptions?retailerId=${r.id}&type=delay&country=DE`);
      expect(res.body.data).toEqual([
        expect.objectContaining({
          id: ids.oldDelay,
          retailerId: r.id,
          trackingNumber: expect.stringMatching(/^PSG/),
          type: 'delay',
          severity: 'medium',
          status: 'open',
          source: 'event',
          destinationCountry: 'DE',
          slaDueAt: new Date(T0.getTime() - 24 * HOUR).toISOString(),
          slaBreached: true,
          touches: 0,
          firstTouchAt: null,
        }),
      ]);
    });

    it.each([
      ['type=weather', 'type'],
      ['status=closed', 'status'],
      ['country=de', 'country'],
      ['retailerId=nope', 'retailerId'],
      ['olderThanHours=-1', 'olderThanHours'],
      ['slaBreached=maybe', 'slaBreached'],
      ['sort=severity', 'sort'],
      ['limit=500', 'limit'],
      ['cursor=not-a-cursor', 'cursor'],
    ])('answers %s with 400 naming the field', async (query, field) => {
      const res = await as(t.http, agent.key).get(`/v1/admin/exceptions?${query}`);
      expect(res.status).toBe(400);
      expect(res.body.error.details.map((d: { field: string }) => d.field)).toContain(field);
    });
  });

  describe('working an exception', () => {
    it('assigns, notes, resolves and reopens, counting each touch (not the assignment), logging each step and auditing each write', async () => {
      const s = await bookShipment(t.http, retailer);
      const { id } = await open(s.id, retailer.id, 'failed_attempt');
      const desk = as(t.http, agent.key);

      clock.set(new Date(T0.getTime() + HOUR));
      const assigned = await desk.post(`/v1/admin/exceptions/${id}/assign`, { assigneeId: agent.id });
      expect(assigned.status).toBe(200);
      // Routing is not contact: assigning neither counts as a touch nor starts the response clock.
      expect(assigned.body).toMatchObject({ status: 'in_progress', assigneeId: agent.id, touches: 0, firstTouchAt: null });

      clock.set(new Date(T0.getTime() + 2 * HOUR));
      const noted = await desk.post(`/v1/admin/exceptions/${id}/notes`, { body: 'Texted the consignee for a safe place.', status: 'waiting_customer' });
      expect(noted.body).toMatchObject({ status: 'waiting_customer', touches: 1, firstTouchAt: new Date(T0.getTime() + 2 * HOUR).toISOString() });

      const resolved = await desk.post(`/v1/admin/exceptions/${id}/resolve`, { resolutionCode: 'safe_place_agreed', note: 'Leave with the neighbour.' });
      expect(resolved.body).toMatchObject({ status: 'resolved', resolutionCode: 'safe_place_agreed', touches: 2, resolvedAt: expect.any(String) });
      await expect(desk.post(`/v1/admin/exceptions/${id}/resolve`, { resolutionCode: 'again', note: 'Again.' })).resolves.toMatchObject({ status: 409 });
      await expect(desk.post(`/v1/admin/exceptions/${id}/assign`, { assigneeId: agent.id })).resolves.toMatchObject({ status: 409 });

      const reopened = await desk.post(`/v1/admin/exceptions/${id}/reopen`, { note: 'The parcel came back.' });
      expect(reopened.body).toMatchObject({ status: 'open', resolvedAt: null, resolutionCode: null, reopenedCount: 1, touches: 3 });
      await expect(desk.post(`/v1/admin/exceptions/${id}/reopen`, {})).resolves.toMatchObject({ status: 409, body: { error: { code: 'EXCEPTION_NOT_RESOLVED' } } });
      await desk.post(`/v1/admin/exceptions/${id}/resolve`, { resolutionCode: 'redelivered', note: 'Redelivered.' });
      const again = await desk.post(`/v1/admin/exceptions/${id}/reopen`, {});
      expect(again.body).toMatchObject({ reopenedCount: 2, touches: 5 });

      const detail = await desk.get(`/v1/admin/exceptions/${id}`);
      expect(detail.body.events.map((e: { kind: string }) => e.kind)).toEqual(['opened', 'assigned', 'status', 'note', 'status', 'resolved', 'reopened', 'resolved', 'reopened']);
      expect(detail.body.events[3]).toMatchObject({ kind: 'note', actor: `user:${agent.id}`, body: { note: 'Texted the consignee for a safe place.' } });

      const audit = await auditOf('exception', id);
      expect(audit.map((a: { action: string }) => a.action)).toEqual([
        'exception.assigned',
        'exception.note_added',
        'exception.resolved',
        'exception.reopened',
        'exception.resolved',
        'exception.reopened',
      ]);
      expect(audit[0]).toMatchObject({ actor: `user:${agent.id}`, before: { status: 'open', assigneeId: null }, after: { status: 'in_progress', assigneeId: agent.id } });
      // Notes are the agent's words about a consignee: the audit keeps that one was written, not what it says.
      expect(JSON.stringify(audit)).not.toContain('safe place');
    });

    it('refuses to reopen while another exception of the type is open on the shipment', async () => {
      const s = await bookShipment(t.http, retailer);
      const first = await open(s.id, retailer.id, 'delay');
      await as(t.http, agent.key).post(`/v1/admin/exceptions/${first.id}/resolve`, { resolutionCode: 'back_on_track', note: 'Moving again.' });
      await open(s.id, retailer.id, 'delay');
      const res = await as(t.http, agent.key).post(`/v1/admin/exceptions/${first.id}/reopen`, {});
      expect(res.status).toBe(409);
      expect(res.body.error.code).toBe('EXCEPTION_ALREADY_OPEN');
      await expect(as(t.http, agent.key).get(`/v1/admin/exceptions/${first.id}`)).resolves.toMatchObject({ body: { status: 'resolved', touches: 1 } });
    });

    it('records a shipment.exception_resolved journey event when the consignee is to be told, and none otherwise', async () => {
      const s = await bookShipment(t.http, retailer);
      const quiet = await open(s.id, retailer.id, 'damaged');
      await as(t.http, agent.key).post(`/v1/admin/exceptions/${quiet.id}/resolve`, { resolutionCode: 'claim_filed', note: 'Claim filed.' });
      const { id } = await open(s.id, retailer.id, 'customs_hold');
      await as(t.http, agent.key).post(`/v1/admin/exceptions/${id}/resolve`, { resolutionCode: 'duties_paid', note: 'Paid by the retailer.', notifyConsignee: true });
      const events = await db.query(`SELECT type, payload FROM journey_events WHERE shipment_id = $1 AND type = 'shipment.exception_resolved'`, [s.id]);
      expect(events).toEqual([{ type: 'shipment.exception_resolved', payload: expect.objectContaining({ exceptionId: id, exceptionType: 'customs_hold', resolutionCode: 'duties_paid' }) }]);
      expect(JSON.stringify(events)).not.toContain('Paid by the retailer');
    });

    it('tells the consignee the issue is resolved through the planner, in their language, once per resolution, and not when not asked', async () => {
      const s = await bookShipment(t.http, retailer, {
        consignee: { name: 'Jeanne Martin', email: 'jeanne.resolved@example.fr', locale: 'fr-FR', address: { lines: ['Invalidenstraße 116'], city: 'Berlin', postcode: '10115', country: 'DE' } },
        notify: { email: true, sms: false },
      });
      await planFor(s.id); // the booking's own message
      const told = () => db.query(`SELECT channel, recipient, audience, locale, status, milestone, payload FROM messages WHERE shipment_id = $1 AND template = 'issue_resolved' ORDER BY created_at, id`, [s.id]);
      const desk = as(t.http, agent.key);

      const quiet = await open(s.id, retailer.id, 'damaged');
      await desk.post(`/v1/admin/exceptions/${quiet.id}/resolve`, { resolutionCode: 'claim_filed', note: 'Claim filed.' });
      await planFor(s.id);
      await expect(told()).resolves.toEqual([]);

      const { id } = await open(s.id, retailer.id, 'address_issue');
      const resolved = await desk.post(`/v1/admin/exceptions/${id}/resolve`, { resolutionCode: 'address_corrected', note: 'Jeanne gave the flat number.', notifyConsignee: true });
      expect(resolved.status).toBe(200);
      await planFor(s.id);
      const [first, ...none] = await told();
      expect(none).toEqual([]);
      expect(first).toMatchObject({ channel: 'email', recipient: 'jeanne.resolved@example.fr', audience: 'consignee', locale: 'fr', status: 'pending', milestone: `exception_resolved:${id}:1` });
      expect(first.payload.subject).toContain('le problème est résolu');
      // The agent's note and resolution code are internal.
      expect(JSON.stringify(first.payload)).not.toMatch(/flat number|address_corrected/);

      // A replayed event plans nothing more.
      await db.query(
        `INSERT INTO journey_events (shipment_id, retailer_id, type, payload, occurred_at)
         SELECT shipment_id, retailer_id, type, payload, occurred_at FROM journey_events WHERE shipment_id = $1 AND type = 'shipment.exception_resolved'`,
        [s.id],
      );
      await planFor(s.id);
      await expect(told()).resolves.toHaveLength(1);

      // Reopened and resolved again: that is news again.
      await desk.post(`/v1/admin/exceptions/${id}/reopen`, { note: 'The carrier lost the flat number again.' });
      await desk.post(`/v1/admin/exceptions/${id}/resolve`, { resolutionCode: 'address_corrected', note: 'Fixed for good.', notifyConsignee: true });
      await planFor(s.id);
      await expect(told()).resolves.toEqual([
        expect.objectContaining({ milestone: `exception_resolved:${id}:1`, locale: 'fr' }),
        expect.objectContaining({ milestone: `exception_resolved:${id}:2`, locale: 'fr', status: 'pending' }),
      ]);
    });

    it.each([
      ['assign', {}, 'assigneeId'],
      ['assign', { assigneeId: 'me' }, 'assigneeId'],
      ['notes', { body: '   ' }, 'body'],
      ['notes', { body: 'ok', status: 'resolved' }, 'status'],
      ['resolve', { note: 'x' }, 'resolutionCode'],
      ['resolve', { resolutionCode: 'Fixed It!', note: 'x' }, 'resolutionCode'],
      ['resolve', { resolutionCode: 'fixed' }, 'note'],
      ['resolve', { resolutionCode: 'fixed', note: 'x', notifyConsignee: 'yes' }, 'notifyConsignee'],
    ])('answers POST …/%s %j with 400 naming the field', async (action, body, field) => {
      const s = await bookShipment(t.http, retailer);
      const { id } = await open(s.id, retailer.id, 'delay');
      const res = await as(t.http, agent.key).post(`/v1/admin/exceptions/${id}/${action}`, body);
      expect(res.status).toBe(400);
      expect(res.body.error.details.map((d: { field: string }) => d.field)).toContain(field);
    });

    it('answers an unknown assignee with 400 ASSIGNEE_NOT_FOUND, and unknown exceptions with 404', async () => {
      const s = await bookShipment(t.http, retailer);
      const { id } = await open(s.id, retailer.id, 'delay');
      const res = await as(t.http, agent.key).post(`/v1/admin/exceptions/${id}/assign`, { assigneeId: randomUUID() });
      expect(res.status).toBe(400);
      expect(res.body.error).toMatchObject({ code: 'ASSIGNEE_NOT_FOUND', details: [{ field: 'assigneeId' }] });
      await expect(as(t.http, agent.key).get(`/v1/admin/exceptions/${randomUUID()}`)).resolves.toMatchObject({ status: 404, body: { error: { code: 'EXCEPTION_NOT_FOUND' } } });
      await expect(as(t.http, agent.key).get('/v1/admin/exceptions/not-a-uuid')).resolves.toMatchObject({ status: 400 });
      await expect(as(t.http, agent.key).post(`/v1/admin/exceptions/${randomUUID()}/notes`, { body: 'x' })).resolves.toMatchObject({ status: 404 });
    });
  });

  describe('status override', () => {
    it('moves the shipment through the journey tables with cause override, audited with its reason, and shows it in the timeline', async () => {
      const s = await bookShipment(t.http, retailer);
      const res = await as(t.http, supervisor.key).post(`/v1/admin/shipments/${s.id}/status`, { status: 'delivered', reason: 'Signed POD received by email.' });
      expect(res.status).toBe(200);
      expect(res.body).toEqual({ shipmentId: s.id, from: 'booked', to: 'delivered', at: clock.now().toISOString() });
      const shipment = await as(t.http, retailer.key).get(`/v1/shipments/${s.id}`);
      expect(shipment.body.status).toBe('delivered');
      await expect(db.query(`SELECT from_status, to_status, cause FROM shipment_status_history WHERE shipment_id = $1 ORDER BY id`, [s.id])).resolves.toEqual([
        { from_status: null, to_status: 'booked', cause: 'booking' },
        { from_status: 'booked', to_status: 'delivered', cause: 'override' },
      ]);
      const [event] = await db.query(`SELECT payload FROM journey_events WHERE shipment_id = $1 AND type = 'shipment.delivered'`, [s.id]);
      expect(event.payload).toMatchObject({ from: 'booked', to: 'delivered', override: true, source: 'override' });
      await expect(auditOf('shipment', s.id)).resolves.toEqual([
        { actor: `user:${supervisor.id}`, action: 'shipment.status_overridden', before: { status: 'booked' }, after: { status: 'delivered', reason: 'Signed POD received by email.' } },
      ]);

      const timeline = await as(t.http, agent.key).get(`/v1/admin/shipments/${s.id}/timeline`);
      const override = timeline.body.items.find((i: { kind: string; data: { cause?: string } }) => i.kind === 'status_change' && i.data.cause === 'override');
      expect(override).toMatchObject({ summary: expect.stringContaining('OVERRIDE'), data: { from: 'booked', to: 'delivered', override: true } });
    });

    it('requires a reason and a known status, refuses the status it already has, and 404s an unknown shipment', async () => {
      const s = await bookShipment(t.http, retailer);
      const call = (body: object, id = s.id) => as(t.http, supervisor.key).post(`/v1/admin/shipments/${id}/status`, body);
      const noReason = await call({ status: 'in_transit' });
      expect(noReason.status).toBe(400);
      expect(noReason.body.error.details.map((d: { field: string }) => d.field)).toEqual(['reason']);
      const badStatus = await call({ status: 'teleported', reason: 'x' });
      expect(badStatus.body.error.details.map((d: { field: string }) => d.field)).toEqual(['status']);
      await expect(call({ status: 'booked', reason: 'x' })).resolves.toMatchObject({ status: 409, body: { error: { code: 'STATUS_UNCHANGED' } } });
      await expect(call({ status: 'in_transit', reason: 'x' }, randomUUID())).resolves.toMatchObject({ status: 404 });
    });
  });

  describe('resending a message', () => {
    async function message(shipmentId: string, status: string, channel: 'email' | 'sms' = 'email', recipient = 'erika@example.com'): Promise<string> {
      const [row] = await db.query(
        `INSERT INTO messages (retailer_id, shipment_id, channel, recipient, template, dedupe_key, status, payload, max_attempts, audience, milestone, milestone_rank)
         VALUES ($1, $2, $3, $4, 'delivered', $5, $6, '{"kind":"delivered","subject":"Delivered"}', 6, 'consignee', 'delivered', 60) RETURNING id`,
        [retailer.id, shipmentId, channel, recipient, `${shipmentId}:delivered:${channel}:${recipient}:${randomUUID()}`, status],
      );
      return row.id;
    }

    it('queues a copy of a sent or dead message under a new dedupe key, audited', async () => {
      const s = await bookShipment(t.http, retailer);
      for (const status of ['sent', 'dead']) {
        const original = await message(s.id, status);
        const res = await as(t.http, agent.key).post(`/v1/admin/shipments/${s.id}/messages/resend`, { messageId: original });
        expect(res.status).toBe(201);
        expect(res.body).toEqual({ id: expect.any(String), resentFrom: original, status: 'pending' });
        const [copy] = await db.query(`SELECT m.status, m.payload, m.recipient, m.dedupe_key, o.dedupe_key AS original_key FROM messages m, messages o WHERE m.id = $1 AND o.id = $2`, [res.body.id, original]);
        expect(copy).toMatchObject({ status: 'pending', payload: { kind: 'delivered', subject: 'Delivered' }, recipient: 'erika@example.com' });
        expect(copy.dedupe_key).toMatch(new RegExp(`^${copy.original_key}:resend:`));
        await expect(auditOf('message', original)).resolves.toEqual([
          { actor: `user:${agent.id}`, action: 'message.resent', before: { messageId: original, status }, after: { messageId: res.body.id, status: 'pending', shipmentId: s.id } },
        ]);
      }
    });

    it('refuses a message still waiting or skipped, another shipment’s message, and an opted-out consignee', async () => {
      const s = await bookShipment(t.http, retailer);
      const other = await bookShipment(t.http, retailer);
      const resend = (messageId: string, shipmentId = s.id) => as(t.http, agent.key).post(`/v1/admin/shipments/${shipmentId}/messages/resend`, { messageId });
      await expect(resend(await message(s.id, 'pending'))).resolves.toMatchObject({ status: 409, body: { error: { code: 'MESSAGE_NOT_RESENDABLE' } } });
      await expect(resend(await message(s.id, 'skipped'))).resolves.toMatchObject({ status: 409 });
      await expect(resend(await message(other.id, 'sent'))).resolves.toMatchObject({ status: 404, body: { error: { code: 'MESSAGE_NOT_FOUND' } } });
      const phone = '+4915123456789';
      const sms = await message(s.id, 'delivered', 'sms', phone);
      await db.query(
        `INSERT INTO contact_preferences (retailer_id, channel, contact_hash, opted_out, source) VALUES ($1, 'sms', $2, true, 'sms_stop')`,
        [retailer.id, createHash('sha256').update(`sms:${phone}`).digest('hex')],
      );
      await expect(resend(sms)).resolves.toMatchObject({ status: 409, body: { error: { code: 'CONSIGNEE_OPTED_OUT' } } });
      await expect(as(t.http, agent.key).post(`/v1/admin/shipments/${s.id}/messages/resend`, { messageId: 'x' })).resolves.toMatchObject({ status: 400 });
    });
  });

  describe('customer replies and the 360 view', () => {
    it('opens one customer_reply exception per shipment from inbound SMS replies, and shows everything in one ordered stream', async () => {
      const phone = '+4915111122233';
      const s = await bookShipment(t.http, retailer, bookingBody({ consignee: { name: 'Erika', email: 'erika.tl@example.com', phone, address: { lines: ['Invalidenstraße 116'], city: 'Berlin', postcode: '10115', country: 'DE' } } }));
      clock.set(new Date(T0.getTime() + 3 * HOUR));
      await postScans(t.http, carrier.key, [scan(s.trackingNumber, 'COLLECTED', at(T0, 60)), scan(s.trackingNumber, 'HUB_SCAN', at(T0, 120))]);
      await db.query(
        `INSERT INTO messages (retailer_id, shipment_id, channel, recipient, template, dedupe_key, status, payload, max_attempts, audience, created_at)
         VALUES ($1, $2, 'sms', $3, 'delay', $4, 'sent', '{}', 6, 'consignee', $5)`,
        [retailer.id, s.id, phone, `${s.id}:delay:sms:${phone}`, new Date(T0.getTime() + 150 * 60_000)],
      );
      const reply = async (body: string, sid: string) => {
        const params = { From: phone, To: '+15005550006', Body: body, MessageSid: sid };
        const signature = twilio.getExpectedTwilioSignature(TWILIO_TOKEN, 'https://passage.test/v1/webhooks/twilio/inbound', params);
        const res = await request(t.http).post('/v1/webhooks/twilio/inbound').set('X-Twilio-Signature', signature).type('form').send(params);
        expect(res.status).toBe(200);
      };
      await reply('Where is my parcel?', 'SMreply0001');
      clock.set(new Date(T0.getTime() + 4 * HOUR));
      await reply('Hello??', 'SMreply0002');
      const list = await as(t.http, agent.key).get(`/v1/admin/exceptions?retailerId=${retailer.id}&type=customer_reply`);
      const mine = list.body.data.filter((e: { shipmentId: string }) => e.shipmentId === s.id);
      expect(mine).toEqual([expect.objectContaining({ type: 'customer_reply', source: 'inbound', status: 'open', openedAt: new Date(T0.getTime() + 3 * HOUR).toISOString() })]);
      await as(t.http, agent.key).post(`/v1/admin/exceptions/${mine[0].id}/notes`, { body: 'Replied with the new estimate.' });

      const res = await as(t.http, agent.key).get(`/v1/admin/shipments/${s.id}/timeline`);
      expect(res.status).toBe(200);
      expect(res.body.shipment).toMatchObject({ id: s.id, trackingNumber: s.trackingNumber, status: 'in_transit' });
      const items = res.body.items as Array<{ at: string; kind: string; data: Record<string, unknown> }>;
      expect(items.map((i) => i.at)).toEqual([...items.map((i) => i.at)].sort());
      expect(new Set(items.map((i) => i.kind))).toEqual(new Set(['verdict', 'scan', 'status_change', 'message', 'exception', 'customer_reply', 'audit']));
      expect(items.filter((i) => i.kind === 'scan').map((i) => i.data.code)).toEqual(['COLLECTED', 'HUB_SCAN']);
      expect(items.filter((i) => i.kind === 'customer_reply').map((i) => i.data.body)).toEqual(['Where is my parcel?', 'Hello??']);
      expect(items.filter((i) => i.kind === 'exception').map((i) => i.data.event)).toEqual(['opened', 'system_note', 'note']);
      expect(items.find((i) => i.kind === 'message')?.data).toMatchObject({ channel: 'sms', status: 'sent', statusHistory: [] });
      expect(items.find((i) => i.kind === 'audit')?.data).toMatchObject({ action: 'exception.note_added' });
      expect(items.find((i) => i.kind === 'verdict')?.data).toMatchObject({ at: 'booking', status: 'ok' });
      await expect(as(t.http, agent.key).get(`/v1/admin/shipments/${randomUUID()}/timeline`)).resolves.toMatchObject({ status: 404 });
    });
  });

  describe('surveys, CX events and delivery statuses in the 360 view', () => {
    it('shows the resolution told to the consignee, the message with its delivery status history, and the survey offered and answered, in order', async () => {
      const phone = '+4915111122299';
      const s = await bookShipment(t.http, retailer, bookingBody({ consignee: { name: 'Erika', email: 'erika.survey@example.com', phone, address: { lines: ['Invalidenstraße 116'], city: 'Berlin', postcode: '10115', country: 'DE' } } }));
      const { id: exceptionId } = await open(s.id, retailer.id, 'failed_attempt');
      clock.set(new Date(T0.getTime() + 4 * HOUR));
      await as(t.http, agent.key).post(`/v1/admin/exceptions/${exceptionId}/resolve`, { resolutionCode: 'redelivered', note: 'Redelivery booked.', notifyConsignee: true });

      // The delivered SMS as the dispatcher leaves it, and the survey its link offers.
      const sentAt = new Date(T0.getTime() + 5 * HOUR);
      clock.set(sentAt);
      const sid = `SMtimeline${randomUUID().replace(/-/g, '').slice(0, 22)}`;
      await db.query(
        `INSERT INTO messages (retailer_id, shipment_id, channel, recipient, template, dedupe_key, status, payload, max_attempts, audience, provider_message_id, sent_at, status_history, created_at)
         VALUES ($1, $2, 'sms', $3, 'delivered', $4, 'sent', '{}', 6, 'consignee', $5, $6, jsonb_build_array(jsonb_build_object('status', 'sent', 'at', $6::timestamptz)), $6)`,
        [retailer.id, s.id, phone, `${s.id}:delivered:sms:${phone}`, sid, sentAt],
      );
      await db.transaction((tx) => recordIssuedSurvey(tx, t.config, { shipmentId: s.id, retailerId: retailer.id, at: sentAt }));

      // Twilio reports delivery a minute later.
      clock.set(new Date(sentAt.getTime() + 60_000));
      const params = { MessageSid: sid, MessageStatus: 'delivered', To: phone, From: '+15005550006' };
      const signature = twilio.getExpectedTwilioSignature(TWILIO_TOKEN, 'https://passage.test/v1/webhooks/twilio/status', params);
      await expect(request(t.http).post('/v1/webhooks/twilio/status').set('X-Twilio-Signature', signature).type('form').send(params)).resolves.toMatchObject({ status: 204 });

      // The consignee answers the survey an hour later.
      clock.set(new Date(T0.getTime() + 6 * HOUR));
      const path = new URL(surveyUrl(t.config, s.id)).pathname;
      const answered = await request(t.http).post(path).set('Accept', 'application/json').send({ csat: 4, ces: 6, comment: 'Left with Frau Schmidt next door' });
      expect(answered.status).toBe(200);

      const res = await as(t.http, agent.key).get(`/v1/admin/shipments/${s.id}/timeline`);
      expect(res.status).toBe(200);
      const items = res.body.items as Array<{ at: string; kind: string; summary: string; data: Record<string, unknown> }>;
      expect(items.map((i) => i.at)).toEqual([...items.map((i) => i.at)].sort());
      expect(new Set(items.map((i) => i.kind))).toEqual(new Set(['verdict', 'status_change', 'exception', 'cx_event', 'audit', 'message', 'survey']));
      const later = items.filter((i) => ['cx_event', 'message', 'survey'].includes(i.kind));
      expect(later.map((i) => [i.kind, i.at])).toEqual([
        ['cx_event', new Date(T0.getTime() + 4 * HOUR).toISOString()],
        ['message', sentAt.toISOString()],
        ['survey', sentAt.toISOString()],
        ['survey', new Date(T0.getTime() + 6 * HOUR).toISOString()],
      ]);
      expect(later[0]).toMatchObject({
        summary: 'Consignee told: failed_attempt resolved (redelivered)',
        data: { type: 'shipment.exception_resolved', exceptionId, exceptionType: 'failed_attempt', resolutionCode: 'redelivered', resolution: 1 },
      });
      const history = later[1].data.statusHistory as Array<{ status: string; at: string }>;
      expect(later[1].data).toMatchObject({ channel: 'sms', status: 'delivered', providerMessageId: sid });
      expect(history.map((h) => [h.status, new Date(h.at).toISOString()])).toEqual([
        ['sent', sentAt.toISOString()],
        ['delivered', new Date(sentAt.getTime() + 60_000).toISOString()],
      ]);
      expect(later[2].data).toMatchObject({ event: 'offered', expiresAt: expect.any(String) });
      expect(later[3]).toMatchObject({ summary: 'Survey answered: CSAT 4/5, CES 6/7, with a comment', data: { event: 'answered', csat: 4, ces: 6, hasComment: true } });
      // The comment is the consignee's own words: the view says there is one, not what it says.
      expect(JSON.stringify(res.body.items)).not.toContain('Schmidt');
    });
  });

  describe('search', () => {
    it('finds a shipment by tracking number, reference, consignee email or phone, exactly', async () => {
      const email = `Search.${randomUUID().slice(0, 6)}@Example.com`;
      const phone = '+4915199887755';
      const s = await bookShipment(t.http, retailer, { consignee: { name: 'Sam Search', email, phone, address: { lines: ['Invalidenstraße 116'], city: 'Berlin', postcode: '10115', country: 'DE' } } });
      const search = async (q: string) => {
        const res = await as(t.http, agent.key).get(`/v1/admin/search?q=${encodeURIComponent(q)}`);
        expect(res.status).toBe(200);
        return (res.body.data as Array<{ shipmentId: string; matchedOn: string }>).filter((h) => h.shipmentId === s.id).map((h) => h.matchedOn);
      };
      await expect(search(s.trackingNumber)).resolves.toEqual(['tracking_number']);
      await expect(search(s.trackingNumber.toLowerCase())).resolves.toEqual(['tracking_number']);
      await expect(search(s.reference)).resolves.toEqual(['reference']);
      await expect(search(email.toLowerCase())).resolves.toEqual(['email']);
      await expect(search(phone)).resolves.toEqual(['phone']);
      await expect(search('+49 151 9988 7755')).resolves.toEqual(['phone']);
      await expect(search(email.slice(0, -4))).resolves.toEqual([]);
      const hit = await as(t.http, agent.key).get(`/v1/admin/search?q=${s.trackingNumber}`);
      expect(hit.body.data[0]).toEqual({
        shipmentId: s.id,
        retailerId: retailer.id,
        trackingNumber: s.trackingNumber,
        reference: s.reference,
        status: 'booked',
        destinationCountry: 'DE',
        createdAt: expect.any(String),
        matchedOn: 'tracking_number',
      });
    });

    it('answers a missing or empty query with 400 naming q', async () => {
      for (const path of ['/v1/admin/search', '/v1/admin/search?q=', '/v1/admin/search?q=%20%20']) {
        const res = await as(t.http, agent.key).get(path);
        expect(res.status).toBe(400);
        expect(res.body.error.details.map((d: { field: string }) => d.field)).toEqual(['q']);
      }
    });
  });
});
