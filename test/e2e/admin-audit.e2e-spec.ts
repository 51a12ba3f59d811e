import { randomUUID } from 'node:crypto';
import request from 'supertest';
import type { Response } from 'supertest';
import { DataSource } from 'typeorm';
import { ExceptionsService } from '../../src/modules/cx/exceptions/exceptions.service';
import { as, bookShipment, createAdminUser, createCarrier, createRetailer, TestAdminUser } from '../factories';
import { admin, createTestApp, TestApp } from '../utils/test-app';

/** What a write under test should leave in the audit. */
interface Expected {
  res: Response;
  action: string;
  targetType: string;
  targetId: string;
}

/** Admin writes that write nothing, and so leave no audit row, with the reason. */
const EXEMPT: Record<string, string> = {
  'POST /v1/admin/rule-sets/{country}/preview': 'evaluates a draft against a sample shipment and writes nothing',
  'POST /v1/admin/incidents/preview': 'counts the shipments an incident would reach and writes nothing',
};

const WRITE_METHODS = new Set(['post', 'patch', 'put', 'delete']);

describe('every admin write is audited', () => {
  let t: TestApp;
  let db: DataSource;
  let auditor: TestAdminUser;
  /** Every secret the walk saw (keys and tokens): none may reach the audit. */
  const secrets: string[] = [];

  beforeAll(async () => {
    t = await createTestApp();
    db = t.app.get(DataSource);
    auditor = await createAdminUser(t.http, 'admin');
    secrets.push(auditor.key);
  }, 60_000);
  afterAll(() => t.close());

  const actor = () => `user:${auditor.id}`;
  const call = () => as(t.http, auditor.key);
  const keep = (res: Response) => {
    for (const key of [res.body?.key, res.body?.token?.key]) if (typeof key === 'string') secrets.push(key);
    return res;
  };
  const openException = async () => {
    const retailer = await createRetailer(t.http);
    const shipment = await bookShipment(t.http, retailer);
    const exceptions = t.app.get(ExceptionsService);
    return db.transaction((tx) => exceptions.open(tx, { shipmentId: shipment.id, retailerId: retailer.id, type: 'damaged', source: 'event', at: new Date() }));
  };
  const insertMessage = async (status: string) => {
    const retailer = await createRetailer(t.http);
    const shipment = await bookShipment(t.http, retailer);
    const [row] = await db.query(
      `INSERT INTO messages (retailer_id, shipment_id, channel, recipient, template, dedupe_key, status, payload, max_attempts, audience, milestone, milestone_rank)
       VALUES ($1, $2, 'email', 'erika@example.com', 'delivered', $3, $4, '{"kind":"delivered","subject":"Delivered"}', 6, 'consignee', 'delivered', 60) RETURNING id`,
      [retailer.id, shipment.id, `audit-walk:${randomUUID()}`, status],
    );
    return { shipmentId: shipment.id, messageId: row.id as string };
  };

  /** One real, successful call per admin write route, as the auditor, and the audit row it must leave. */
  const CASES: Record<string, () => Promise<Expected>> = {
    'POST /v1/admin/retailers': async () => {
      const res = await call().post('/v1/admin/retailers', { name: 'Audited Retail' });
      return { res, action: 'retailer.created', targetType: 'retailer', targetId: res.body.id };
    },
    'PATCH /v1/admin/retailers/{id}': async () => {
      const r = await createRetailer(t.http);
      const res = await call().patch(`/v1/admin/retailers/${r.id}`, { returnWindowDays: 45 });
      return { res, action: 'retailer.updated', targetType: 'retailer', targetId: r.id };
    },
    'POST /v1/admin/retailers/{id}/api-keys': async () => {
      const r = await createRetailer(t.http);
      const res = keep(await call().post(`/v1/admin/retailers/${r.id}/api-keys`, { name: 'shop' }));
      return { res, action: 'retailer.api_key_issued', targetType: 'retailer', targetId: r.id };
    },
    'DELETE /v1/admin/retailers/{id}/api-keys/{keyId}': async () => {
      const r = await createRetailer(t.http);
      const key = keep(await admin(t.http).post(`/v1/admin/retailers/${r.id}/api-keys`, {}));
      const res = await call().delete(`/v1/admin/retailers/${r.id}/api-keys/${key.body.id}`);
      return { res, action: 'retailer.api_key_revoked', targetType: 'retailer', targetId: r.id };
    },
    'PATCH /v1/admin/retailers/{id}/privacy': async () => {
      const r = await createRetailer(t.http);
      const res = await call().patch(`/v1/admin/retailers/${r.id}/privacy`, { piiRetentionDays: 90 });
      return { res, action: 'retailer.pii_retention_updated', targetType: 'retailer', targetId: r.id };
    },
    'POST /v1/admin/carriers': async () => {
      const res = await call().post('/v1/admin/carriers', { code: `c-${randomUUID().slice(0, 12)}`, name: 'Audited Carrier' });
      return { res, action: 'carrier.created', targetType: 'carrier', targetId: res.body.id };
    },
    'POST /v1/admin/carriers/{id}/api-keys': async () => {
      const c = await createCarrier(t.http);
      secrets.push(c.key);
      const res = keep(await call().post(`/v1/admin/carriers/${c.id}/api-keys`, {}));
      return { res, action: 'carrier.api_key_issued', targetType: 'carrier', targetId: c.id };
    },
    'DELETE /v1/admin/carriers/{id}/api-keys/{keyId}': async () => {
      const c = await createCarrier(t.http);
      const key = keep(await admin(t.http).post(`/v1/admin/carriers/${c.id}/api-keys`, {}));
      const res = await call().delete(`/v1/admin/carriers/${c.id}/api-keys/${key.body.id}`);
      return { res, action: 'carrier.api_key_revoked', targetType: 'carrier', targetId: c.id };
    },
    'POST /v1/admin/fx-rates': async () => {
      // A currency no other suite reads, far in the future.
      const res = await call().post('/v1/admin/fx-rates', { currency: 'ISK', unitsPerEur: 150.5, asOf: '2039-05-01', source: 'audit walk' });
      return { res, action: 'fx_rate.created', targetType: 'fx_rate', targetId: 'ISK' };
    },
    'POST /v1/admin/rule-sets/{country}/versions': async () => {
      // A country no other suite writes, far in the future.
      const current = await admin(t.http).get('/v1/admin/rule-sets/CA?on=2044-12-31');
      const res = await call().post('/v1/admin/rule-sets/CA/versions', { effectiveFrom: '2045-01-01', content: current.body.current.content, changeNote: 'Audit walk: unchanged content' });
      return { res, action: 'rule_set.version_created', targetType: 'rule_set', targetId: 'CA' };
    },
    'POST /v1/admin/messages/{id}/redrive': async () => {
      const { messageId } = await insertMessage('dead');
      const res = await call().post(`/v1/admin/messages/${messageId}/redrive`);
      return { res, action: 'message.redriven', targetType: 'message', targetId: messageId };
    },
    'POST /v1/admin/users': async () => {
      const res = keep(await call().post('/v1/admin/users', { email: `walk-${randomUUID().slice(0, 8)}@passage.test`, name: 'Walk', role: 'agent' }));
      return { res, action: 'admin_user.created', targetType: 'admin_user', targetId: res.body.id };
    },
    'PATCH /v1/admin/users/{id}': async () => {
      const u = await createAdminUser(t.http, 'agent');
      const res = await call().patch(`/v1/admin/users/${u.id}`, { role: 'supervisor' });
      return { res, action: 'admin_user.updated', targetType: 'admin_user', targetId: u.id };
    },
    'POST /v1/admin/users/{id}/tokens': async () => {
      const u = await createAdminUser(t.http, 'agent');
      const res = keep(await call().post(`/v1/admin/users/${u.id}/tokens`, { name: 'laptop' }));
      return { res, action: 'admin_user.token_issued', targetType: 'admin_user', targetId: u.id };
    },
    'DELETE /v1/admin/users/{id}/tokens/{keyId}': async () => {
      const u = keep(await admin(t.http).post('/v1/admin/users', { email: `walk-${randomUUID().slice(0, 8)}@passage.test`, name: 'Walk', role: 'agent' }));
      const res = await call().delete(`/v1/admin/users/${u.body.id}/tokens/${u.body.token.id}`);
      return { res, action: 'admin_user.token_revoked', targetType: 'admin_user', targetId: u.body.id };
    },
    'POST /v1/admin/users/{id}/tokens/revoke-all': async () => {
      const u = await createAdminUser(t.http, 'agent');
      secrets.push(u.key);
      const res = await call().post(`/v1/admin/users/${u.id}/tokens/revoke-all`);
      return { res, action: 'admin_user.tokens_revoked', targetType: 'admin_user', targetId: u.id };
    },
    'POST /v1/admin/exceptions/{id}/assign': async () => {
      const { id } = await openException();
      const res = await call().post(`/v1/admin/exceptions/${id}/assign`, { assigneeId: auditor.id });
      return { res, action: 'exception.assigned', targetType: 'exception', targetId: id };
    },
    'POST /v1/admin/exceptions/{id}/notes': async () => {
      const { id } = await openException();
      const res = await call().post(`/v1/admin/exceptions/${id}/notes`, { body: 'Asked the carrier for photos.' });
      return { res, action: 'exception.note_added', targetType: 'exception', targetId: id };
    },
    'POST /v1/admin/exceptions/{id}/resolve': async () => {
      const { id } = await openException();
      const res = await call().post(`/v1/admin/exceptions/${id}/resolve`, { resolutionCode: 'carrier_confirmed', note: 'Photos show no damage.' });
      return { res, action: 'exception.resolved', targetType: 'exception', targetId: id };
    },
    'POST /v1/admin/exceptions/{id}/reopen': async () => {
      const { id } = await openException();
      expect((await admin(t.http).post(`/v1/admin/exceptions/${id}/resolve`, { resolutionCode: 'carrier_confirmed', note: 'Fine.' })).status).toBe(200);
      const res = await call().post(`/v1/admin/exceptions/${id}/reopen`, { note: 'The consignee says otherwise.' });
      return { res, action: 'exception.reopened', targetType: 'exception', targetId: id };
    },
    'POST /v1/admin/shipments/{id}/status': async () => {
      const s = await bookShipment(t.http, await createRetailer(t.http));
      const res = await call().post(`/v1/admin/shipments/${s.id}/status`, { status: 'in_transit', reason: 'The carrier confirmed the pickup by phone.' });
      return { res, action: 'shipment.status_overridden', targetType: 'shipment', targetId: s.id };
    },
    'POST /v1/admin/shipments/{id}/messages/resend': async () => {
      const { shipmentId, messageId } = await insertMessage('sent');
      const res = await call().post(`/v1/admin/shipments/${shipmentId}/messages/resend`, { messageId });
      return { res, action: 'message.resent', targetType: 'message', targetId: messageId };
    },
    'POST /v1/admin/incidents': async () => {
      const s = await bookShipment(t.http, await createRetailer(t.http));
      const res = await call().post('/v1/admin/incidents', { kind: 'other', title: 'Audit walk', scope: { shipmentIds: [s.id] }, expectedDelayHours: 2 });
      return { res, action: 'incident.declared', targetType: 'incident', targetId: res.body.id };
    },
    'POST /v1/admin/incidents/{id}/close': async () => {
      const s = await bookShipment(t.http, await createRetailer(t.http));
      const declared = await admin(t.http).post('/v1/admin/incidents', { kind: 'other', title: 'Audit walk', scope: { shipmentIds: [s.id] }, expectedDelayHours: 2 });
      const res = await call().post(`/v1/admin/incidents/${declared.body.id}/close`, {});
      return { res, action: 'incident.closed', targetType: 'incident', targetId: declared.body.id };
    },
    'POST /v1/admin/consignees/erase': async () => {
      const res = await call().post('/v1/admin/consignees/erase', { email: `walk-${randomUUID().slice(0, 8)}@example.com` });
      return { res, action: 'consignee.erased', targetType: 'consignee', targetId: res.body.subject };
    },
  };

  let writes: string[];
  beforeAll(async () => {
    const doc = (await request(t.http).get('/docs-json')).body as { paths: Record<string, Record<string, unknown>> };
    writes = Object.entries(doc.paths)
      .filter(([path]) => path.startsWith('/v1/admin/'))
      .flatMap(([path, methods]) => Object.keys(methods).filter((m) => WRITE_METHODS.has(m)).map((m) => `${m.toUpperCase()} ${path}`))
      .sort();
  });

  it('has a case or a stated exemption for every admin write route in the OpenAPI document, and no other', () => {
    expect(writes.length).toBeGreaterThan(25);
    expect(writes).toEqual([...Object.keys(CASES), ...Object.keys(EXEMPT)].sort());
  });

  it('leaves an audit row with actor, action, target and time for each write, in the same request', async () => {
    for (const route of writes.filter((w) => CASES[w])) {
      const started = Date.now();
      const { res, action, targetType, targetId } = await CASES[route]();
      expect({ route, ok: res.status >= 200 && res.status < 300 }).toEqual({ route, ok: true });
      const q = new URLSearchParams({ actor: actor(), targetType, targetId });
      const audit = await admin(t.http).get(`/v1/admin/audit?${q}`);
      expect(audit.status).toBe(200);
      expect({ route, entry: audit.body.data[0] }).toEqual({
        route,
        entry: expect.objectContaining({ actor: actor(), action, targetType, targetId, createdAt: expect.any(String) }),
      });
      const at = Date.parse(audit.body.data[0].createdAt);
      // The database's clock against ours: the same machine, so a generous second either side.
      expect({ route, inWindow: at >= started - 1000 && at <= Date.now() + 1000 }).toEqual({ route, inWindow: true });
    }
  }, 120_000);

  it('records neither a key nor a key hash in any audit row', async () => {
    expect(secrets.length).toBeGreaterThan(5);
    const [{ text }] = await db.query(`SELECT coalesce(string_agg(concat_ws(' ', target_id, before::text, after::text), ' '), '') AS text FROM audit_log`);
    for (const secret of secrets) expect(text.includes(secret)).toBe(false);
    const [{ n }] = await db.query(
      `SELECT count(*)::int AS n FROM audit_log a JOIN api_keys k ON position(k.key_hash IN concat_ws(' ', a.target_id, a.before::text, a.after::text)) > 0`,
    );
    expect(n).toBe(0);
  });

  it('writes nothing on the exempt routes, so they leave no audit row either', async () => {
    const s = await bookShipment(t.http, await createRetailer(t.http));
    const current = await admin(t.http).get('/v1/admin/rule-sets/NZ?on=2026-12-01');
    const nz = {
      incoterm: 'DAP',
      origin: { country: 'AU' },
      consignee: { address: { lines: ['1 Queen Street'], city: 'Auckland', postcode: '1010', country: 'NZ' } },
      items: [{ description: 'Wool jumper', hsCode: '611011', quantity: 1, unitValue: 150_000, currency: 'NZD', originCountry: 'AU', weightGrams: 600 }],
      at: '2026-12-01',
    };
    const bodies: Record<string, [string, object]> = {
      'POST /v1/admin/rule-sets/{country}/preview': ['/v1/admin/rule-sets/NZ/preview', { content: current.body.current.content, shipment: nz }],
      'POST /v1/admin/incidents/preview': ['/v1/admin/incidents/preview', { kind: 'other', title: 'Preview', scope: { shipmentIds: [s.id] }, expectedDelayHours: 2 }],
    };
    expect(Object.keys(bodies).sort()).toEqual(Object.keys(EXEMPT).sort());
    const count = async () => (await db.query(`SELECT count(*)::int AS n FROM audit_log WHERE actor = $1`, [actor()]))[0].n as number;
    const before = await count();
    for (const [route, [path, body]] of Object.entries(bodies)) {
      const res = await call().post(path, body);
      expect({ route, status: res.status }).toEqual({ route, status: 200 });
    }
    await expect(count()).resolves.toBe(before);
  });

  describe('what the newly audited writes record', () => {
    const entriesFor = async (targetType: string, targetId: string) =>
      (await admin(t.http).get(`/v1/admin/audit?${new URLSearchParams({ targetType, targetId })}`)).body.data as Array<{ action: string; before: unknown; after: unknown }>;

    it('records a retailer change before and after, and nothing for a change that changes nothing', async () => {
      const r = await createRetailer(t.http, { name: 'Before Ltd', returnWindowDays: 30 });
      await expect(call().patch(`/v1/admin/retailers/${r.id}`, { name: 'After Ltd' })).resolves.toMatchObject({ status: 200, body: { name: 'After Ltd' } });
      await expect(call().patch(`/v1/admin/retailers/${r.id}`, { name: 'After Ltd', returnWindowDays: 30 })).resolves.toMatchObject({ status: 200 });
      const entries = await entriesFor('retailer', r.id);
      expect(entries.map((e) => e.action)).toEqual(['retailer.updated', 'retailer.api_key_issued', 'retailer.created']);
      expect(entries[0]).toMatchObject({ before: { name: 'Before Ltd', returnWindowDays: 30 }, after: { name: 'After Ltd', returnWindowDays: 30 } });
      expect(entries[2]).toMatchObject({ before: null, after: { name: 'Before Ltd', returnWindowDays: 30 } });
    });

    it('records a key by id and prefix, and a revoked key stops working on the next request', async () => {
      const c = await createCarrier(t.http);
      const [key] = (await admin(t.http).get(`/v1/admin/carriers/${c.id}/api-keys`)).body;
      const scans = () => as(t.http, c.key).post('/v1/tracking-events', { events: [] });
      expect((await scans()).status).not.toBe(401); // the principal is cached now
      await expect(call().delete(`/v1/admin/carriers/${c.id}/api-keys/${key.id}`)).resolves.toMatchObject({ status: 204 });
      await expect(scans()).resolves.toMatchObject({ status: 401 });
      const entries = await entriesFor('carrier', c.id);
      expect(entries.map((e) => e.action)).toEqual(['carrier.api_key_revoked', 'carrier.api_key_issued', 'carrier.created']);
      expect(entries[0]).toMatchObject({ before: { keyId: key.id, prefix: key.prefix, revoked: false }, after: { keyId: key.id, prefix: key.prefix, revoked: true } });
      expect(entries[1]).toMatchObject({ after: { keyId: key.id, prefix: key.prefix } });
      expect(JSON.stringify(entries)).not.toContain(c.key);
      await expect(call().delete(`/v1/admin/carriers/${c.id}/api-keys/${key.id}`)).resolves.toMatchObject({ status: 404 });
      expect(await entriesFor('carrier', c.id)).toHaveLength(3);
    });

    it('records a redrive before and after, and nothing for a message that is not dead', async () => {
      const { messageId } = await insertMessage('dead');
      await db.query(`UPDATE messages SET attempts = 6 WHERE id = $1`, [messageId]);
      await expect(call().post(`/v1/admin/messages/${messageId}/redrive`)).resolves.toMatchObject({ status: 200, body: { id: messageId, status: 'pending' } });
      await expect(call().post(`/v1/admin/messages/${messageId}/redrive`)).resolves.toMatchObject({ status: 409, body: { error: { code: 'MESSAGE_NOT_DEAD' } } });
      await expect(call().post(`/v1/admin/messages/${randomUUID()}/redrive`)).resolves.toMatchObject({ status: 404, body: { error: { code: 'MESSAGE_NOT_FOUND' } } });
      expect(await entriesFor('message', messageId)).toEqual([
        expect.objectContaining({ action: 'message.redriven', before: { status: 'dead', attempts: 6 }, after: { status: 'pending', attempts: 0 } }),
      ]);
    });
  });

  describe('reading the audit', () => {
    const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
    const read = async (q: Record<string, string>) => {
      const res = await admin(t.http).get(`/v1/admin/audit?${new URLSearchParams({ ...q, limit: '200' })}`);
      expect(res.status).toBe(200);
      return res.body.data as Array<{ actor: string; action: string; targetId: string; createdAt: string }>;
    };

    it('filters by actor, and by a time window from (inclusive) to (exclusive)', async () => {
      const alice = await createAdminUser(t.http, 'admin');
      const bob = await createAdminUser(t.http, 'admin');
      const created = await as(t.http, alice.key).post('/v1/admin/retailers', { name: 'Alice Shop' });
      await sleep(25);
      const other = await as(t.http, bob.key).post('/v1/admin/retailers', { name: 'Bob Shop' });
      await sleep(25);
      await as(t.http, alice.key).patch(`/v1/admin/retailers/${created.body.id}`, { name: 'Alice Store' });

      const byAlice = await read({ actor: `user:${alice.id}` });
      expect(byAlice.map((e) => [e.action, e.targetId])).toEqual([
        ['retailer.updated', created.body.id],
        ['retailer.created', created.body.id],
      ]);
      const [byBob] = await read({ actor: `user:${bob.id}` });
      expect(byBob).toMatchObject({ action: 'retailer.created', targetId: other.body.id });

      const [t1, t3] = [byAlice[1].createdAt, byAlice[0].createdAt];
      const t2 = byBob.createdAt;
      expect(t1 < t2 && t2 < t3).toBe(true);
      expect((await read({ actor: `user:${alice.id}`, from: t2 })).map((e) => e.action)).toEqual(['retailer.updated']);
      expect((await read({ actor: `user:${alice.id}`, to: t2 })).map((e) => e.action)).toEqual(['retailer.created']);
      expect(await read({ actor: `user:${alice.id}`, from: t3, to: t3 })).toEqual([]);
      const window = await read({ from: t2, to: t3 });
      expect(window.map((e) => e.targetId)).toContain(other.body.id);
      expect(window.map((e) => e.actor)).not.toContain(`user:${alice.id}`);
      for (const e of window) expect(e.createdAt >= t2 && e.createdAt < t3).toBe(true);
    });

    it('answers bad filters with 400 and the fields at fault', async () => {
      const res = await admin(t.http).get('/v1/admin/audit?from=yesterday&to=soon&limit=0');
      expect(res.status).toBe(400);
      expect(res.body.error.details.map((d: { field: string }) => d.field).sort()).toEqual(['from', 'limit', 'to']);
    });
  });
});
