import { randomBytes } from 'node:crypto';
import { DataSource } from 'typeorm';
import { FixedClock } from '../../src/common/clock/clock';
import { SecretBox } from '../../src/common/secrets/secret-box';
import { loadAppConfig } from '../../src/config/app-config';
import { WebhookEndpointRepository } from '../../src/modules/notifications/webhooks/webhook-endpoint.repository';
import { WebhookEndpointsService } from '../../src/modules/notifications/webhooks/webhook-endpoints.service';
import { openTestDataSource } from '../utils/database';

const T0 = new Date('2026-11-24T12:00:00Z');

describe('webhook endpoints against PostgreSQL', () => {
  let db: DataSource;
  let box: SecretBox;
  let sut: WebhookEndpointsService;
  let retailerId: string;
  let otherRetailerId: string;

  beforeAll(async () => {
    db = await openTestDataSource();
    box = new SecretBox(randomBytes(32));
    sut = new WebhookEndpointsService(new WebhookEndpointRepository(db), box, new FixedClock(T0), loadAppConfig({ DATABASE_URL: 'postgres://unused' }));
    [{ id: retailerId }] = await db.query(`INSERT INTO retailers (name) VALUES ('Webhook test') RETURNING id`);
    [{ id: otherRetailerId }] = await db.query(`INSERT INTO retailers (name) VALUES ('Other webhook test') RETURNING id`);
  });
  afterAll(() => db.destroy());

  const rowText = async (id: string): Promise<string> =>
    (await db.query(`SELECT row_to_json(w)::text AS t FROM webhook_endpoints w WHERE id = $1`, [id]))[0].t;

  it('never stores a signing secret in clear text, before or after a rotation', async () => {
    const { endpoint, secret } = await sut.create(retailerId, { url: 'https://shop.example.com/hooks', eventTypes: ['*'] });
    expect(await rowText(endpoint.id)).not.toContain(secret);
    expect(await rowText(endpoint.id)).not.toContain(secret.slice('whsec_'.length));

    const rotated = await sut.rotateSecret(retailerId, endpoint.id);
    const text = await rowText(endpoint.id);
    for (const s of [secret, rotated.secret]) expect(text).not.toContain(s.slice('whsec_'.length));
    // What is stored opens, with this process's key, to the secrets that sign: the new one first.
    expect(sut.signingSecrets(rotated.endpoint, T0)).toEqual([rotated.secret, secret]);
    expect(sut.signingSecrets(rotated.endpoint, new Date(T0.getTime() + 25 * 3_600_000))).toEqual([rotated.secret]);
  });

  it("does not open a secret moved onto another endpoint's row", async () => {
    const a = await sut.create(retailerId, { url: 'https://a.example.com/hooks', eventTypes: ['*'] });
    const b = await sut.create(retailerId, { url: 'https://b.example.com/hooks', eventTypes: ['*'] });
    await db.query(`UPDATE webhook_endpoints SET secret_sealed = $1 WHERE id = $2`, [a.endpoint.secret_sealed, b.endpoint.id]);
    const moved = await sut.get(retailerId, b.endpoint.id);
    expect(() => sut.signingSecrets(moved, T0)).toThrow(/does not authenticate/);
  });

  it('gives the planner the enabled endpoints of the retailer subscribed to the type or to everything', async () => {
    const [{ id: shop }] = await db.query(`INSERT INTO retailers (name) VALUES ('Planner shop') RETURNING id`);
    const delivered = await sut.create(shop, { url: 'https://shop.example.com/delivered', eventTypes: ['shipment.delivered'] });
    const all = await sut.create(shop, { url: 'https://shop.example.com/all', eventTypes: ['*'] });
    const booked = await sut.create(shop, { url: 'https://shop.example.com/booked', eventTypes: ['shipment.booked'] });
    const off = await sut.create(shop, { url: 'https://shop.example.com/off', eventTypes: ['*'] });
    await sut.update(shop, off.endpoint.id, { enabled: false });
    await sut.create(otherRetailerId, { url: 'https://other.example.com/all', eventTypes: ['*'] });

    // Created at the same instant, so compared as sets.
    const ids = async (type: string) => (await db.transaction((tx) => sut.endpointsFor(tx, shop, type))).map((e) => e.id).sort();
    await expect(ids('shipment.delivered')).resolves.toEqual([delivered.endpoint.id, all.endpoint.id].sort());
    await expect(ids('shipment.booked')).resolves.toEqual([all.endpoint.id, booked.endpoint.id].sort());
    await expect(ids('shipment.lost')).resolves.toEqual([all.endpoint.id]);
  });

  it('creates the delivery-log index led by retailer_id', async () => {
    const [{ indexdef }] = await db.query(`SELECT indexdef FROM pg_indexes WHERE indexname = 'messages_webhook_deliveries_idx'`);
    expect(indexdef).toMatch(/\(retailer_id, recipient, created_at DESC, id DESC\) WHERE \(channel = 'webhook'::text\)/);
  });
});
