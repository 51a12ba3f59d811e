import { JourneyStatus, OUTBOUND_OPEN_STATUSES } from '../../shipments/journey';

/**
 * The estimated delivery date, as pure functions: a range of local days (the destination's zone) from the
 * P50 to the P90 of a lane's door-to-door transit, adjusted for where the parcel is now, and never in the past.
 */

/** Door-to-door transit on a lane, in days: configured in the rule set, or observed on recent deliveries. */
export interface TransitDays {
  p50: number;
  p90: number;
  basis: 'configured' | 'observed';
  /** Deliveries the observed figures come from (0 when configured). */
  samples: number;
}

export interface EddInput {
  status: JourneyStatus;
  createdAt: Date;
  /** The first scan (collection), when there has been one: transit is door to door. Booking time stands in before it. */
  firstScanAt: Date | null;
  statusChangedAt: Date;
  transit: TransitDays;
  /** How long a customs hold usually lasts on the lane. */
  customsHoldHours: number;
  timeZone: string;
  now: Date;
}

export interface Estimate {
  /** Start of the first day of the range, in the destination's zone. */
  from: Date;
  /** End of the last day of the range (23:59:59.999 local): the estimate is missed once this has passed. */
  to: Date;
  fromDate: string;
  toDate: string;
  basis: TransitDays['basis'];
  samples: number;
}

/** Statuses for which Passage estimates a delivery (a parcel at a pickup point or delivered needs none). */
export const ESTIMATED_STATUSES: ReadonlySet<JourneyStatus> = new Set(OUTBOUND_OPEN_STATUSES.filter((s) => s !== 'available_for_pickup'));

const DAY_MS = 86_400_000;

/**
 * The estimate for a shipment as it stands at `now`, or null when its status needs none.
 *
 * - The base range is first scan (or booking) + P50 … + P90 days.
 * - Out for delivery: the day it went out. A failed attempt: the next day.
 * - A customs hold: not before the day after the usual hold would end, the range kept as wide.
 * - Never in the past: once the P90 day has gone by, the range restarts tomorrow (the day it went out for
 *   delivery may still be today), half as wide as the lane's range and at least two days, so that a parcel
 *   still on its way never looks due "today".
 */
export function estimateDelivery(input: EddInput): Estimate | null {
  if (!ESTIMATED_STATUSES.has(input.status)) return null;
  // Whole local days as day numbers (days since 1970-01-01 on the local calendar): cheap integer arithmetic.
  const zone = input.timeZone;
  const day = (ms: number) => localDayNumber(ms, zone);
  const today = day(input.now.getTime());
  const tomorrow = today + 1;
  const start = (input.firstScanAt ?? input.createdAt).getTime();
  let from = day(start + input.transit.p50 * DAY_MS);
  let to = day(start + Math.max(input.transit.p50, input.transit.p90) * DAY_MS);
  const spread = to - from;

  switch (input.status) {
    case 'out_for_delivery':
      from = to = day(input.statusChangedAt.getTime());
      break;
    case 'delivery_attempted':
      from = to = day(input.statusChangedAt.getTime()) + 1;
      break;
    case 'customs_hold': {
      const released = day(input.statusChangedAt.getTime() + input.customsHoldHours * 3_600_000) + 1;
      if (from < released) {
        from = released;
        to = Math.max(to, released + spread);
      }
      break;
    }
  }

  const sameDay = input.status === 'out_for_delivery';
  const earliest = input.status === 'customs_hold' || input.status === 'delivery_attempted' ? tomorrow : today;
  if (to < earliest) {
    from = sameDay ? today : tomorrow;
    to = sameDay ? today : tomorrow + Math.max(1, Math.ceil(spread / 2));
  } else if (from < earliest) {
    from = earliest;
  }
  return {
    from: new Date(startOfLocalDay(from, zone)),
    to: new Date(startOfLocalDay(to + 1, zone) - 1),
    fromDate: isoOfDayNumber(from),
    toDate: isoOfDayNumber(to),
    basis: input.transit.basis,
    samples: input.transit.samples,
  };
}

// ------------------------------------------------------------------------------------------ local days
// Luxon did the same in ~400 µs per estimate (zone conversions); a sweep estimates thousands of shipments.

const QUARTER_HOUR = 900_000;
const zones = new Map<string, { format: Intl.DateTimeFormat; offsets: Map<number, number> }>();

/**
 * The zone's offset from UTC at instant `ms`, in ms. Offsets change only on quarter-hour boundaries in UTC
 * (every zone's offset is a multiple of 15 minutes and changes at a whole local minute of one), so one
 * Intl lookup per zone and quarter hour serves every instant in it.
 */
function zoneOffset(ms: number, zone: string): number {
  let z = zones.get(zone);
  if (!z) {
    const format = new Intl.DateTimeFormat('en-US', {
      timeZone: zone,
      hourCycle: 'h23',
      year: 'numeric',
      month: 'numeric',
      day: 'numeric',
      hour: 'numeric',
      minute: 'numeric',
    });
    z = { format, offsets: new Map() };
    zones.set(zone, z);
  }
  const bucket = Math.floor(ms / QUARTER_HOUR);
  let offset = z.offsets.get(bucket);
  if (offset === undefined) {
    const at = bucket * QUARTER_HOUR;
    const p: Record<string, number> = {};
    for (const part of z.format.formatToParts(at)) if (part.type !== 'literal') p[part.type] = Number(part.value);
    offset = Date.UTC(p.year, p.month - 1, p.day, p.hour, p.minute) - at;
    if (z.offsets.size > 100_000) z.offsets.clear();
    z.offsets.set(bucket, offset);
  }
  return offset;
}

/** The local calendar day of an instant in `zone`, as days since 1970-01-01. */
export function localDayNumber(ms: number, zone: string): number {
  return Math.floor((ms + zoneOffset(ms, zone)) / DAY_MS);
}

/** The instant local midnight of `dayNumber` begins in `zone` (the offset is found at that instant, so DST is right). */
export function startOfLocalDay(dayNumber: number, zone: string): number {
  const wall = dayNumber * DAY_MS;
  let at = wall - zoneOffset(wall, zone);
  at = wall - zoneOffset(at, zone);
  return at;
}

export function isoOfDayNumber(dayNumber: number): string {
  return new Date(dayNumber * DAY_MS).toISOString().slice(0, 10);
}

/**
 * What a revision means to the consignee:
 * - `initial`: the first estimate (told with the milestone messages that show it);
 * - `unchanged`: the same days, so nothing is written;
 * - `today`: out for delivery today, where it was not before;
 * - `slipped`: the last day moved later by at least one day (`slipDays`);
 * - `revised`: anything else (earlier, narrower): recorded, not messaged.
 */
export type RevisionKind = 'initial' | 'unchanged' | 'today' | 'slipped' | 'revised';

export function classifyRevision(
  previous: { from: Date; to: Date } | null,
  next: Estimate,
  context: { status: JourneyStatus; now: Date; timeZone: string },
): { kind: RevisionKind; slipDays: number } {
  if (!previous) return { kind: 'initial', slipDays: 0 };
  const localDate = (at: Date) => isoOfDayNumber(localDayNumber(at.getTime(), context.timeZone));
  const before = { fromDate: localDate(previous.from), toDate: localDate(previous.to) };
  if (before.fromDate === next.fromDate && before.toDate === next.toDate) return { kind: 'unchanged', slipDays: 0 };
  const today = localDate(context.now);
  const isToday = (r: { fromDate: string; toDate: string }) => r.fromDate === today && r.toDate === today;
  if (context.status === 'out_for_delivery' && isToday(next) && !isToday(before)) return { kind: 'today', slipDays: 0 };
  const slipDays = Math.round((Date.parse(next.toDate) - Date.parse(before.toDate)) / DAY_MS);
  if (slipDays >= 1) return { kind: 'slipped', slipDays };
  return { kind: 'revised', slipDays };
}
