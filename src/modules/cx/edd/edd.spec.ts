import { DateTime } from 'luxon';
import { classifyRevision, EddInput, estimateDelivery, localDayNumber, startOfLocalDay } from './edd';

const BERLIN = 'Europe/Berlin';
// Monday 1 March 2027, 10:00 in Berlin (UTC+1).
const MONDAY = new Date('2027-03-01T09:00:00Z');
const HOUR = 3_600_000;
const DAY = 24 * HOUR;

const input = (overrides: Partial<EddInput> = {}): EddInput => ({
  status: 'in_transit',
  createdAt: MONDAY,
  firstScanAt: MONDAY,
  statusChangedAt: MONDAY,
  transit: { p50: 3, p90: 7, basis: 'configured', samples: 0 },
  customsHoldHours: 36,
  timeZone: BERLIN,
  now: MONDAY,
  ...overrides,
});

const days = (e: ReturnType<typeof estimateDelivery>) => (e ? [e.fromDate, e.toDate] : null);

describe('estimateDelivery', () => {
  it('spans the lane P50 to P90 days from the first scan, as whole local days', () => {
    const e = estimateDelivery(input())!;
    expect([e.fromDate, e.toDate]).toEqual(['2027-03-04', '2027-03-08']);
    // Midnight to the last millisecond of the day in Berlin.
    expect(e.from.toISOString()).toBe('2027-03-03T23:00:00.000Z');
    expect(e.to.toISOString()).toBe('2027-03-08T22:59:59.999Z');
    expect(e.basis).toBe('configured');
  });

  it('counts from booking until the first scan, then from the scan', () => {
    expect(days(estimateDelivery(input({ status: 'booked', firstScanAt: null })))).toEqual(['2027-03-04', '2027-03-08']);
    const collectedWednesday = new Date(MONDAY.getTime() + 2 * DAY);
    expect(days(estimateDelivery(input({ status: 'collected', firstScanAt: collectedWednesday, now: collectedWednesday })))).toEqual(['2027-03-06', '2027-03-10']);
  });

  it('uses the observed transit days it is given', () => {
    const e = estimateDelivery(input({ transit: { p50: 2.2, p90: 4.5, basis: 'observed', samples: 40 } }))!;
    expect([e.fromDate, e.toDate, e.basis, e.samples]).toEqual(['2027-03-03', '2027-03-05', 'observed', 40]);
  });

  it('is the day itself once out for delivery, and the next day after a failed attempt', () => {
    const friday = new Date(MONDAY.getTime() + 4 * DAY);
    expect(days(estimateDelivery(input({ status: 'out_for_delivery', statusChangedAt: friday, now: friday })))).toEqual(['2027-03-05', '2027-03-05']);
    expect(days(estimateDelivery(input({ status: 'delivery_attempted', statusChangedAt: friday, now: friday })))).toEqual(['2027-03-06', '2027-03-06']);
  });

  it('starts no earlier than the day after a customs hold would usually end, keeping the range as wide', () => {
    const held = new Date(MONDAY.getTime() + 2 * DAY); // Wednesday 10:00; + 36 h: Thursday 22:00; the day after: Friday
    expect(days(estimateDelivery(input({ status: 'customs_hold', statusChangedAt: held, now: held, customsHoldHours: 36 })))).toEqual(['2027-03-05', '2027-03-09']);
    // A short hold that ends before the lane's P50 changes nothing.
    expect(days(estimateDelivery(input({ status: 'customs_hold', statusChangedAt: MONDAY, now: MONDAY, customsHoldHours: 12 })))).toEqual(['2027-03-04', '2027-03-08']);
  });

  it('never lies in the past: a missed range restarts tomorrow, half as wide and at least two days', () => {
    const later = new Date(MONDAY.getTime() + 10 * DAY); // Thursday 11 March, P90 (8 March) gone by
    expect(days(estimateDelivery(input({ now: later })))).toEqual(['2027-03-12', '2027-03-14']);
    // Only the start gone by: the range starts today.
    const wednesday = new Date(MONDAY.getTime() + 5 * DAY);
    expect(days(estimateDelivery(input({ now: wednesday })))).toEqual(['2027-03-06', '2027-03-08']);
    // An old out-for-delivery scan without news: today, not a day gone by.
    expect(days(estimateDelivery(input({ status: 'out_for_delivery', statusChangedAt: MONDAY, now: later })))).toEqual(['2027-03-11', '2027-03-11']);
  });

  it('gives no estimate at a pickup point, once delivered, or on the way back', () => {
    for (const status of ['available_for_pickup', 'delivered', 'return_in_transit', 'cancelled', 'lost'] as const) {
      expect(estimateDelivery(input({ status }))).toBeNull();
    }
  });
});

describe('classifyRevision', () => {
  const ctx = { status: 'in_transit' as const, now: MONDAY, timeZone: BERLIN };
  const range = (from: string, to: string) => ({ from: new Date(`${from}T00:00:00+01:00`), to: new Date(`${to}T23:59:59.999+01:00`) });
  const next = (from: string, to: string) => ({ ...range(from, to), fromDate: from, toDate: to, basis: 'configured' as const, samples: 0 });

  it('calls the first estimate initial', () => {
    expect(classifyRevision(null, next('2027-03-04', '2027-03-08'), ctx)).toEqual({ kind: 'initial', slipDays: 0 });
  });

  it('finds nothing to say when the days are the same', () => {
    expect(classifyRevision(range('2027-03-04', '2027-03-08'), next('2027-03-04', '2027-03-08'), ctx).kind).toBe('unchanged');
  });

  it('calls a later last day by one day or more a slip', () => {
    expect(classifyRevision(range('2027-03-04', '2027-03-08'), next('2027-03-05', '2027-03-09'), ctx)).toEqual({ kind: 'slipped', slipDays: 1 });
    expect(classifyRevision(range('2027-03-04', '2027-03-08'), next('2027-03-04', '2027-03-11'), ctx)).toEqual({ kind: 'slipped', slipDays: 3 });
  });

  it('records an earlier or narrower range without calling it a slip', () => {
    expect(classifyRevision(range('2027-03-04', '2027-03-08'), next('2027-03-03', '2027-03-06'), ctx).kind).toBe('revised');
    expect(classifyRevision(range('2027-03-04', '2027-03-08'), next('2027-03-06', '2027-03-08'), ctx).kind).toBe('revised');
  });

  it('calls out for delivery today "today", once', () => {
    const ofd = { ...ctx, status: 'out_for_delivery' as const };
    expect(classifyRevision(range('2027-03-01', '2027-03-03'), next('2027-03-01', '2027-03-01'), ofd).kind).toBe('today');
    // In transit, a one-day range on today is only a revision: the parcel is not known to be out.
    expect(classifyRevision(range('2027-03-01', '2027-03-03'), next('2027-03-01', '2027-03-01'), ctx).kind).toBe('revised');
  });
});

describe('local days', () => {
  it('agrees with luxon on the day of an instant and when that day begins, across DST changes and zones', () => {
    const zones = ['Europe/Berlin', 'America/Sao_Paulo', 'America/New_York', 'Asia/Tokyo', 'Australia/Sydney', 'Pacific/Auckland', 'UTC'];
    // Around the 2027 changes in Europe (28 March, 31 October), the US and the southern hemisphere (April, October).
    const instants = ['2027-03-27T22:30:00Z', '2027-03-28T01:30:00Z', '2027-03-28T23:59:59Z', '2027-10-30T23:30:00Z', '2027-10-31T02:00:00Z', '2027-04-04T13:00:00Z', '2027-11-07T05:30:00Z', '2027-09-26T14:00:00Z', '2027-01-01T00:00:00Z'];
    for (const zone of zones) {
      for (const iso of instants) {
        const at = new Date(iso).getTime();
        const expected = DateTime.fromMillis(at, { zone }).startOf('day');
        const day = localDayNumber(at, zone);
        expect([zone, iso, new Date(day * 86_400_000).toISOString().slice(0, 10)]).toEqual([zone, iso, expected.toISODate()]);
        expect([zone, iso, startOfLocalDay(day, zone)]).toEqual([zone, iso, expected.toMillis()]);
      }
    }
  });
});
