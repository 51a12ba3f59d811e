import { randomUUID } from 'node:crypto';
import request from 'supertest';
import type { App } from 'supertest/types';
import { DataSource } from 'typeorm';
import { FixedClock } from '../../src/common/clock/clock';
import { IdempotencyRepository } from '../../src/common/idempotency/idempotency.repository';
import { ShipmentsService } from '../../src/modules/shipments/shipments.service';
import { IdempotencySweeper } from '../../src/modules/worker/idempotency-sweeper';
import { bookingBody, createRetailer, TestRetailer } from '../factories';
import { createTestApp, TEST_ADMIN_TOKEN, TestApp } from '../utils/test-app';

const HOUR = 3_600_000;

const book = (http: App, retailer: TestRetailer, key: string, body: object) =>
  request(http).post('/v1/shipments').set('Authorization', `Bearer ${retailer.key}`).set('Idempotency-Key', key).send(body);

describe('idempotency keys against PostgreSQL', () => {
  let t: TestApp;
  let db: DataSource;
  let retailer: TestRetailer;

  beforeAll(async () => {
    t = await createTestApp();
    db = t.app.get(DataSource);
    retailer = await createRetailer(t.http);
  });
  afterAll(() => t.close());

  const shipmentsWithReference = async (reference: string): Promise<number> =>
    (await db.query(`SELECT count(*)::int AS n FROM shipments WHERE reference = $1`, [reference]))[0].n;
  const storedKey = async (principal: string, key: string) =>
    (await db.query(`SELECT * FROM idempotency_keys WHERE principal = $1 AND key = $2`, [principal, key]))[0];

  describe('over HTTP', () => {
    it('replays the first response for the same key and body, marked Idempotent-Replayed', async () => {
      const key = randomUUID();
      const body = bookingBody();
      const first = await book(t.http, retailer, key, body);
      expect(first.status).toBe(201);
      expect(first.headers['idempotent-replayed']).toBeUndefined();

      const second = await book(t.http, retailer, key, body);
      expect(second.status).toBe(201);
      expect(second.headers['idempotent-replayed']).toBe('true');
      expect(second.body).toEqual(first.body);
      await expect(shipmentsWithReference(body.reference as string)).resolves.toBe(1);
    });

    it('keeps the stored response sealed: no consignee data or one-time secret in the table, and still replays it', async () => {
      const key = randomUUID();
      const body = bookingBody();
      const first = await book(t.http, retailer, key, body);
      expect(first.status).toBe(201);
      const [row] = await db.query(`SELECT principal, response_body FROM idempotency_keys WHERE key = $1`, [key]);
      expect(typeof row.response_body).toBe('string');
      expect(row.response_body).toMatch(/^sb1\./);
      const consignee = (body as { consignee: { name: string; email?: string } }).consignee;
      for (const clear of [consignee.name, consignee.email, first.body.trackingNumber]) if (clear) expect(row.response_body).not.toContain(clear);

      // An admin issuing an API key with an Idempotency-Key: the key is shown again on a retry, but never stored in clear.
      const adminKey = randomUUID();
      const issue = () => request(t.http).post(`/v1/admin/retailers/${retailer.id}/api-keys`).set('Authorization', `Bearer ${TEST_ADMIN_TOKEN}`).set('Idempotency-Key', adminKey).send({ name: 'ci' });
      const issued = await issue();
      expect(issued.status).toBe(201);
      const [stored] = await db.query(`SELECT response_body FROM idempotency_keys WHERE key = $1`, [adminKey]);
      expect(JSON.stringify(stored.response_body)).not.toContain(issued.body.key);
      const again = await issue();
      expect(again.headers['idempotent-replayed']).toBe('true');
      expect(again.body.key).toBe(issued.body.key);
    });

    it('treats a body with its keys in another order as the same request', async () => {
      const key = randomUUID();
      const body = bookingBody();
      const first = await book(t.http, retailer, key, body);
      const reordered = Object.fromEntries(Object.entries(body).reverse());
      const second = await book(t.http, retailer, key, reordered);
      expect(second.status).toBe(201);
      expect(second.headers['idempotent-replayed']).toBe('true');
      expect(second.body.id).toBe(first.body.id);
    });

    it('rejects the same key with a different body as IDEMPOTENCY_KEY_REUSED and books nothing', async () => {
      const key = randomUUID();
      await expect(book(t.http, retailer, key, bookingBody())).resolves.toMatchObject({ status: 201 });
      const other = bookingBody();
      const res = await book(t.http, retailer, key, other);
      expect(res.status).toBe(422);
      expect(res.body.error).toMatchObject({ code: 'IDEMPOTENCY_KEY_REUSED', details: [{ field: 'Idempotency-Key' }] });
      expect(res.body.requestId).toEqual(expect.any(String));
      await expect(shipmentsWithReference(other.reference as string)).resolves.toBe(0);
    });

    it('answers 409 IDEMPOTENCY_KEY_IN_FLIGHT while the first request with the key is still running', async () => {
      // Learn the hash of this exact request, then plant an in-flight claim for it under a fresh key.
      const body = bookingBody();
      const probeKey = randomUUID();
      await book(t.http, retailer, probeKey, body);
      const principal = `retailer:${retailer.id}`;
      const { request_hash: hash } = await storedKey(principal, probeKey);
      const key = randomUUID();
      await db.query(
        `INSERT INTO idempotency_keys (principal, key, request_hash, state, locked_until, expires_at)
         VALUES ($1, $2, $3, 'in_flight', now() + interval '1 minute', now() + interval '1 day')`,
        [principal, key, hash],
      );
      const res = await book(t.http, retailer, key, body);
      expect(res.status).toBe(409);
      expect(res.headers['retry-after']).toBe('1');
      expect(res.body.error.code).toBe('IDEMPOTENCY_KEY_IN_FLIGHT');
      await expect(storedKey(principal, key)).resolves.toMatchObject({ state: 'in_flight', response_body: null });
    });

    it('books once when two requests with the same key race; the other waits its turn or replays', async () => {
      const key = randomUUID();
      const body = bookingBody();
      const responses = await Promise.all([book(t.http, retailer, key, body), book(t.http, retailer, key, body)]);
      const created = responses.filter((r) => r.status === 201 && r.headers['idempotent-replayed'] === undefined);
      expect(created).toHaveLength(1);
      for (const r of responses.filter((x) => x !== created[0])) {
        expect([409, 201]).toContain(r.status);
        if (r.status === 201) expect(r.body).toEqual(created[0].body);
        else expect(r.body.error.code).toBe('IDEMPOTENCY_KEY_IN_FLIGHT');
      }
      await expect(shipmentsWithReference(body.reference as string)).resolves.toBe(1);
    });

    it('keeps the keys of different retailers apart', async () => {
      const other = await createRetailer(t.http);
      const key = `order-${randomUUID()}`;
      const body = bookingBody();
      const mine = await book(t.http, retailer, key, body);
      const theirs = await book(t.http, other, key, body);
      expect([mine.status, theirs.status]).toEqual([201, 201]);
      expect(theirs.headers['idempotent-replayed']).toBeUndefined();
      expect(theirs.body.id).not.toBe(mine.body.id);
      await expect(shipmentsWithReference(body.reference as string)).resolves.toBe(2);
    });

    it('stores and replays a client error under the same key, naming the new request', async () => {
      const key = randomUUID();
      const body = bookingBody({ incoterm: 'FOB' });
      const first = await book(t.http, retailer, key, body);
      expect(first.status).toBe(400);
      const second = await book(t.http, retailer, key, body);
      expect(second.status).toBe(400);
      expect(second.headers['idempotent-replayed']).toBe('true');
      expect(second.body.error).toEqual(first.body.error);
      expect(second.body.requestId).toBe(second.headers['x-request-id']);
      expect(second.body.requestId).not.toBe(first.body.requestId);
    });

    it('releases the key after a server error so that the client can retry with it', async () => {
      const key = randomUUID();
      const body = bookingBody();
      const spy = jest.spyOn(t.app.get(ShipmentsService), 'book').mockRejectedValueOnce(new Error('database went away'));
      try {
        await expect(book(t.http, retailer, key, body)).resolves.toMatchObject({ status: 500 });
      } finally {
        spy.mockRestore();
      }
      await expect(storedKey(`retailer:${retailer.id}`, key)).resolves.toBeUndefined();
      const retry = await book(t.http, retailer, key, body);
      expect(retry.status).toBe(201);
      expect(retry.headers['idempotent-replayed']).toBeUndefined();
    });

    it('rejects a key that is not printable ASCII', async () => {
      const res = await book(t.http, retailer, 'x'.repeat(256), bookingBody());
      expect(res.status).toBe(400);
      expect(res.body.error.code).toBe('IDEMPOTENCY_KEY_INVALID');
    });
  });

  describe('expiry', () => {
    let clocked: TestApp;
    const clock = new FixedClock(new Date());

    beforeAll(async () => {
      clocked = await createTestApp({ clock });
    });
    afterAll(() => clocked.close());

    it('takes over an expired key as if it were new, whatever body it first came with', async () => {
      const key = randomUUID();
      const first = await book(clocked.http, retailer, key, bookingBody());
      expect(first.status).toBe(201);

      clock.advance(23 * HOUR);
      const different = bookingBody();
      await expect(book(clocked.http, retailer, key, different)).resolves.toMatchObject({ status: 422 });

      clock.advance(1 * HOUR); // now exactly at expiry (24 h, the default retention)
      const taken = await book(clocked.http, retailer, key, different);
      expect(taken.status).toBe(201);
      expect(taken.headers['idempotent-replayed']).toBeUndefined();
      expect(taken.body.id).not.toBe(first.body.id);
      const stored = await storedKey(`retailer:${retailer.id}`, key);
      expect(new Date(stored.expires_at).getTime()).toBe(clock.now().getTime() + 24 * HOUR);
    });

    it('takes over an in-flight claim whose lock has lapsed, for the same request only', async () => {
      const repository = clocked.app.get(IdempotencyRepository);
      const principal = `retailer:${randomUUID()}`;
      const key = randomUUID();
      const now = clock.now();
      await expect(repository.claim({ principal, key, requestHash: 'h1', now, lockMs: 60_000, ttlMs: 24 * HOUR })).resolves.toBeUndefined();
      const later = new Date(now.getTime() + 61_000);
      await expect(repository.claim({ principal, key, requestHash: 'h2', now: later, lockMs: 60_000, ttlMs: 24 * HOUR })).resolves.toMatchObject({
        request_hash: 'h1',
        state: 'in_flight',
      });
      await expect(repository.claim({ principal, key, requestHash: 'h1', now: later, lockMs: 60_000, ttlMs: 24 * HOUR })).resolves.toBeUndefined();
    });
  });

  describe('the sweeper', () => {
    it('deletes expired keys only', async () => {
      const now = new Date(Date.UTC(2001, 0, 1)); // before any key another test made expires
      const principal = `sweep:${randomUUID()}`;
      const rows: [string, number][] = [
        ['expired-long-ago', -48 * HOUR],
        ['expired-just-now', 0],
        ['expires-in-a-second', 1000],
        ['expires-tomorrow', 24 * HOUR],
      ];
      for (const [key, offset] of rows) {
        await db.query(
          `INSERT INTO idempotency_keys (principal, key, request_hash, state, response_status, response_body, locked_until, expires_at)
           VALUES ($1, $2, 'h', 'completed', 201, '{}', $3, $3)`,
          [principal, key, new Date(now.getTime() + offset)],
        );
      }
      const expiredEverywhere = (await db.query(`SELECT count(*)::int AS n FROM idempotency_keys WHERE expires_at <= $1`, [now]))[0].n;

      const sweeper = new IdempotencySweeper(t.app.get(IdempotencyRepository), new FixedClock(now));
      await expect(sweeper.sweep()).resolves.toBe(expiredEverywhere);

      const left = await db.query(`SELECT key FROM idempotency_keys WHERE principal = $1 ORDER BY key`, [principal]);
      expect(left.map((r: { key: string }) => r.key)).toEqual(['expires-in-a-second', 'expires-tomorrow']);
      await expect(db.query(`SELECT count(*)::int AS n FROM idempotency_keys WHERE expires_at <= $1`, [now])).resolves.toEqual([{ n: 0 }]);
    });

    it('deletes in bounded batches', async () => {
      const now = new Date(Date.UTC(2000, 0, 1));
      const principal = `sweep:${randomUUID()}`;
      for (let i = 0; i < 5; i++) {
        await db.query(
          `INSERT INTO idempotency_keys (principal, key, request_hash, state, locked_until, expires_at) VALUES ($1, $2, 'h', 'completed', $3, $3)`,
          [principal, `k${i}`, new Date(now.getTime() - HOUR)],
        );
      }
      const repository = t.app.get(IdempotencyRepository);
      await expect(repository.deleteExpired(now, 2)).resolves.toBe(2);
      await expect(repository.deleteExpired(now, 2)).resolves.toBe(2);
      await expect(repository.deleteExpired(now, 2)).resolves.toBe(1);
      await expect(repository.deleteExpired(now, 2)).resolves.toBe(0);
    });
  });
});
