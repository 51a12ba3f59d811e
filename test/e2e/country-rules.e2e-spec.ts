import { as, bookingBody, createRetailer, TestRetailer } from '../factories';
import { admin, createTestApp, TestApp } from '../utils/test-app';

const VALID_CPF = '529.982.247-25';

const brazil = (consignee: Record<string, unknown> = {}) => ({
  name: 'João Silva',
  email: 'joao@example.com',
  phone: '+5511987654321',
  locale: 'pt-BR',
  address: { lines: ['Avenida Paulista, 1000'], city: 'São Paulo', postcode: '01310-100', country: 'BR' },
  ...consignee,
});

const toBrazil = (consignee: Record<string, unknown> = {}) =>
  bookingBody({
    consignee: brazil(consignee),
    items: [{ description: 'Running shoes', hsCode: '640411', quantity: 1, unitValue: 4500, currency: 'USD', originCountry: 'VN', weightGrams: 900 }],
  });

const toAustralia = (item: Record<string, unknown>) =>
  bookingBody({
    consignee: {
      name: 'Olivia Smith',
      email: 'olivia@example.com',
      address: { lines: ['1 George Street'], city: 'Sydney', postcode: '2000', country: 'AU' },
    },
    notify: { email: true, sms: false },
    items: [{ quantity: 1, unitValue: 2500, currency: 'AUD', originCountry: 'CN', weightGrams: 120, ...item }],
  });

/** A New Zealand consignee with NZD goods, so that no exchange rate is involved. */
const nzCheck = (at: string) => ({
  incoterm: 'DAP',
  origin: { country: 'AU' },
  consignee: { address: { lines: ['1 Queen Street'], city: 'Auckland', postcode: '1010', country: 'NZ' } },
  items: [{ description: 'Wool jumper', hsCode: '611011', quantity: 1, unitValue: 150_000, currency: 'NZD', originCountry: 'AU', weightGrams: 600 }],
  at,
});

type Issue = { code: string; field?: string; severity: string; ruleSet: string; version: number; rule: string };

describe('country rules at booking, at checkout and in the admin API', () => {
  let t: TestApp;
  let retailer: TestRetailer;
  let other: TestRetailer;

  beforeAll(async () => {
    t = await createTestApp();
    retailer = await createRetailer(t.http);
    other = await createRetailer(t.http);
  });
  afterAll(() => t.close());

  describe('booking', () => {
    it('books a parcel to Brazil without a CPF as needs_information, and a patch with a valid CPF makes it ok', async () => {
      const booked = await as(t.http, retailer.key).post('/v1/shipments', toBrazil());
      expect(booked.status).toBe(201);
      expect(booked.body.compliance.status).toBe('needs_information');
      const missing = booked.body.compliance.verdict.issues.find((i: Issue) => i.code === 'TAX_ID_REQUIRED');
      expect(missing).toMatchObject({ field: 'consignee.taxId', severity: 'needs_information', ruleSet: 'BR' });
      expect(missing.version).toBeGreaterThanOrEqual(1);

      const malformed = await as(t.http, retailer.key).patch(`/v1/shipments/${booked.body.id}/consignee`, { taxId: '123.456.789-00' });
      expect(malformed.status).toBe(200);
      expect(malformed.body.compliance.status).toBe('needs_information');
      expect(malformed.body.compliance.verdict.issues.map((i: Issue) => i.code)).toContain('TAX_ID_INVALID');

      const fixed = await as(t.http, retailer.key).patch(`/v1/shipments/${booked.body.id}/consignee`, { taxId: VALID_CPF });
      expect(fixed.status).toBe(200);
      expect(fixed.body.compliance.status).toBe('ok');
      expect(fixed.body.consignee).toMatchObject({ taxId: VALID_CPF, name: 'João Silva' });
      const reread = await as(t.http, retailer.key).get(`/v1/shipments/${booked.body.id}`);
      expect(reread.body.compliance.status).toBe('ok');
    });

    it('states the verdict of an ordinary parcel: documents, charges with payers, landed cost and sourced steps', async () => {
      const booked = await as(t.http, retailer.key).post('/v1/shipments', bookingBody());
      expect(booked.status).toBe(201);
      const verdict = booked.body.compliance.verdict;
      expect(verdict).toMatchObject({ status: 'ok', destination: 'DE' });
      expect(verdict.documents.map((d: { code: string }) => d.code)).toEqual(expect.arrayContaining(['CN22']));
      expect(verdict.taxes.length).toBeGreaterThan(0);
      for (const charge of [...verdict.duties, ...verdict.taxes]) expect(charge.payer).toBe('consignee');
      expect(verdict.landedCost.currency).toBe('EUR');
      expect(verdict.landedCost.total).toBe(
        verdict.landedCost.goods + verdict.landedCost.shipping + verdict.landedCost.duties + verdict.landedCost.taxes + verdict.landedCost.fees,
      );
      expect(verdict.explanation.length).toBeGreaterThan(0);
      for (const step of verdict.explanation) {
        expect(step).toEqual(expect.objectContaining({ ruleSet: expect.any(String), version: expect.any(Number), text: expect.any(String) }));
      }
    });

    it('refuses an e-cigarette to Australia with 422 and books nothing', async () => {
      const body = toAustralia({ description: 'Disposable vape pen', hsCode: '854340' });
      const res = await as(t.http, retailer.key).post('/v1/shipments', body);
      expect(res.status).toBe(422);
      expect(res.body.error.code).toBe('COMPLIANCE_BLOCKED');
      expect(res.body.error.details).toEqual(expect.arrayContaining([expect.objectContaining({ field: expect.stringMatching(/^items\.0\./) })]));
      const list = await as(t.http, retailer.key).get(`/v1/shipments?reference=${body.reference as string}`);
      expect(list.body.data).toEqual([]);
    });

    it('finds the e-cigarette by its description when no HS code is given', async () => {
      const res = await as(t.http, retailer.key).post('/v1/shipments', toAustralia({ description: 'E-cigarette starter kit' }));
      expect(res.status).toBe(422);
      expect(res.body.error.code).toBe('COMPLIANCE_BLOCKED');
    });

    it('never lets the destination country change through a consignee patch, nor another retailer patch it', async () => {
      const booked = await as(t.http, retailer.key).post('/v1/shipments', toBrazil());
      const moved = await as(t.http, retailer.key).patch(`/v1/shipments/${booked.body.id}/consignee`, {
        address: { lines: ['Invalidenstraße 116'], city: 'Berlin', postcode: '10115', country: 'DE' },
      });
      expect(moved.status).toBe(422);
      expect(moved.body.error.code).toBe('DESTINATION_CHANGE_NOT_ALLOWED');

      const foreign = await as(t.http, other.key).patch(`/v1/shipments/${booked.body.id}/consignee`, { taxId: VALID_CPF });
      expect(foreign.status).toBe(404);
      const unchanged = await as(t.http, retailer.key).get(`/v1/shipments/${booked.body.id}`);
      expect(unchanged.body.consignee.taxId).toBeUndefined();
      expect(unchanged.body.compliance.status).toBe('needs_information');
    });

    it('answers a malformed consignee patch with field details and changes nothing', async () => {
      const booked = await as(t.http, retailer.key).post('/v1/shipments', toBrazil());
      const res = await as(t.http, retailer.key).patch(`/v1/shipments/${booked.body.id}/consignee`, { phone: '12345', shoeSize: 42 });
      expect(res.status).toBe(400);
      expect(res.body.error.details.map((d: { field: string }) => d.field).sort()).toEqual(['phone', 'shoeSize']);
    });
  });

  describe('checkout quote', () => {
    it('answers what a parcel to Brazil needs and costs without booking it', async () => {
      const res = await as(t.http, retailer.key).post('/v1/compliance/check', {
        incoterm: 'DDP',
        origin: { country: 'US' },
        consignee: { address: brazil().address },
        items: [{ description: 'Running shoes', hsCode: '640411', quantity: 1, unitValue: 4500, currency: 'USD', originCountry: 'VN', weightGrams: 900 }],
      });
      expect(res.status).toBe(200);
      expect(res.body.status).toBe('needs_information');
      expect(res.body.destination).toBe('BR');
      for (const charge of [...res.body.duties, ...res.body.taxes]) expect(charge.payer).toBe('shipper');
      expect(res.body.conversions.length).toBeGreaterThan(0);
      expect(res.body.conversions[0].rates[0]).toEqual(expect.objectContaining({ currency: expect.any(String), asOf: expect.any(String) }));
    });

    it('rejects a malformed date with a field error', async () => {
      const res = await as(t.http, retailer.key).post('/v1/compliance/check', nzCheck('next tuesday'));
      expect(res.status).toBe(400);
      expect(res.body.error.details).toEqual([expect.objectContaining({ field: 'at' })]);
    });
  });

  describe('retailer settings and low-value schemes', () => {
    const germanyCheck = {
      incoterm: 'DDP',
      origin: { country: 'GB' },
      consignee: { address: { lines: ['Invalidenstraße 116'], city: 'Berlin', postcode: '10115', country: 'DE' } },
      items: [{ description: 'Cotton T-shirt', hsCode: '610910', quantity: 2, unitValue: 1999, currency: 'EUR', originCountry: 'PT', weightGrams: 250 }],
    };

    it('applies IOSS only while the retailer holds an IOSS number, and audits the change', async () => {
      const seller = await createRetailer(t.http);
      const without = await as(t.http, seller.key).post('/v1/compliance/check', germanyCheck);
      expect(without.body.scheme).toBeNull();

      const set = await as(t.http, seller.key).patch('/v1/retailer/settings', { registrations: { ioss: 'IM 2760000001' } });
      expect(set.status).toBe(200);
      expect(set.body.registrations).toEqual({ ioss: 'IM2760000001' });

      const withIoss = await as(t.http, seller.key).post('/v1/compliance/check', germanyCheck);
      expect(withIoss.body.scheme).toMatchObject({ code: expect.any(String), registrationNumber: 'IM2760000001' });
      expect(withIoss.body.taxes.every((c: { payer: string }) => c.payer === 'collected_at_checkout')).toBe(true);
      expect(withIoss.body.documents.map((d: { code: string }) => d.code)).toContain('IOSS_NUMBER');

      // Settings are the retailer's own: another retailer sees none of them.
      await expect(as(t.http, other.key).get('/v1/retailer/settings')).resolves.toMatchObject({ status: 200, body: { registrations: {} } });

      const removed = await as(t.http, seller.key).patch('/v1/retailer/settings', { registrations: { ioss: null } });
      expect(removed.body.registrations).toEqual({});

      const audit = await admin(t.http).get(`/v1/admin/audit?targetType=retailer&targetId=${seller.id}`);
      // Newest first, after the operator's creation of the retailer and its key.
      expect(audit.body.data.map((e: { action: string }) => e.action)).toEqual(['retailer.settings_updated', 'retailer.settings_updated', 'retailer.api_key_issued', 'retailer.created']);
      expect(audit.body.data[1]).toMatchObject({ actor: `retailer:${seller.id}`, after: { registrations: { ioss: 'IM2760000001' } } });
    });

    it('rejects a malformed registration number with a field error', async () => {
      const res = await as(t.http, retailer.key).patch('/v1/retailer/settings', { registrations: { ioss: 'EU123', ukVat: 'GB12' } });
      expect(res.status).toBe(400);
      expect(res.body.error.details.map((d: { field: string }) => d.field).sort()).toEqual(['registrations.ioss', 'registrations.ukVat']);
    });
  });

  describe('admin rule sets', () => {
    it('lists every seeded country and the EU group with the version in force', async () => {
      const res = await admin(t.http).get('/v1/admin/rule-sets');
      expect(res.status).toBe(200);
      const codes = res.body.map((r: { country: string }) => r.country);
      for (const code of ['EU', 'DE', 'FR', 'GB', 'US', 'BR', 'KR', 'AU', 'JP', 'CN', 'TR', 'ZA']) expect(codes).toContain(code);
      expect(res.body.length).toBeGreaterThanOrEqual(31);
      const de = res.body.find((r: { country: string }) => r.country === 'DE');
      expect(de).toMatchObject({ inherits: 'EU', currentVersion: expect.any(Number) });
    });

    it("shows a member's rules with the EU's inherited and the version each came from", async () => {
      const res = await admin(t.http).get('/v1/admin/rule-sets/DE?on=2026-07-01');
      expect(res.status).toBe(200);
      expect(res.body.current).toMatchObject({ country: 'DE', content: expect.objectContaining({ inherits: 'EU' }) });
      expect(JSON.stringify(res.body.resolved)).toContain('"EU"');
      expect(res.body.history.length).toBeGreaterThanOrEqual(1);
      await expect(admin(t.http).get('/v1/admin/rule-sets/XX')).resolves.toMatchObject({ status: 400 });
    });

    it('changes a verdict only from the effective date of a version written through the API, and audits it', async () => {
      const before = await admin(t.http).get('/v1/admin/rule-sets/NZ?on=2030-12-31');
      const content = structuredClone(before.body.current.content);
      const oldRate = content.customs.vat.ratePercent;
      content.customs.vat = { ...content.customs.vat, ratePercent: oldRate + 5, source: 'test: a new rate', unverified: false };

      const created = await admin(t.http).post('/v1/admin/rule-sets/NZ/versions', {
        effectiveFrom: '2031-01-01',
        content,
        changeNote: 'GST up by five points (test)',
      });
      expect(created.status).toBe(201);
      expect(created.body).toMatchObject({ country: 'NZ', effectiveFrom: '2031-01-01', author: 'admin:bootstrap' });
      expect(created.body.diff).toEqual(
        expect.arrayContaining([{ path: 'customs.vat.ratePercent', before: oldRate, after: oldRate + 5 }]),
      );
      expect(created.body.affected).toMatchObject({ from: '2031-01-01', countries: ['NZ'], bookedSince: 0 });

      const dayBefore = await as(t.http, retailer.key).post('/v1/compliance/check', nzCheck('2030-12-31'));
      const dayOf = await as(t.http, retailer.key).post('/v1/compliance/check', nzCheck('2031-01-01'));
      expect(dayBefore.status).toBe(200);
      expect(dayOf.status).toBe(200);
      const taxOf = (body: { taxes: { amountMinor: number }[] }) => body.taxes.reduce((n, c) => n + c.amountMinor, 0);
      expect(taxOf(dayOf.body)).toBeGreaterThan(taxOf(dayBefore.body));
      expect(dayOf.body.ruleSets).toEqual(expect.arrayContaining([expect.objectContaining({ ruleSet: 'NZ', version: created.body.version })]));
      expect(dayBefore.body.ruleSets).not.toEqual(expect.arrayContaining([expect.objectContaining({ ruleSet: 'NZ', version: created.body.version })]));

      const audit = await admin(t.http).get('/v1/admin/audit?targetType=rule_set&targetId=NZ');
      expect(audit.body.data[0]).toMatchObject({ action: 'rule_set.version_created', actor: 'admin:bootstrap', after: { version: created.body.version } });
    });

    it('rejects unknown fields and wrong types in the content with field-level errors, writing nothing', async () => {
      const versions = (await admin(t.http).get('/v1/admin/rule-sets/CH')).body.history.length;
      const res = await admin(t.http).post('/v1/admin/rule-sets/CH/versions', {
        effectiveFrom: '2032-01-01',
        changeNote: 'bad',
        content: { customs: { vat: { ratePercent: 'eight' }, colour: 'blue' }, messaging: { locales: ['de-CH'], timeZones: ['Mars/Olympus'] } },
      });
      expect(res.status).toBe(400);
      expect(res.body.error.code).toBe('VALIDATION_FAILED');
      const fields = res.body.error.details.map((d: { field: string }) => d.field);
      expect(fields).toEqual(expect.arrayContaining(['content.customs.colour', 'content.customs.vat.ratePercent', 'content.messaging.timeZones']));
      expect((await admin(t.http).get('/v1/admin/rule-sets/CH')).body.history).toHaveLength(versions);
    });

    it('previews a draft beside the rules in force without writing it', async () => {
      const current = await admin(t.http).get('/v1/admin/rule-sets/NZ?on=2026-12-01');
      const content = structuredClone(current.body.current.content);
      content.prohibited = [
        ...(content.prohibited ?? []),
        { code: 'WOOL_TEST', name: 'Wool (test)', outcome: 'blocked', keywords: ['wool'], source: 'test' },
      ];
      const res = await admin(t.http).post('/v1/admin/rule-sets/NZ/preview', { content, shipment: nzCheck('2026-12-01') });
      expect(res.status).toBe(200);
      expect(res.body.current.status).not.toBe('blocked');
      expect(res.body.draft.status).toBe('blocked');
      expect(res.body.diff).toEqual(expect.arrayContaining([expect.objectContaining({ path: 'prohibited[WOOL_TEST]' })]));
      const after = await admin(t.http).get('/v1/admin/rule-sets/NZ');
      expect(after.body.history).toHaveLength(current.body.history.length);
    });

    it('lists the shipments a change applies to from its date, page by page', async () => {
      const seller = await createRetailer(t.http);
      const booked: string[] = [];
      for (let i = 0; i < 3; i++) booked.push((await as(t.http, seller.key).post('/v1/shipments', toBrazil({ taxId: VALID_CPF }))).body.id);
      // Page through, two at a time, until this test's three appear (other suites book to BR too).
      const seen: Array<{ id: string; destination: string; complianceStatus: string }> = [];
      let cursor: string | null = null;
      for (let page = 0; page < 200 && !booked.every((id) => seen.some((s) => s.id === id)); page++) {
        const res = await admin(t.http).get(`/v1/admin/rule-sets/BR/affected-shipments?from=2020-01-01&limit=2${cursor ? `&cursor=${cursor}` : ''}`);
        expect(res.status).toBe(200);
        expect(res.body.data.length).toBeLessThanOrEqual(2);
        seen.push(...res.body.data);
        cursor = res.body.nextCursor;
        if (!cursor) break;
      }
      expect(new Set(seen.map((s) => s.id)).size).toBe(seen.length); // no shipment on two pages
      const positions = booked.map((id) => seen.findIndex((s) => s.id === id));
      expect(positions.every((p) => p >= 0)).toBe(true);
      expect([...positions].sort((a, b) => b - a)).toEqual(positions); // newest first
      expect(seen.find((s) => s.id === booked[0])).toMatchObject({ destination: 'BR', complianceStatus: 'ok' });
      const future = await admin(t.http).get('/v1/admin/rule-sets/BR/affected-shipments?from=2099-01-01');
      expect(future.body).toMatchObject({ data: [], nextCursor: null });
      await expect(admin(t.http).get('/v1/admin/rule-sets/BR/affected-shipments?from=soon')).resolves.toMatchObject({ status: 400 });
    });

    it('is for operators only', async () => {
      await expect(as(t.http, retailer.key).get('/v1/admin/rule-sets')).resolves.toMatchObject({ status: 403 });
      await expect(as(t.http, retailer.key).post('/v1/admin/rule-sets/NZ/versions', {})).resolves.toMatchObject({ status: 403 });
      await expect(as(t.http, retailer.key).get('/v1/admin/audit')).resolves.toMatchObject({ status: 403 });
    });
  });
});
