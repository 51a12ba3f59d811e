import { plainToInstance } from 'class-transformer';
import { validateSync } from 'class-validator';
import { prng } from '../../../../test/utils/prng';
import { createValidationPipe, findNulCharacters } from '../../../common/http/validation';
import { TrackingEventBatchDto, TrackingEventItemDto } from './tracking-event.dto';
import { acceptBatch, acceptItem, scanItem } from './tracking-event.fast-path';

/** The decorators' verdict on an item, as IngestionService ran them before the fast path. */
function decorators(raw: unknown) {
  const item = plainToInstance(TrackingEventItemDto, structuredClone(raw));
  const errors = validateSync(item, { whitelist: true, forbidNonWhitelisted: true, stopAtFirstError: true, validationError: { target: false, value: false } });
  return { item, errors };
}

const data = (value: unknown) => JSON.parse(JSON.stringify(value));

const VALID = {
  trackingNumber: 'PSG7K2M9Q4X8B1R5T',
  eventId: 'scan-000123',
  code: 'CUSTOMS_HELD',
  reason: 'DUTIES_DUE',
  occurredAt: '2026-11-24T09:15:00+01:00',
  location: { country: 'DE', city: 'Leipzig', facility: 'LEJ hub' },
  description: 'Held for duties payment',
  raw: { carrierStatus: 'H-12', scans: [1, 2] },
};

/** Values each field may take in a generated item: valid ones, boundary ones and wrong ones. */
const CHOICES: Record<string, unknown[]> = {
  trackingNumber: ['PSG7K2M9Q4X8B1R5T', '', ' ', 'x'.repeat(40), 'x'.repeat(41), '\u{1F600}'.repeat(20), '\u{1F600}'.repeat(21), 7, null, ['a'], {}],
  eventId: ['e-1', '', 'y'.repeat(200), 'y'.repeat(201), 0, true, null, { id: 1 }],
  code: ['HUB_SCAN', 'emi', 'TELEPORTED', '', 'z'.repeat(41), 12, null],
  reason: ['NO_ONE_HOME', '', 'r'.repeat(40), 'r'.repeat(41), null, 5, ['x']],
  occurredAt: ['2026-11-24T09:15:00Z', '2026-11-24T09:15+0100', '2026-11-24T09:15:00.123456789-05:00', '2026-11-24 09:15:00Z', '2026-11-24', '', 1764000000000, null],
  location: [
    { country: 'DE' },
    { country: ' de ' },
    { country: 'gb', city: 'London' },
    { country: 'XX' },
    { country: 'DEU' },
    { country: 7 },
    { city: 'Berlin' },
    { country: 'DE', city: 'c'.repeat(100), facility: 'f'.repeat(101) },
    { country: 'DE', city: null, facility: 3 },
    { country: 'DE', street: 'Hauptstraße 1' },
    [{ country: 'DE' }],
    'DE',
    null,
  ],
  description: ['Left with neighbour', '', 'd'.repeat(500), 'd'.repeat(501), null, 1],
  raw: [{ a: 1 }, {}, { nested: { deep: [1, { x: null }] } }, [], 'raw', 3, null],
};
const OPTIONAL = new Set(['reason', 'description', 'raw']);

function generate(random: () => number): Record<string, unknown> {
  const item: Record<string, unknown> = {};
  for (const [field, choices] of Object.entries(CHOICES)) {
    const roll = random();
    if (roll < 0.08) continue; // missing
    item[field] = roll < 0.55 ? structuredClone(VALID[field as keyof typeof VALID]) : structuredClone(choices[Math.floor(random() * choices.length)]);
    if (OPTIONAL.has(field) && random() < 0.2) delete item[field];
  }
  if (random() < 0.08) item.carrier = 'extra';
  return item;
}

describe('the fast path of tracking-event validation', () => {
  it('accepts only what the decorators accept, and builds the item they build, over 5 000 generated items', () => {
    const random = prng(20261124);
    let accepted = 0;
    let decoratorsAccepted = 0;
    for (let i = 0; i < 5000; i++) {
      const raw = generate(random);
      const fast = acceptItem(structuredClone(raw));
      const slow = decorators(raw);
      if (slow.errors.length === 0) decoratorsAccepted++;
      if (fast === undefined) continue;
      accepted++;
      expect({ raw, errors: slow.errors }).toEqual({ raw, errors: [] });
      expect(data(fast)).toEqual(data(slow.item));
    }
    // The fast path must actually take most of what is valid (else it buys nothing).
    expect(accepted).toBeGreaterThan(0.8 * decoratorsAccepted);
  });

  it('accepts a typical scan without its optional fields, trimming and upper-casing the country', () => {
    const raw = { trackingNumber: VALID.trackingNumber, eventId: 'e-1', code: 'HUB_SCAN', occurredAt: '2026-11-24T09:15:00Z', location: { country: ' de ' } };
    expect(acceptItem(raw)).toEqual({ ...raw, location: { country: 'DE' } });
    expect(data(decorators(raw).item)).toEqual({ ...raw, location: { country: 'DE' } });
  });

  it('leaves an item with a prototype key, an unknown field or an unknown location field to the decorators', () => {
    expect(acceptItem(JSON.parse(`{"__proto__": {"x": 1}, ${JSON.stringify(VALID).slice(1)}`))).toBeUndefined();
    expect(acceptItem({ ...VALID, carrier: 'x' })).toBeUndefined();
    expect(acceptItem({ ...VALID, location: { country: 'DE', street: 'x' } })).toBeUndefined();
  });

  it('finds a NUL character exactly where findNulCharacters does, and the keys the ValidationPipe strips', () => {
    const random = prng(7);
    const strings = ['a', 'b\u0000', '', '\u0000'];
    for (let i = 0; i < 500; i++) {
      const pick = () => strings[Math.floor(random() * strings.length)];
      const value = { [pick() || 'k']: pick(), list: [pick(), { [pick() || 'q']: [pick()] }], nested: { deep: pick() } };
      expect(scanItem(value).nul).toBe(findNulCharacters(value).length > 0);
    }
    expect(scanItem(JSON.parse('{"raw": {"a": [{"__proto__": 1}]}}')).unsafeKey).toBe(true);
    expect(scanItem({ raw: { constructor: 'x' } }).unsafeKey).toBe(true);
    expect(scanItem(VALID)).toEqual({ nul: false, unsafeKey: false });
  });

  it('accepts only batches the ValidationPipe accepts, with the same events', async () => {
    const pipe = createValidationPipe();
    const bodies: unknown[] = [
      { events: [VALID] },
      { events: [VALID, { anything: 1 }] },
      { events: Array.from({ length: 1000 }, () => ({})) },
      { events: Array.from({ length: 1001 }, () => ({})) },
      { events: [] },
      { events: [1, 'two'] },
      { events: [[]] },
      { events: [null] },
      { events: { a: 1 } },
      { events: [VALID], carrier: 'x' },
      {},
      null,
      [],
      'events',
    ];
    for (const body of bodies) {
      const fast = acceptBatch(structuredClone(body));
      const slow = pipe.transform(structuredClone(body), { type: 'body', metatype: TrackingEventBatchDto }).then(
        (batch: TrackingEventBatchDto) => ({ events: data(batch.events) }),
        () => 'rejected',
      );
      if (fast === undefined) await expect(slow).resolves.toBeDefined();
      else await expect(slow).resolves.toEqual({ events: data(fast) });
    }
    expect(acceptBatch({ events: [VALID] })).toEqual([VALID]);
  });
});
