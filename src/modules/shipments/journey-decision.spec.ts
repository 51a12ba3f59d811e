import { EventCode, isForwardOrAllowed, JourneyEventInput, JourneyStatus, replayJourney } from './journey';
import { acceptsReplay, decideShipmentJourney, needsReplay, ShipmentJourneyState } from './journey-decision';
import { prng } from '../../../test/utils/prng';

const T0 = Date.UTC(2026, 10, 24, 8, 0);
const ev = (code: EventCode, minute: number, key = `${code}@${minute}`): JourneyEventInput => ({
  code,
  occurredAt: new Date(T0 + minute * 60_000),
  key,
});
const state = (status: JourneyStatus, lastMinute: number | null): ShipmentJourneyState => ({
  status,
  lastEventOccurredAt: lastMinute === null ? null : new Date(T0 + lastMinute * 60_000),
});

/**
 * Feeds batches to the decision the way JourneyService does with the database: the shipment keeps its
 * status and the latest occurredAt it has seen, and the accumulated history is passed when a replay is needed.
 * Checks on every batch that each step is allowed by the table (a replay correction, by the replay guards)
 * and that transitions chain from the status before the batch to the status after it.
 */
function simulate(batches: JourneyEventInput[][]): { status: JourneyStatus; problems: string[] } {
  let current: ShipmentJourneyState = { status: 'booked', lastEventOccurredAt: null };
  const history: JourneyEventInput[] = [];
  const problems: string[] = [];
  for (const batch of batches) {
    const decision = decideShipmentJourney(current, batch, needsReplay(current, batch) ? history : undefined);
    let from = current.status;
    for (const t of decision.transitions) {
      if (t.from !== from) problems.push(`transition from ${t.from} does not chain from ${from}`);
      const allowed = t.replayed ? acceptsReplay(t.from, t.to) : isForwardOrAllowed(t.from, t.to);
      if (!allowed) problems.push(`transition ${t.from} -> ${t.to} is not allowed`);
      from = t.to;
    }
    if (from !== decision.status) problems.push(`transitions end in ${from} but the status is ${decision.status}`);
    if (decision.events.length !== batch.length) problems.push(`decided ${decision.events.length} of ${batch.length} events`);
    history.push(...batch);
    const newest = Math.max(current.lastEventOccurredAt?.getTime() ?? -Infinity, ...batch.map((e) => e.occurredAt.getTime()));
    current = { status: decision.status, lastEventOccurredAt: new Date(newest) };
  }
  return { status: current.status, problems };
}


/**
 * A realistic journey in occurrence order: collection, network scans, optional export and import
 * customs (with holds resolved by clearance, duties paid), delays and damage reports, failed attempts,
 * pickup points, delivery and a return leg; sometimes still in progress (cut short). Steps are 0–2
 * minutes apart, so events often share an instant. With `releases`, a hold may instead be released by
 * an onward network scan.
 */
function generateJourney(random: () => number, options: { releases?: boolean } = {}): JourneyEventInput[] {
  const chance = (p: number) => random() < p;
  const pick = <T>(items: readonly T[]): T => items[Math.floor(random() * items.length)];
  const codes: EventCode[] = ['COLLECTED'];
  for (let i = Math.floor(random() * 3); i > 0; i--) codes.push(pick(['HUB_SCAN', 'DEPARTED_ORIGIN'] as const));
  if (chance(0.6)) {
    if (chance(0.3)) codes.push('EXPORT_HELD');
    codes.push('EXPORT_CLEARED', 'ARRIVED_DESTINATION', 'CUSTOMS_PRESENTED');
    if (chance(0.5)) {
      codes.push('CUSTOMS_HELD');
      if (chance(0.5)) codes.push('DUTIES_PAID');
      if (options.releases && chance(0.6)) codes.push(pick(['HUB_SCAN', 'ARRIVED_DESTINATION'] as const));
      if (chance(0.3)) codes.push('CUSTOMS_PRESENTED');
    }
    if (chance(0.85)) codes.push('CUSTOMS_CLEARED');
  } else if (chance(0.5)) codes.push('HUB_SCAN');
  if (chance(0.2)) codes.push('DELAYED');
  if (chance(0.7)) codes.push('ARRIVED_DELIVERY_OFFICE');
  codes.push('OUT_FOR_DELIVERY');
  for (let i = Math.floor(random() * 3); i > 0; i--) codes.push('DELIVERY_ATTEMPTED', 'OUT_FOR_DELIVERY');
  if (chance(0.3)) codes.push('DELIVERY_ATTEMPTED', 'AVAILABLE_FOR_PICKUP');
  if (chance(0.1)) codes.push('DAMAGED');
  codes.push('DELIVERED');
  if (chance(0.3)) codes.push(pick(['HUB_SCAN', 'OUT_FOR_DELIVERY'] as const)); // a stale scan after delivery
  if (chance(0.3)) {
    codes.push('RETURN_REQUESTED', 'RETURN_COLLECTED');
    if (chance(0.5)) codes.push('RETURN_IN_TRANSIT');
    if (chance(0.7)) codes.push('RETURN_DELIVERED');
  }
  const length = chance(0.4) ? codes.length : 1 + Math.floor(random() * codes.length);
  let minute = 0;
  return codes.slice(0, length).map((code, i) => {
    minute += Math.floor(random() * 3);
    return ev(code, minute, `k${String(i).padStart(3, '0')}`);
  });
}

function shuffle<T>(random: () => number, items: readonly T[]): T[] {
  const out = [...items];
  for (let i = out.length - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1));
    [out[i], out[j]] = [out[j], out[i]];
  }
  return out;
}

function splitIntoBatches<T>(random: () => number, items: readonly T[]): T[][] {
  const batches: T[][] = [];
  let i = 0;
  while (i < items.length) {
    const size = 1 + Math.floor(random() * Math.min(4, items.length - i));
    batches.push(items.slice(i, i + size));
    i += size;
  }
  return batches;
}

const describeEvents = (events: readonly JourneyEventInput[]) =>
  events.map((e) => `${e.code}@${(e.occurredAt.getTime() - T0) / 60_000}`).join(', ');

describe('decideShipmentJourney', () => {
  describe('events newer than everything seen', () => {
    it('folds them forward from the current status, in occurrence order', () => {
      const decision = decideShipmentJourney(state('booked', null), [ev('COLLECTED', 0), ev('HUB_SCAN', 10), ev('OUT_FOR_DELIVERY', 20)]);
      expect(decision.status).toBe('out_for_delivery');
      expect(decision.transitions.map((t) => [t.from, t.to, t.event.code])).toEqual([
        ['booked', 'collected', 'COLLECTED'],
        ['collected', 'in_transit', 'HUB_SCAN'],
        ['in_transit', 'out_for_delivery', 'OUT_FOR_DELIVERY'],
      ]);
      expect(decision.statusChangedBy?.code).toBe('OUT_FOR_DELIVERY');
      expect(decision.events.map((d) => [d.event.code, d.applied, d.late])).toEqual([
        ['COLLECTED', true, false],
        ['HUB_SCAN', true, false],
        ['OUT_FOR_DELIVERY', true, false],
      ]);
    });

    it('does not need the history', () => {
      const current = state('in_transit', 10);
      expect(needsReplay(current, [ev('OUT_FOR_DELIVERY', 11)])).toBe(false);
      expect(decideShipmentJourney(current, [ev('OUT_FOR_DELIVERY', 11)]).status).toBe('out_for_delivery');
    });

    it('records without a transition an event that does not change the status', () => {
      const decision = decideShipmentJourney(state('in_transit', 10), [ev('DELAYED', 20)]);
      expect(decision.status).toBe('in_transit');
      expect(decision.transitions).toEqual([]);
      expect(decision.statusChangedBy).toBeUndefined();
      expect(decision.events).toEqual([
        expect.objectContaining({ applied: false, late: false, statusBefore: 'in_transit', statusAfter: 'in_transit' }),
      ]);
    });
  });

  describe('late events', () => {
    it('needs a replay for an event at or before the newest one seen, and not before any event was seen', () => {
      expect(needsReplay(state('in_transit', 10), [ev('HUB_SCAN', 10)])).toBe(true);
      expect(needsReplay(state('in_transit', 10), [ev('HUB_SCAN', 11), ev('COLLECTED', 5)])).toBe(true);
      expect(needsReplay(state('booked', null), [ev('HUB_SCAN', -100)])).toBe(false);
    });

    it('refuses to decide a late event without the history', () => {
      expect(() => decideShipmentJourney(state('in_transit', 10), [ev('COLLECTED', 5)])).toThrow(/history is required/);
    });

    it('marks an event that occurred before one already seen as late and records it without moving back', () => {
      const history = [ev('COLLECTED', 0), ev('HUB_SCAN', 10), ev('DELIVERED', 20)];
      const decision = decideShipmentJourney(state('delivered', 20), [ev('OUT_FOR_DELIVERY', 15)], history);
      expect(decision.status).toBe('delivered');
      expect(decision.transitions).toEqual([]);
      expect(decision.events).toEqual([
        expect.objectContaining({ applied: false, late: true, statusBefore: 'delivered', statusAfter: 'delivered' }),
      ]);
    });

    it('does not mark an event at the same instant as the newest one seen as late', () => {
      const history = [ev('COLLECTED', 0), ev('HUB_SCAN', 10)];
      const decision = decideShipmentJourney(state('in_transit', 10), [ev('CUSTOMS_PRESENTED', 10)], history);
      expect(decision.status).toBe('at_customs');
      expect(decision.events[0]).toMatchObject({ applied: true, late: false });
    });

    it('replays the history when a late event changes what the past means, and names it as the cause', () => {
      // Cleared at 10 but only heard of after the hub scan at 20: the parcel is cleared, not merely in transit.
      const history = [ev('COLLECTED', 0), ev('HUB_SCAN', 20)];
      const late = ev('CUSTOMS_CLEARED', 10);
      const decision = decideShipmentJourney(state('in_transit', 20), [late], history);
      expect(decision.status).toBe('cleared');
      expect(decision.transitions).toEqual([{ from: 'in_transit', to: 'cleared', event: late, replayed: true }]);
      expect(decision.statusChangedBy).toBe(late);
      expect(decision.events).toEqual([{ event: late, applied: true, late: true, statusBefore: 'in_transit', statusAfter: 'cleared' }]);
    });

    it('replays late events and then folds the newer ones of the same batch forward', () => {
      const history = [ev('COLLECTED', 0), ev('HUB_SCAN', 20)];
      const decision = decideShipmentJourney(state('in_transit', 20), [ev('OUT_FOR_DELIVERY', 40), ev('CUSTOMS_CLEARED', 10)], history);
      expect(decision.status).toBe('out_for_delivery');
      expect(decision.transitions.map((t) => [t.from, t.to])).toEqual([
        ['in_transit', 'cleared'],
        ['cleared', 'out_for_delivery'],
      ]);
      expect(decision.events.map((d) => [d.event.code, d.late, d.applied])).toEqual([
        ['CUSTOMS_CLEARED', true, true],
        ['OUT_FOR_DELIVERY', false, true],
      ]);
    });
  });

  describe('monotonicity', () => {
    it('never moves a delivered shipment back to in_transit, whatever late scans arrive', () => {
      const history = [ev('COLLECTED', 0), ev('HUB_SCAN', 10), ev('OUT_FOR_DELIVERY', 20), ev('DELIVERED', 30)];
      for (const code of ['HUB_SCAN', 'DEPARTED_ORIGIN', 'ARRIVED_DESTINATION', 'OUT_FOR_DELIVERY', 'DELIVERY_ATTEMPTED'] as const) {
        for (const minute of [5, 25, 30]) {
          const decision = decideShipmentJourney(state('delivered', 30), [ev(code, minute)], history);
          expect(decision.status).toBe('delivered');
          expect(decision.transitions).toEqual([]);
        }
      }
    });

    it('keeps a cancelled shipment cancelled when a collection scan from before the cancellation arrives late', () => {
      // Replaying the set in occurrence order would say `collected` (the cancellation came too late), but a
      // terminal status is never left: the late scan is only recorded.
      const history = [ev('CANCELLED', 10)];
      const late = ev('COLLECTED', 5);
      const decision = decideShipmentJourney(state('cancelled', 10), [late], history);
      expect(decision.status).toBe('cancelled');
      expect(decision.events).toEqual([{ event: late, applied: false, late: true, statusBefore: 'cancelled', statusAfter: 'cancelled' }]);
      expect(replayJourney([...history, late]).status).toBe('collected');
    });

    it('keeps a lost shipment lost when a delivery scan from before the loss declaration arrives late', () => {
      const history = [ev('COLLECTED', 0), ev('LOST', 30)];
      const decision = decideShipmentJourney(state('lost', 30), [ev('DELIVERED', 20)], history);
      expect(decision.status).toBe('lost');
      expect(decision.transitions).toEqual([]);
    });
  });

  describe('arrival order', () => {
    const SEED = 20261124;
    const JOURNEYS = 1000;
    const ORDERS = 12;

    function checkOrders(seed: number, options: { releases?: boolean }, compareWithReplay: boolean): string[] {
      const random = prng(seed);
      const failures: string[] = [];
      for (let j = 0; j < JOURNEYS && failures.length < 5; j++) {
        const events = generateJourney(random, options);
        const expected = replayJourney(events).status;
        for (let o = 0; o < ORDERS; o++) {
          const batches = splitIntoBatches(random, shuffle(random, events));
          const { status, problems } = simulate(batches);
          if (problems.length > 0 || (compareWithReplay && status !== expected)) {
            failures.push(
              `seed ${seed} journey ${j}: [${describeEvents(events)}] arriving as ${batches.map((b) => `[${describeEvents(b)}]`).join(' ')} ` +
                `ended in ${status}, replay says ${expected}${problems.length ? `; ${problems.join('; ')}` : ''}`,
            );
            break;
          }
        }
      }
      return failures;
    }

    it('ends in the replayed status whatever order and batches realistic journeys arrive in', () => {
      expect(checkOrders(SEED, {}, true)).toEqual([]);
    });

    it('ends in the replayed status and keeps transitions chained, even when holds are released by onward scans', () => {
      expect(checkOrders(SEED + 1, { releases: true }, true)).toEqual([]);
    });

    it('ends in the same status for every order of events that all share one instant', () => {
      const events = [ev('COLLECTED', 0, 'a'), ev('HUB_SCAN', 0, 'b'), ev('CUSTOMS_PRESENTED', 0, 'c'), ev('OUT_FOR_DELIVERY', 0, 'd')];
      const random = prng(SEED + 2);
      for (let o = 0; o < 50; o++) {
        expect(simulate(splitIntoBatches(random, shuffle(random, events))).status).toBe('out_for_delivery');
      }
    });

    // Minimal cases where a late onward scan changes what a customs hold led to: the replay wins.
    it('ends in the replayed status when the onward scan that released a hold arrives after a later customs scan', () => {
      const events = [ev('CUSTOMS_HELD', 1), ev('HUB_SCAN', 2), ev('CUSTOMS_PRESENTED', 3)];
      expect(replayJourney(events).status).toBe('at_customs');
      expect(simulate([[events[0], events[2]], [events[1]]]).status).toBe('at_customs');
    });

    it('ends in the replayed status when the onward scan that released a hold arrives after the delivery office scan', () => {
      const events = [ev('CUSTOMS_HELD', 1), ev('HUB_SCAN', 2), ev('ARRIVED_DELIVERY_OFFICE', 3)];
      expect(replayJourney(events).status).toBe('in_transit');
      expect(simulate([[events[0], events[2]], [events[1]]]).status).toBe('in_transit');
    });

    it('ends in the replayed status when a hold arrives after the onward scan that released it', () => {
      const events = [ev('CUSTOMS_PRESENTED', 1), ev('CUSTOMS_HELD', 2), ev('HUB_SCAN', 3)];
      expect(replayJourney(events).status).toBe('in_transit');
      expect(simulate([[events[0]], [events[2]], [events[1]]]).status).toBe('in_transit');
    });
  });
});
