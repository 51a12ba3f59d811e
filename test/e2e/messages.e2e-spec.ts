import request from 'supertest';
import twilio from 'twilio';
import { DataSource } from 'typeorm';
import { bookShipment, createRetailer, TestRetailer } from '../factories';
import { openTestDataSource } from '../utils/database';
import { admin, createTestApp, TestApp } from '../utils/test-app';

const TOKEN = 'twilio-auth-token-for-tests';
const BASE = 'https://passage.test';
const STATUS_URL = `${BASE}/v1/webhooks/twilio/status`;

describe('messages', () => {
  let t: TestApp;
  let db: DataSource;
  let owner: TestRetailer;
  let other: TestRetailer;
  let shipmentId: string;
  let smsSid: string;
  let deadId: string;

  beforeAll(async () => {
    t = await createTestApp({
      env: { TWILIO_ACCOUNT_SID: 'AC00000000000000000000000000000000', TWILIO_AUTH_TOKEN: TOKEN, TWILIO_FROM: '+15005550006', PUBLIC_BASE_URL: BASE },
    });
    db = await openTestDataSource();
    [owner, other] = await Promise.all([createRetailer(t.http), createRetailer(t.http)]);
    shipmentId = (await bookShipment(t.http, owner)).id;
    smsSid = `SM${Date.now()}${Math.floor(Math.random() * 1e6)}`;
    const insert = (channel: string, status: string, provider: string | null, code: string | null) =>
      db.query(
        `INSERT INTO messages (retailer_id, shipment_id, channel, recipient, template, dedupe_key, status, payload, attempts, max_attempts,
                               provider_message_id, last_error_code)
         VALUES ($1, $2, $3, $4, 'out_for_delivery', gen_random_uuid()::text, $5, '{}', 1, 6, $6, $7) RETURNING id`,
        [owner.id, shipmentId, channel, channel === 'sms' ? '+4915123456789' : 'erika@example.com', status, provider, code],
      );
    await insert('sms', 'sent', smsSid, null);
    [{ id: deadId }] = await insert('email', 'dead', null, 'SMTP_550');
  });
  afterAll(async () => {
    await db.destroy();
    await t.close();
  });

  const signedStatus = (params: Record<string, string>, signature = twilio.getExpectedTwilioSignature(TOKEN, STATUS_URL, params)) =>
    request(t.http).post('/v1/webhooks/twilio/status').set('X-Twilio-Signature', signature).type('form').send(params);
  const smsStatus = async () => (await db.query(`SELECT status FROM messages WHERE provider_message_id = $1`, [smsSid]))[0].status;

  it("lists a shipment's messages to its retailer, with statuses and error codes", async () => {
    const res = await request(t.http).get(`/v1/shipments/${shipmentId}/messages`).set('Authorization', `Bearer ${owner.key}`);
    expect(res.status).toBe(200);
    expect(res.body).toEqual([
      expect.objectContaining({ channel: 'sms', status: 'sent', providerMessageId: smsSid, template: 'out_for_delivery' }),
      expect.objectContaining({ channel: 'email', status: 'dead', lastErrorCode: 'SMTP_550' }),
    ]);
  });

  it("answers another retailer with 404, as if the shipment did not exist", async () => {
    const res = await request(t.http).get(`/v1/shipments/${shipmentId}/messages`).set('Authorization', `Bearer ${other.key}`);
    expect(res.status).toBe(404);
    expect(res.body.error.code).toBe('SHIPMENT_NOT_FOUND');
  });

  it('applies a signed Twilio status callback, and never lets a late "sent" undo "delivered"', async () => {
    await expect(signedStatus({ MessageSid: smsSid, MessageStatus: 'delivered', AccountSid: 'AC0' })).resolves.toMatchObject({ status: 204 });
    await expect(smsStatus()).resolves.toBe('delivered');
    await expect(signedStatus({ MessageSid: smsSid, MessageStatus: 'sent', AccountSid: 'AC0' })).resolves.toMatchObject({ status: 204 });
    await expect(smsStatus()).resolves.toBe('delivered');
  });

  it('refuses unsigned, tampered and wrongly signed callbacks with 403 and changes nothing', async () => {
    const params = { MessageSid: smsSid, MessageStatus: 'failed' };
    const good = twilio.getExpectedTwilioSignature(TOKEN, STATUS_URL, params);
    const unsigned = await request(t.http).post('/v1/webhooks/twilio/status').type('form').send(params);
    expect(unsigned.status).toBe(403);
    expect(unsigned.body.error.code).toBe('INVALID_SIGNATURE');
    await expect(signedStatus({ ...params, MessageStatus: 'undelivered' }, good)).resolves.toMatchObject({ status: 403 });
    await expect(signedStatus(params, twilio.getExpectedTwilioSignature('another-token', STATUS_URL, params))).resolves.toMatchObject({ status: 403 });
    await expect(smsStatus()).resolves.toBe('delivered');
  });

  it('lets an operator redrive a dead-lettered message once, and only an operator', async () => {
    const asRetailer = await request(t.http).post(`/v1/admin/messages/${deadId}/redrive`).set('Authorization', `Bearer ${owner.key}`);
    expect(asRetailer.status).toBe(403);
    await expect(admin(t.http).post(`/v1/admin/messages/${deadId}/redrive`)).resolves.toMatchObject({ status: 200, body: { id: deadId, status: 'pending' } });
    const again = await admin(t.http).post(`/v1/admin/messages/${deadId}/redrive`);
    expect(again.status).toBe(409);
    expect(again.body.error.code).toBe('MESSAGE_NOT_DEAD');
    await expect(db.query(`SELECT status, attempts FROM messages WHERE id = $1`, [deadId])).resolves.toEqual([{ status: 'pending', attempts: 0 }]);
    const missing = await admin(t.http).post('/v1/admin/messages/00000000-0000-4000-8000-000000000000/redrive');
    expect(missing.status).toBe(404);
    expect(missing.body.error.code).toBe('MESSAGE_NOT_FOUND');
  });
});
