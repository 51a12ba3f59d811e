import {
  canonicalEventCode,
  EVENT_CODES,
  EVENT_DEFINITIONS,
  EventCode,
  isForwardOrAllowed,
  JOURNEY_STATUSES,
  JourneyEventInput,
  JourneyStatus,
  nextStatus,
  replayJourney,
  StepOutcome,
  TERMINAL_STATUSES,
  UPU_TO_CANONICAL,
} from './journey';

/*
 * The expected outcome of every (status, event) pair, written by hand from
 * shared/reference/tracking-codes.md and deliberately not derived from journey.ts.
 *
 * A cell is either the status the event moves the shipment to, or why it does not move:
 *   =  same_status       the event leads to the status the shipment is already in
 *   <  lower_rank        the event would lower the rank and is not one of the allowed lower moves
 *   .  no_status_change  the event never changes the status (DUTIES_PAID, DELAYED, DAMAGED)
 *   x  not_allowed       CANCELLED after booked; LOST while the parcel is not in a carrier's hands
 *   T  terminal          nothing moves a cancelled, lost or returned shipment
 *
 * Two product decisions the spec table leaves open are pinned here: LOST is accepted only while a
 * carrier holds the parcel (collected … available_for_pickup, return_in_transit), and `returned`, the
 * last status of the return leg, is terminal like `cancelled` and `lost`.
 */
const COLUMNS: readonly EventCode[] = [
  'COLLECTED',
  'HUB_SCAN',
  'DEPARTED_ORIGIN',
  'EXPORT_CLEARED',
  'EXPORT_HELD',
  'ARRIVED_DESTINATION',
  'CUSTOMS_PRESENTED',
  'CUSTOMS_HELD',
  'DUTIES_PAID',
  'CUSTOMS_CLEARED',
  'ARRIVED_DELIVERY_OFFICE',
  'OUT_FOR_DELIVERY',
  'DELIVERY_ATTEMPTED',
  'AVAILABLE_FOR_PICKUP',
  'DELIVERED',
  'DELAYED',
  'DAMAGED',
  'LOST',
  'RETURN_REQUESTED',
  'RETURN_COLLECTED',
  'RETURN_IN_TRANSIT',
  'RETURN_DELIVERED',
  'CANCELLED',
];

const S: Record<string, JourneyStatus> = {
  col: 'collected',
  it: 'in_transit',
  cus: 'at_customs',
  hold: 'customs_hold',
  clr: 'cleared',
  ofd: 'out_for_delivery',
  att: 'delivery_attempted',
  pick: 'available_for_pickup',
  dlv: 'delivered',
  rreq: 'return_requested',
  rit: 'return_in_transit',
  ret: 'returned',
  can: 'cancelled',
  lost: 'lost',
};
const WHY: Record<string, Extract<StepOutcome, { kind: 'record' }>['why']> = {
  '=': 'same_status',
  '<': 'lower_rank',
  '.': 'no_status_change',
  x: 'not_allowed',
  T: 'terminal',
};

// prettier-ignore
const MATRIX: Record<JourneyStatus, string> = {
  //                     COLL HUB  DEP  EXC  EXH  ARRD CPRS CHLD DUTY CCLR ADO  OFD  ATT  PICK DLV  DLAY DMG  LOST RREQ RCOL RIT  RDLV CANC
  booked:               'col  it   it   it   it   it   cus  hold .    clr  it   ofd  att  pick dlv  .    .    x    rreq rit  rit  ret  can',
  collected:            '=    it   it   it   it   it   cus  hold .    clr  it   ofd  att  pick dlv  .    .    lost rreq rit  rit  ret  x',
  in_transit:           '<    =    =    =    =    =    cus  hold .    clr  =    ofd  att  pick dlv  .    .    lost rreq rit  rit  ret  x',
  at_customs:           '<    <    <    <    <    <    =    hold .    clr  clr  ofd  att  pick dlv  .    .    lost rreq rit  rit  ret  x',
  customs_hold:         '<    it   it   it   it   it   <    =    .    clr  clr  ofd  att  pick dlv  .    .    lost rreq rit  rit  ret  x',
  cleared:              '<    <    <    <    <    <    <    <    .    =    =    ofd  att  pick dlv  .    .    lost rreq rit  rit  ret  x',
  out_for_delivery:     '<    <    <    <    <    <    <    <    .    <    <    =    att  pick dlv  .    .    lost rreq rit  rit  ret  x',
  delivery_attempted:   '<    <    <    <    <    <    <    <    .    <    <    ofd  =    pick dlv  .    .    lost rreq rit  rit  ret  x',
  available_for_pickup: '<    <    <    <    <    <    <    <    .    <    <    <    <    =    dlv  .    .    lost rreq rit  rit  ret  x',
  delivered:            '<    <    <    <    <    <    <    <    .    <    <    <    <    <    =    .    .    x    rreq rit  rit  ret  x',
  return_requested:     '<    <    <    <    <    <    <    <    .    <    <    <    <    <    <    .    .    x    =    rit  rit  ret  x',
  return_in_transit:    '<    <    <    <    <    <    <    <    .    <    <    <    <    <    <    .    .    lost <    =    =    ret  x',
  returned:             'T    T    T    T    T    T    T    T    T    T    T    T    T    T    T    T    T    T    T    T    T    T    T',
  cancelled:            'T    T    T    T    T    T    T    T    T    T    T    T    T    T    T    T    T    T    T    T    T    T    T',
  lost:                 'T    T    T    T    T    T    T    T    T    T    T    T    T    T    T    T    T    T    T    T    T    T    T',
};

function expectedOutcome(status: JourneyStatus, code: EventCode): StepOutcome {
  const cell = MATRIX[status].trim().split(/\s+/)[COLUMNS.indexOf(code)];
  if (cell in WHY) return { kind: 'record', why: WHY[cell] };
  if (cell in S) return { kind: 'move', to: S[cell] };
  throw new Error(`bad matrix cell ${cell} for ${status} × ${code}`);
}

const ev = (code: EventCode, minute: number, key = `${code}-${minute}`): JourneyEventInput => ({
  code,
  occurredAt: new Date(Date.UTC(2026, 10, 24, 8, minute)),
  key,
});

describe('journey state machine', () => {
  describe('the whole transition table', () => {
    it('has one matrix row per status and one column per event code, with nothing left out', () => {
      expect(Object.keys(MATRIX).sort()).toEqual([...JOURNEY_STATUSES].sort());
      expect([...COLUMNS].sort()).toEqual([...EVENT_CODES].sort());
      for (const status of JOURNEY_STATUSES) expect(MATRIX[status].trim().split(/\s+/)).toHaveLength(COLUMNS.length);
    });

    const cases = JOURNEY_STATUSES.flatMap((status) => EVENT_CODES.map((code) => [status, code] as const));
    it.each(cases)('decides %s + %s exactly as the spec table says', (status, code) => {
      expect(nextStatus(status, code)).toEqual(expectedOutcome(status, code));
    });
  });

  describe('UPU EMSEVT codes', () => {
    // Copied from the right-hand column of tracking-codes.md.
    const UPU: Record<string, EventCode> = {
      EMA: 'COLLECTED',
      EMB: 'HUB_SCAN',
      EDD: 'HUB_SCAN',
      EDE: 'HUB_SCAN',
      EMJ: 'HUB_SCAN',
      EMK: 'HUB_SCAN',
      EMC: 'DEPARTED_ORIGIN',
      EXC: 'EXPORT_CLEARED',
      EXB: 'EXPORT_HELD',
      EXD: 'EXPORT_HELD',
      EMD: 'ARRIVED_DESTINATION',
      EDB: 'CUSTOMS_PRESENTED',
      EME: 'CUSTOMS_HELD',
      EDA: 'CUSTOMS_HELD',
      EDC: 'CUSTOMS_CLEARED',
      EMF: 'CUSTOMS_CLEARED',
      EMG: 'ARRIVED_DELIVERY_OFFICE',
      EDG: 'OUT_FOR_DELIVERY',
      EMH: 'DELIVERY_ATTEMPTED',
      EDH: 'AVAILABLE_FOR_PICKUP',
      EMI: 'DELIVERED',
      EDF: 'DELAYED',
      EXX: 'CANCELLED',
    };

    it.each(Object.entries(UPU))('maps UPU %s to %s', (upu, canonical) => {
      expect(canonicalEventCode(upu)).toBe(canonical);
    });

    it('knows exactly the UPU codes in the spec table, no more', () => {
      expect(new Map([...UPU_TO_CANONICAL].sort())).toEqual(new Map(Object.entries(UPU).sort()));
    });

    it('accepts lower-case and padded codes, canonical or UPU', () => {
      expect(canonicalEventCode('emi')).toBe('DELIVERED');
      expect(canonicalEventCode('  Eme ')).toBe('CUSTOMS_HELD');
      expect(canonicalEventCode('hub_scan')).toBe('HUB_SCAN');
      expect(canonicalEventCode(' Delivered\t')).toBe('DELIVERED');
    });

    it('maps every canonical code to itself', () => {
      for (const code of EVENT_CODES) expect(canonicalEventCode(code)).toBe(code);
    });

    it.each(['', 'EMZ', 'XYZ', 'DELIVER', 'HUB SCAN', 'EM', 'shipment.delivered'])('rejects the unknown code %j', (code) => {
      expect(canonicalEventCode(code)).toBeUndefined();
    });
  });

  describe('reasons', () => {
    it('accepts exactly the reasons listed in the spec table', () => {
      const withReasons = Object.fromEntries(
        EVENT_CODES.filter((c) => EVENT_DEFINITIONS[c].reasons.length > 0).map((c) => [c, [...EVENT_DEFINITIONS[c].reasons].sort()]),
      );
      expect(withReasons).toEqual({
        EXPORT_HELD: ['DOCUMENTS_REQUIRED', 'INSPECTION', 'PROHIBITED'],
        CUSTOMS_HELD: ['DOCUMENTS_REQUIRED', 'DUTIES_DUE', 'INSPECTION', 'PROHIBITED'],
        DELIVERY_ATTEMPTED: ['ACCESS', 'ADDRESS_ISSUE', 'NO_ONE_HOME', 'OTHER', 'REFUSED'],
        DELAYED: ['CAPACITY', 'OTHER', 'STRIKE', 'TRANSPORT', 'WEATHER'],
      });
    });
  });

  describe('terminal statuses', () => {
    it('treats cancelled, lost and returned as terminal', () => {
      expect([...TERMINAL_STATUSES].sort()).toEqual(['cancelled', 'lost', 'returned']);
    });

    it.each(['cancelled', 'lost', 'returned'] as const)('never moves a %s shipment, whatever the event', (status) => {
      for (const code of EVENT_CODES) expect(nextStatus(status, code)).toEqual({ kind: 'record', why: 'terminal' });
    });

    it('never lets a terminal status move anywhere, even along an allowed lower move', () => {
      for (const from of TERMINAL_STATUSES) for (const to of JOURNEY_STATUSES) expect(isForwardOrAllowed(from, to)).toBe(false);
    });
  });

  describe('lower moves', () => {
    it('lets a failed attempt go out for delivery again, and back', () => {
      expect(nextStatus('delivery_attempted', 'OUT_FOR_DELIVERY')).toEqual({ kind: 'move', to: 'out_for_delivery' });
      expect(nextStatus('out_for_delivery', 'DELIVERY_ATTEMPTED')).toEqual({ kind: 'move', to: 'delivery_attempted' });
    });

    it('releases a customs hold back to in_transit when the carrier scans it onward', () => {
      expect(nextStatus('customs_hold', 'HUB_SCAN')).toEqual({ kind: 'move', to: 'in_transit' });
      expect(nextStatus('customs_hold', 'CUSTOMS_CLEARED')).toEqual({ kind: 'move', to: 'cleared' });
    });

    it('lets a parcel waiting at a pickup point be delivered', () => {
      expect(nextStatus('available_for_pickup', 'DELIVERED')).toEqual({ kind: 'move', to: 'delivered' });
    });

    it('never moves a delivered shipment back to in_transit', () => {
      expect(nextStatus('delivered', 'HUB_SCAN')).toEqual({ kind: 'record', why: 'lower_rank' });
      expect(isForwardOrAllowed('delivered', 'in_transit')).toBe(false);
    });

    it('does not send a parcel at a pickup point back out for delivery', () => {
      expect(nextStatus('available_for_pickup', 'OUT_FOR_DELIVERY')).toEqual({ kind: 'record', why: 'lower_rank' });
    });

    it('does not move at_customs back to in_transit: only a hold can be released', () => {
      expect(nextStatus('at_customs', 'HUB_SCAN')).toEqual({ kind: 'record', why: 'lower_rank' });
      expect(isForwardOrAllowed('at_customs', 'in_transit')).toBe(false);
      expect(isForwardOrAllowed('customs_hold', 'in_transit')).toBe(true);
    });

    it('allows exactly the listed lower-or-equal moves and every rank increase', () => {
      const allowedLower = JOURNEY_STATUSES.flatMap((from) =>
        JOURNEY_STATUSES.filter((to) => isForwardOrAllowed(from, to) && to !== 'cancelled' && to !== 'lost')
          .filter((to) => JOURNEY_STATUSES.indexOf(to) < JOURNEY_STATUSES.indexOf(from))
          .map((to) => `${from}->${to}`),
      );
      expect(allowedLower.sort()).toEqual(['customs_hold->in_transit', 'delivery_attempted->out_for_delivery']);
    });
  });

  describe('CANCELLED', () => {
    it('cancels a shipment only while it is booked', () => {
      const moving = JOURNEY_STATUSES.filter((s) => nextStatus(s, 'CANCELLED').kind === 'move');
      expect(moving).toEqual(['booked']);
      expect(nextStatus('collected', 'CANCELLED')).toEqual({ kind: 'record', why: 'not_allowed' });
    });
  });

  describe('ARRIVED_DELIVERY_OFFICE', () => {
    it('keeps the higher rank: cleared once the parcel has been at customs, in_transit before', () => {
      expect(nextStatus('collected', 'ARRIVED_DELIVERY_OFFICE')).toEqual({ kind: 'move', to: 'in_transit' });
      expect(nextStatus('in_transit', 'ARRIVED_DELIVERY_OFFICE')).toEqual({ kind: 'record', why: 'same_status' });
      expect(nextStatus('at_customs', 'ARRIVED_DELIVERY_OFFICE')).toEqual({ kind: 'move', to: 'cleared' });
      expect(nextStatus('customs_hold', 'ARRIVED_DELIVERY_OFFICE')).toEqual({ kind: 'move', to: 'cleared' });
      expect(nextStatus('out_for_delivery', 'ARRIVED_DELIVERY_OFFICE')).toEqual({ kind: 'record', why: 'lower_rank' });
    });
  });

  describe('replayJourney', () => {
    it('folds a domestic journey from booked to delivered', () => {
      const result = replayJourney([ev('COLLECTED', 0), ev('HUB_SCAN', 10), ev('OUT_FOR_DELIVERY', 20), ev('DELIVERED', 30)]);
      expect(result.status).toBe('delivered');
      expect(result.steps.map((s) => [s.from, s.outcome.kind])).toEqual([
        ['booked', 'move'],
        ['collected', 'move'],
        ['in_transit', 'move'],
        ['out_for_delivery', 'move'],
      ]);
    });

    it('orders by occurrence, not by the order it is given the events', () => {
      const inOrder = [ev('COLLECTED', 0), ev('CUSTOMS_HELD', 10), ev('CUSTOMS_CLEARED', 20), ev('OUT_FOR_DELIVERY', 30)];
      const shuffled = [inOrder[3], inOrder[1], inOrder[0], inOrder[2]];
      expect(replayJourney(shuffled).status).toBe('out_for_delivery');
      expect(replayJourney(shuffled).steps.map((s) => s.event.code)).toEqual(inOrder.map((e) => e.code));
    });

    it('records a scan that would lower the rank without changing the status', () => {
      const result = replayJourney([ev('DELIVERED', 0), ev('HUB_SCAN', 5)]);
      expect(result.status).toBe('delivered');
      expect(result.steps[1].outcome).toEqual({ kind: 'record', why: 'lower_rank' });
    });

    it('breaks ties between events at the same instant by rank, so the higher status wins', () => {
      const result = replayJourney([ev('DELIVERED', 0, 'a'), ev('OUT_FOR_DELIVERY', 0, 'b')]);
      expect(result.status).toBe('delivered');
      expect(result.steps.map((s) => s.event.code)).toEqual(['OUT_FOR_DELIVERY', 'DELIVERED']);
    });

    it('breaks ties of time and rank by key, so every order of the same set gives the same steps', () => {
      const a = ev('HUB_SCAN', 0, 'a');
      const b = ev('DEPARTED_ORIGIN', 0, 'b');
      expect(replayJourney([a, b]).steps.map((s) => s.event.key)).toEqual(['a', 'b']);
      expect(replayJourney([b, a]).steps.map((s) => s.event.key)).toEqual(['a', 'b']);
    });

    it('starts from the given status', () => {
      expect(replayJourney([ev('HUB_SCAN', 0)], 'delivered').status).toBe('delivered');
      expect(replayJourney([], 'cleared')).toEqual({ status: 'cleared', steps: [] });
    });

    it('does not reorder the array it was given', () => {
      const events = [ev('DELIVERED', 30), ev('COLLECTED', 0)];
      replayJourney(events);
      expect(events.map((e) => e.code)).toEqual(['DELIVERED', 'COLLECTED']);
    });
  });
});
