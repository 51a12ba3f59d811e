import request from 'supertest';
import { DataSource } from 'typeorm';
import { FixedClock } from '../../src/common/clock/clock';
import { CxRollupService } from '../../src/modules/cx/metrics/cx-rollup.service';
import { as, bookingBody, createRetailer, TestRetailer } from '../factories';
import { admin, createTestApp, TestApp } from '../utils/test-app';

/**
 * A small world in March 2031 (no other suite writes there), with every metric worked out by hand below.
 * Window: [2031-03-01, 2031-03-08). Shipments s1–s4 go to DE and s5–s6 to FR, all from GB, booked in the
 * window; s0 (DE) was booked before it.
 */
const FROM = '2031-03-01T00:00:00.000Z';
const TO = '2031-03-08T00:00:00.000Z';
const at = (day: number, hour = 0, minute = 0) => new Date(Date.UTC(2031, 2, day, hour, minute));

const FR_CONSIGNEE = {
  name: 'Marie Curie',
  email: 'marie@example.fr',
  phone: '+33612345678',
  locale: 'fr-FR',
  address: { lines: ['1 rue de Rivoli'], city: 'Paris', postcode: '75001', country: 'FR' },
};

describe('CX metrics', () => {
  let t: TestApp;
  let db: DataSource;
  let retailer: TestRetailer;
  const s: string[] = [];

  beforeAll(async () => {
    t = await createTestApp({ clock: new FixedClock(at(2, 12)) });
    db = t.app.get(DataSource);
    retailer = await createRetailer(t.http, { name: 'Metrics Shop' });
    for (let i = 0; i <= 6; i++) {
      const res = await as(t.http, retailer.key).post('/v1/shipments', bookingBody(i >= 5 ? { consignee: FR_CONSIGNEE } : {}));
      expect(res.status).toBe(201);
      s.push(res.body.id);
    }
    const booked = [at(-8, 12) /* 2031-02-20 */, at(1, 9), at(2, 9), at(2, 10), at(6, 9), at(1, 8), at(5, 8)];
    for (let i = 0; i <= 6; i++) await db.query(`UPDATE shipments SET created_at = $2 WHERE id = $1`, [s[i], booked[i]]);
    await expect(db.query(`SELECT count(*)::int AS n FROM exceptions WHERE shipment_id = ANY($1::uuid[])`, [s])).resolves.toEqual([{ n: 0 }]);

    const survey = (i: number, created: Date, answer?: [number, number]) =>
      db.query(
        `INSERT INTO surveys (retailer_id, shipment_id, destination_country, origin_country, token_hash, created_at, expires_at, used_at, csat, ces)
         SELECT $1, id, destination_country, origin->>'country', md5(random()::text), $3, $3::timestamptz + interval '30 days', $4, $5, $6
           FROM shipments WHERE id = $2`,
        [retailer.id, s[i], created, answer ? created : null, answer?.[0] ?? null, answer?.[1] ?? null],
      );
    await survey(1, at(3), [5, 2]);
    await survey(2, at(4), [3, 4]);
    await survey(3, at(5));
    await survey(5, at(3), [4, 1]);
    await survey(0, at(-1), [1, 7]); // 2031-02-28: before the window

    const exception = async (i: number, type: string, opened: Date, resolved: Date | null, touches: number, reopened = 0) => {
      const [{ id }] = await db.query(
        `INSERT INTO exceptions (retailer_id, shipment_id, type, severity, status, source, destination_country, sla_due_at, opened_at,
                                 touches, resolved_at, resolution_code, reopened_count)
         SELECT $1, $2, $3, 'medium', CASE WHEN $5::timestamptz IS NULL THEN 'open' ELSE 'resolved' END, 'event', destination_country,
                $4::timestamptz + interval '1 day', $4, $6, $5, CASE WHEN $5::timestamptz IS NULL THEN NULL ELSE 'fixed' END, $7
           FROM shipments WHERE id = $2 RETURNING id`,
        [retailer.id, s[i], type, opened, resolved, touches, reopened],
      );
      return id as string;
    };
    const event = (exceptionId: string, kind: string, when: Date) =>
      db.query(`INSERT INTO exception_events (exception_id, kind, actor, created_at) VALUES ($1, $2, 'test', $3)`, [exceptionId, kind, when]);
    await exception(1, 'delay', at(2, 10), at(2, 14), 1); //                  e1 DE: 4 h, one touch: first contact
    await exception(2, 'customs_hold', at(3), at(4), 2); //                   e2 DE: 24 h, two touches
    const e3 = await exception(3, 'delay', at(3), at(5), 1, 1); //            e3 DE: 48 h, reopened within 7 days
    await event(e3, 'resolved', at(3, 6));
    await event(e3, 'reopened', at(4));
    await event(e3, 'resolved', at(5));
    await exception(5, 'delay', at(2), at(2, 2), 0); //                       e4 FR: 2 h, resolved by the journey (no agent)
    await exception(6, 'failed_attempt', at(6), null, 0); //                  e5 FR: still open
    await exception(0, 'delay', at(-3), at(2), 1); //                         e6 DE: opened 2031-02-25, resolved in the window: 120 h

    const message = (i: number, channel: string, status: string, created: Date, audience = 'consignee') =>
      db.query(
        `INSERT INTO messages (retailer_id, shipment_id, channel, recipient, template, dedupe_key, status, payload, max_attempts, audience, created_at, sent_at)
         VALUES ($1, $2, $3, 'someone', 'delay', gen_random_uuid()::text, $4, '{}', 5, $5, $6,
                 CASE WHEN $4 IN ('sent', 'delivered') THEN $6::timestamptz END)`,
        [retailer.id, s[i], channel, status, audience, created],
      );
    await message(1, 'email', 'delivered', at(2, 10, 5)); //  after e1 opened, no reply: proactive
    await message(1, 'sms', 'sent', at(2, 10, 5));
    await message(2, 'email', 'failed', at(3, 2)); //          never reached e2's consignee, who wrote at 01:00: not proactive
    await message(3, 'email', 'skipped', at(4)); //            skipped: never told anyone (e3 not proactive)
    await message(5, 'sms', 'delivered', at(1, 23, 55)); //    5 minutes before e4 opened, within the grace: proactive
    await message(6, 'sms', 'dead', at(6, 0, 30)); //          dead: e5's consignee was never told: not proactive
    await message(1, 'webhook', 'pending', at(2), 'webhook');
    await message(0, 'email', 'delivered', at(-4)); //        before the window

    const reply = (i: number | null, body: string, received: Date) =>
      db.query(`INSERT INTO customer_replies (retailer_id, shipment_id, channel, contact_hash, body, received_at) VALUES ($1, $2, 'sms', 'h', $3, $4)`, [
        retailer.id,
        i === null ? null : s[i],
        body,
        received,
      ]);
    await reply(2, 'Where is my parcel?', at(3, 1)); //  DE, WISMO
    await reply(6, 'Wo ist mein Paket?', at(6, 1)); //   FR, WISMO
    await reply(1, 'Thanks, all good', at(4)); //        DE, not WISMO
    await reply(null, 'Où est mon colis ?', at(5)); //    no shipment: group "unknown", WISMO
    await reply(0, 'tracking?', at(-4)); //             before the window
  });
  afterAll(() => t.close());

  const metrics = (query: string) => admin(t.http).get(`/v1/admin/metrics?from=${FROM}&to=${TO}&${query}`);

  it('computes every family by country, as worked out by hand', async () => {
    const res = await metrics('groupBy=country');
    expect(res.status).toBe(200);
    const { totals, groups } = res.body;
    expect(groups.map((g: { key: string }) => g.key)).toEqual(['DE', 'FR', 'unknown']);
    const [de, fr, unknown] = groups;

    // Surveys issued in the window: DE s1 (5, 2), s2 (3, 4), s3 (no answer); FR s5 (4, 1). s0's is before it.
    expect(de.surveys).toEqual({
      issued: 3,
      responses: 2,
      responseRate: 0.6667,
      csatAverage: 4, // (5 + 3) / 2
      csatDistribution: { '1': 0, '2': 0, '3': 1, '4': 0, '5': 1 },
      cesAverage: 3, // (2 + 4) / 2
      cesDistribution: { '1': 0, '2': 1, '3': 0, '4': 1, '5': 0, '6': 0, '7': 0 },
    });
    expect(fr.surveys).toMatchObject({ issued: 1, responses: 1, responseRate: 1, csatAverage: 4, cesAverage: 1 });
    expect(totals.surveys).toMatchObject({ issued: 4, responses: 3, responseRate: 0.75, csatAverage: 4, cesAverage: 2.33 }); // (2 + 4 + 1) / 3

    // DE: opened e1, e2, e3 (e6 before the window); resolved e1 4 h, e2 24 h, e3 48 h, e6 120 h.
    // median of [4, 24, 48, 120] = (24 + 48) / 2 = 36; p90 at rank 0.9 × 3 = 2.7: 48 + 0.7 × (120 − 48) = 98.4.
    // Agent-resolved: e1, e2, e3, e6; first contact: e1 and e6 (e2 took two touches, e3 was reopened within 7 days).
    // Proactive among opened: e1 only (e2's consignee wrote first, e3's was never told).
    expect(de.exceptions).toMatchObject({
      opened: 3,
      resolved: 4,
      timeToResolve: { medianHours: 36, p90Hours: 98.4 },
      firstContactResolution: { agentResolved: 4, firstContact: 2, rate: 0.5 },
      proactive: { opened: 3, proactive: 1, share: 0.3333 },
    });
    // delay: opened e1, e3; resolved e1 4 h, e3 48 h, e6 120 h: median 48; p90 at 1.8: 48 + 0.8 × 72 = 105.6.
    expect(de.exceptions.byType.delay).toEqual({ opened: 2, resolved: 3, timeToResolve: { medianHours: 48, p90Hours: 105.6 } });
    expect(de.exceptions.byType.customs_hold).toEqual({ opened: 1, resolved: 1, timeToResolve: { medianHours: 24, p90Hours: 24 } });
    expect(de.exceptions.byType.lost).toEqual({ opened: 0, resolved: 0, timeToResolve: { medianHours: null, p90Hours: null } });
    // FR: opened e4 (told 5 minutes before it opened: proactive) and e5 (the consignee wrote first); resolved e4 2 h, by no agent.
    expect(fr.exceptions).toMatchObject({
      opened: 2,
      resolved: 1,
      timeToResolve: { medianHours: 2, p90Hours: 2 },
      firstContactResolution: { agentResolved: 0, firstContact: 0, rate: null },
      proactive: { opened: 2, proactive: 1, share: 0.5 },
    });
    // All: resolved [2, 4, 24, 48, 120]: median 24; p90 at 3.6: 48 + 0.6 × 72 = 91.2. Proactive 2 of 5.
    expect(totals.exceptions).toMatchObject({
      opened: 5,
      resolved: 5,
      timeToResolve: { medianHours: 24, p90Hours: 91.2 },
      firstContactResolution: { agentResolved: 4, firstContact: 2, rate: 0.5 },
      proactive: { opened: 5, proactive: 2, share: 0.4 },
    });
    // delay overall: resolved [2, 4, 48, 120]: median 26; p90 at 2.7: 48 + 0.7 × 72 = 98.4.
    expect(totals.exceptions.byType.delay).toEqual({ opened: 3, resolved: 4, timeToResolve: { medianHours: 26, p90Hours: 98.4 } });
    expect(totals.exceptions.byType.failed_attempt).toEqual({ opened: 1, resolved: 0, timeToResolve: { medianHours: null, p90Hours: null } });

    // WISMO: DE 1 of 2 replies over 4 shipments booked = 250 per 1,000; FR 1 over 2 = 500; a reply without a shipment
    // counts in the totals only under "unknown"; all: 3 WISMO replies over 6 shipments = 500.
    expect(de.wismo).toEqual({ shipments: 4, replies: 2, wismoReplies: 1, per1000Shipments: 250 });
    expect(fr.wismo).toEqual({ shipments: 2, replies: 1, wismoReplies: 1, per1000Shipments: 500 });
    expect(unknown.wismo).toEqual({ shipments: 0, replies: 1, wismoReplies: 1, per1000Shipments: null });
    expect(totals.wismo).toEqual({ shipments: 6, replies: 4, wismoReplies: 3, per1000Shipments: 500 });

    // Messages: DE email delivered + failed (+1 skipped): 1 / 2; DE sms sent: 1 / 1; FR sms delivered + dead: 1 / 2.
    expect(de.messages.email).toEqual({ attempted: 2, delivered: 1, sent: 0, failed: 1, pending: 0, skipped: 1, deliveryRate: 0.5 });
    expect(de.messages.sms).toEqual({ attempted: 1, delivered: 0, sent: 1, failed: 0, pending: 0, skipped: 0, deliveryRate: 1 });
    expect(de.messages.webhook).toEqual({ attempted: 1, delivered: 0, sent: 0, failed: 0, pending: 1, skipped: 0, deliveryRate: null });
    expect(fr.messages.sms).toMatchObject({ attempted: 2, delivered: 1, failed: 1, deliveryRate: 0.5 });
    expect(fr.messages.email).toMatchObject({ attempted: 0, deliveryRate: null });
    expect(totals.messages.sms).toMatchObject({ attempted: 3, delivered: 1, sent: 1, failed: 1, deliveryRate: 0.6667 });
  });

  it('groups by lane, retailer and day with the same totals', async () => {
    const country = (await metrics('groupBy=country')).body.totals;
    const lane = await metrics('groupBy=lane');
    expect(lane.body.groups.map((g: { key: string }) => g.key)).toEqual(['GB-DE', 'GB-FR', 'unknown']);
    expect(lane.body.groups[0].exceptions.firstContactResolution).toEqual({ agentResolved: 4, firstContact: 2, rate: 0.5 });
    expect(lane.body.totals).toEqual(country);

    const byRetailer = await metrics('groupBy=retailer');
    expect(byRetailer.body.groups).toEqual([expect.objectContaining({ key: retailer.id, label: 'Metrics Shop', surveys: country.surveys })]);

    const byDay = await metrics('groupBy=day');
    const day = (key: string) => byDay.body.groups.find((g: { key: string }) => g.key === key);
    // Opened on 2031-03-03: e2 and e3; resolved that day: none. Surveys issued that day: s1 and s5.
    expect(day('2031-03-03').exceptions).toMatchObject({ opened: 2, resolved: 0 });
    expect(day('2031-03-03').surveys).toMatchObject({ issued: 2, responses: 2, csatAverage: 4.5 });
    // Resolved on 2031-03-02: e1 (4 h), e4 (2 h), e6 (120 h).
    expect(day('2031-03-02').exceptions).toMatchObject({ resolved: 3, timeToResolve: { medianHours: 4 } });
    expect(byDay.body.totals).toEqual(country);
  });

  it('gives the same figures from the rollups, whole or partial, as from the rows themselves', async () => {
    const live = await Promise.all(['country', 'lane', 'retailer', 'day'].map(async (g) => (await metrics(`groupBy=${g}`)).body));
    // Mid-window: the days before are rolled up (not yet settled), 2031-03-05 up to 11:58, the rest is live.
    // By then e1, e4 (told), e2 (wrote first) and e6 (a week with neither) are decided; e3 is not, e5 not yet opened.
    await expect(new CxRollupService(db, new FixedClock(at(5, 12))).run()).resolves.toEqual({ days: 60, decided: 4 });
    await expect(db.query(`SELECT covered_until FROM cx_daily_stats_days WHERE day = '2031-03-05'`)).resolves.toEqual([{ covered_until: at(5, 11, 58) }]);
    const partial = await Promise.all(['country', 'lane', 'retailer', 'day'].map(async (g) => (await metrics(`groupBy=${g}`)).body));
    expect(partial).toEqual(live);
    // Long after: every day of the window settled, and every exception's proactivity decided.
    const settled = new CxRollupService(db, new FixedClock(at(20)));
    await expect(settled.run({ maxDays: 400 })).resolves.toMatchObject({ decided: 2 });
    // Still unsettled on 2031-03-20: traffic from 03-17 on, surveys (their links live 30 days) from 02-17 on: 32 days.
    await expect(settled.run()).resolves.toEqual({ days: 32, decided: 0 });
    await expect(
      db.query(`SELECT proactive, count(*)::int AS n FROM cx_exception_facts p JOIN exceptions e ON e.id = p.exception_id WHERE e.shipment_id = ANY($1::uuid[]) GROUP BY 1 ORDER BY 1`, [s]),
    ).resolves.toEqual([
      { proactive: false, n: 4 },
      { proactive: true, n: 2 },
    ]);
    const rolled = await Promise.all(['country', 'lane', 'retailer', 'day'].map(async (g) => (await metrics(`groupBy=${g}`)).body));
    expect(rolled).toEqual(live);
  }, 60_000);

  it('exports the same data as CSV: totals first, then a row per group, a column per metric', async () => {
    const res = await admin(t.http).get(`/v1/admin/metrics.csv?from=${FROM}&to=${TO}&groupBy=country`);
    expect(res.status).toBe(200);
    expect(res.headers['content-type']).toMatch(/text\/csv/);
    const [header, ...rows] = res.text.trim().split('\r\n').map((line) => line.split(','));
    expect(rows.map((r) => r[0])).toEqual(['total', 'DE', 'FR', 'unknown']);
    const value = (row: string[], column: string) => row[header.indexOf(column)];
    expect(value(rows[0], 'exceptions.firstContactResolution.rate')).toBe('0.5');
    expect(value(rows[1], 'exceptions.timeToResolve.p90Hours')).toBe('98.4');
    expect(value(rows[2], 'surveys.csatAverage')).toBe('4');
    expect(value(rows[3], 'wismo.per1000Shipments')).toBe('');
    expect(header).toEqual(expect.arrayContaining(['exceptions.byType.customs_hold.opened', 'messages.sms.deliveryRate', 'surveys.cesDistribution.7']));
    for (const row of rows) expect(row).toHaveLength(header.length);
  });

  it('answers bad windows and groupings with field-level 400s, and is readable by agents but not retailers', async () => {
    await expect(admin(t.http).get(`/v1/admin/metrics?from=${TO}&to=${FROM}`)).resolves.toMatchObject({ status: 400, body: { error: { details: [{ field: 'from' }] } } });
    await expect(admin(t.http).get('/v1/admin/metrics?groupBy=week')).resolves.toMatchObject({ status: 400, body: { error: { details: [{ field: 'groupBy' }] } } });
    await expect(admin(t.http).get('/v1/admin/metrics?from=yesterday')).resolves.toMatchObject({ status: 400, body: { error: { details: [{ field: 'from' }] } } });
    await expect(admin(t.http).get('/v1/admin/metrics.csv?from=2020-01-01&to=2031-01-01')).resolves.toMatchObject({ status: 400 });
    const user = await admin(t.http).post('/v1/admin/users', { email: `metrics-agent-${Date.now()}@passage.test`, name: 'Agent', role: 'agent' });
    await expect(request(t.http).get(`/v1/admin/metrics?from=${FROM}&to=${TO}`).set('Authorization', `Bearer ${user.body.token.key}`)).resolves.toMatchObject({ status: 200 });
    await expect(as(t.http, retailer.key).get('/v1/admin/metrics')).resolves.toMatchObject({ status: 403 });
  });
});
