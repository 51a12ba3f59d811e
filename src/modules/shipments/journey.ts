/**
 * The journey state machine, as data (see shared/reference/tracking-codes.md).
 *
 * `nextStatus` decides one step; `replayJourney` folds a whole set of events in occurrence order.
 * Both are pure. The status only moves up in rank, except along the few moves listed in LOWER_MOVES.
 */

export const JOURNEY_STATUSES = [
  'booked',
  'collected',
  'in_transit',
  'at_customs',
  'customs_hold',
  'cleared',
  'out_for_delivery',
  'delivery_attempted',
  'available_for_pickup',
  'delivered',
  'return_requested',
  'return_in_transit',
  'returned',
  'cancelled',
  'lost',
] as const;
export type JourneyStatus = (typeof JOURNEY_STATUSES)[number];

/**
 * Status groups used across Passage, derived from the one list (its order kept, since some of these feed the
 * predicates of partial indexes, which must read the same SQL text):
 * - open: still on its way, outbound or back (not delivered, returned, cancelled or lost);
 * - outbound open: on its way to the consignee and not yet there.
 */
export const OPEN_STATUSES: readonly JourneyStatus[] = JOURNEY_STATUSES.filter(
  (s) => !['delivered', 'returned', 'cancelled', 'lost'].includes(s),
);
export const OUTBOUND_OPEN_STATUSES: readonly JourneyStatus[] = OPEN_STATUSES.filter((s) => !s.startsWith('return_'));

/** Terminal statuses carry the highest rank so that nothing outranks them. */
export const STATUS_RANK: Readonly<Record<JourneyStatus, number>> = {
  booked: 0,
  collected: 10,
  in_transit: 20,
  at_customs: 30,
  customs_hold: 35,
  cleared: 40,
  out_for_delivery: 50,
  delivery_attempted: 55,
  available_for_pickup: 58,
  delivered: 60,
  return_requested: 70,
  return_in_transit: 80,
  returned: 90,
  cancelled: 1000,
  lost: 1000,
};

export const TERMINAL_STATUSES: ReadonlySet<JourneyStatus> = new Set(['cancelled', 'lost', 'returned']);

export const EVENT_CODES = [
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
] as const;
export type EventCode = (typeof EVENT_CODES)[number];

export interface EventCodeDefinition {
  /** The status the event leads to; `null` when it records without moving the status. */
  target: JourneyStatus | null | ((current: JourneyStatus) => JourneyStatus | null);
  reasons: readonly string[];
  /** UPU EMSEVT codes that map onto this canonical code. */
  upu: readonly string[];
  /** Emits a domain event even when the status does not move (an exception kind, for the CX desk). */
  notable?: boolean;
}

const HOLD_REASONS = ['DOCUMENTS_REQUIRED', 'DUTIES_DUE', 'INSPECTION', 'PROHIBITED'] as const;

export const EVENT_DEFINITIONS: Readonly<Record<EventCode, EventCodeDefinition>> = {
  COLLECTED: { target: 'collected', reasons: [], upu: ['EMA'] },
  HUB_SCAN: { target: 'in_transit', reasons: [], upu: ['EMB', 'EDD', 'EDE', 'EMJ', 'EMK'] },
  DEPARTED_ORIGIN: { target: 'in_transit', reasons: [], upu: ['EMC'] },
  EXPORT_CLEARED: { target: 'in_transit', reasons: [], upu: ['EXC'] },
  EXPORT_HELD: {
    target: 'in_transit',
    reasons: ['DOCUMENTS_REQUIRED', 'INSPECTION', 'PROHIBITED'],
    upu: ['EXB', 'EXD'],
    notable: true,
  },
  ARRIVED_DESTINATION: { target: 'in_transit', reasons: [], upu: ['EMD'] },
  CUSTOMS_PRESENTED: { target: 'at_customs', reasons: [], upu: ['EDB'] },
  CUSTOMS_HELD: { target: 'customs_hold', reasons: HOLD_REASONS, upu: ['EME', 'EDA'] },
  DUTIES_PAID: { target: null, reasons: [], upu: [], notable: true },
  CUSTOMS_CLEARED: { target: 'cleared', reasons: [], upu: ['EDC', 'EMF'] },
  // At the delivery office the parcel has left customs if it ever entered it: keep the higher rank.
  ARRIVED_DELIVERY_OFFICE: {
    target: (current) => (STATUS_RANK[current] >= STATUS_RANK.at_customs ? 'cleared' : 'in_transit'),
    reasons: [],
    upu: ['EMG'],
  },
  OUT_FOR_DELIVERY: { target: 'out_for_delivery', reasons: [], upu: ['EDG'] },
  DELIVERY_ATTEMPTED: {
    target: 'delivery_attempted',
    reasons: ['NO_ONE_HOME', 'ADDRESS_ISSUE', 'REFUSED', 'ACCESS', 'OTHER'],
    upu: ['EMH'],
  },
  AVAILABLE_FOR_PICKUP: { target: 'available_for_pickup', reasons: [], upu: ['EDH'] },
  DELIVERED: { target: 'delivered', reasons: [], upu: ['EMI'] },
  DELAYED: { target: null, reasons: ['WEATHER', 'CAPACITY', 'TRANSPORT', 'STRIKE', 'OTHER'], upu: ['EDF'], notable: true },
  DAMAGED: { target: null, reasons: [], upu: [], notable: true },
  LOST: { target: 'lost', reasons: [], upu: [] },
  RETURN_REQUESTED: { target: 'return_requested', reasons: [], upu: [] },
  RETURN_COLLECTED: { target: 'return_in_transit', reasons: [], upu: [] },
  RETURN_IN_TRANSIT: { target: 'return_in_transit', reasons: [], upu: [] },
  RETURN_DELIVERED: { target: 'returned', reasons: [], upu: [] },
  CANCELLED: { target: 'cancelled', reasons: [], upu: ['EXX'] },
};

/** UPU EMSEVT code → canonical code, derived from the table above. */
export const UPU_TO_CANONICAL: ReadonlyMap<string, EventCode> = new Map(
  (Object.entries(EVENT_DEFINITIONS) as [EventCode, EventCodeDefinition][]).flatMap(([code, def]) =>
    def.upu.map((upu) => [upu, code] as const),
  ),
);

/** Maps an accepted code (canonical or UPU EMSEVT) to the canonical code, or `undefined` when unknown. */
export function canonicalEventCode(code: string): EventCode | undefined {
  const upper = code.trim().toUpperCase();
  if ((EVENT_CODES as readonly string[]).includes(upper)) return upper as EventCode;
  return UPU_TO_CANONICAL.get(upper);
}

/**
 * The only moves that may keep or lower the rank. A hold is released back to `in_transit` only when
 * the carrier says so with a newer scan; late scans never do it (replayJourney orders by occurrence).
 */
export const LOWER_MOVES: ReadonlyArray<readonly [JourneyStatus, JourneyStatus]> = [
  ['delivery_attempted', 'out_for_delivery'],
  ['out_for_delivery', 'delivery_attempted'],
  ['customs_hold', 'cleared'],
  ['available_for_pickup', 'delivered'],
  ['customs_hold', 'in_transit'],
];

/** Statuses from which a parcel can still be declared lost (it is in a carrier's hands). */
const LOSABLE: ReadonlySet<JourneyStatus> = new Set([
  'collected',
  'in_transit',
  'at_customs',
  'customs_hold',
  'cleared',
  'out_for_delivery',
  'delivery_attempted',
  'available_for_pickup',
  'return_in_transit',
]);

export type StepOutcome =
  | { kind: 'move'; to: JourneyStatus }
  | { kind: 'record'; why: 'no_status_change' | 'terminal' | 'lower_rank' | 'same_status' | 'not_allowed' };

/** Decides what one event does to a shipment in `current`. Pure. */
export function nextStatus(current: JourneyStatus, code: EventCode): StepOutcome {
  if (TERMINAL_STATUSES.has(current)) return { kind: 'record', why: 'terminal' };
  const def = EVENT_DEFINITIONS[code];
  const target = typeof def.target === 'function' ? def.target(current) : def.target;
  if (target === null) return { kind: 'record', why: 'no_status_change' };
  if (target === current) return { kind: 'record', why: 'same_status' };
  if (target === 'cancelled') return current === 'booked' ? { kind: 'move', to: target } : { kind: 'record', why: 'not_allowed' };
  if (target === 'lost') return LOSABLE.has(current) ? { kind: 'move', to: target } : { kind: 'record', why: 'not_allowed' };
  if (isForwardOrAllowed(current, target)) return { kind: 'move', to: target };
  return { kind: 'record', why: 'lower_rank' };
}

export interface JourneyEventInput {
  code: EventCode;
  occurredAt: Date;
  /** Tie-breaker for events that occurred at the same instant. */
  key: string;
}

/** The order in which a shipment's events are folded: by occurrence, then by rank, then by key. */
export function compareJourneyEvents(a: JourneyEventInput, b: JourneyEventInput): number {
  const byTime = a.occurredAt.getTime() - b.occurredAt.getTime();
  if (byTime !== 0) return byTime;
  const byRank = targetRank(a.code) - targetRank(b.code);
  if (byRank !== 0) return byRank;
  return a.key < b.key ? -1 : a.key > b.key ? 1 : 0;
}

function targetRank(code: EventCode): number {
  const target = EVENT_DEFINITIONS[code].target;
  return typeof target === 'string' ? STATUS_RANK[target] : -1;
}

export interface ReplayStep<E extends JourneyEventInput> {
  event: E;
  from: JourneyStatus;
  outcome: StepOutcome;
}

/** Folds events in occurrence order from `booked`. The same set of events always ends in the same status. */
export function replayJourney<E extends JourneyEventInput>(
  events: readonly E[],
  start: JourneyStatus = 'booked',
): { status: JourneyStatus; steps: ReplayStep<E>[] } {
  let status = start;
  const steps: ReplayStep<E>[] = [];
  for (const event of [...events].sort(compareJourneyEvents)) {
    const outcome = nextStatus(status, event.code);
    steps.push({ event, from: status, outcome });
    if (outcome.kind === 'move') status = outcome.to;
  }
  return { status, steps };
}

export function isJourneyStatus(value: string): value is JourneyStatus {
  return (JOURNEY_STATUSES as readonly string[]).includes(value);
}

/** The durable journey-event type emitted when a shipment reaches each status. */
export const STATUS_EVENT_TYPE: Readonly<Record<JourneyStatus, string>> = {
  booked: 'shipment.booked',
  collected: 'shipment.collected',
  in_transit: 'shipment.in_transit',
  at_customs: 'shipment.at_customs',
  customs_hold: 'shipment.customs_held',
  cleared: 'shipment.customs_cleared',
  out_for_delivery: 'shipment.out_for_delivery',
  delivery_attempted: 'shipment.delivery_attempted',
  available_for_pickup: 'shipment.available_for_pickup',
  delivered: 'shipment.delivered',
  return_requested: 'shipment.return_requested',
  return_in_transit: 'shipment.return_in_transit',
  returned: 'shipment.returned',
  cancelled: 'shipment.cancelled',
  lost: 'shipment.lost',
};

/**
 * Journey-event types the CX desk writes: proactive detection (cx/detection), estimate revisions (cx/edd),
 * incident broadcasts (cx/incidents) and resolutions an agent asks to tell the consignee about
 * (cx/exceptions). None moves the status; the planner, retailer webhooks and the 360 view read them like
 * any other journey event.
 */
export const CX_EVENT_TYPES = [
  'shipment.delay_detected',
  'shipment.edd_revised',
  'shipment.pickup_expiring',
  'shipment.information_reminder',
  'shipment.incident_declared',
  'shipment.incident_resolved',
  'shipment.exception_resolved',
] as const;
export type CxEventType = (typeof CX_EVENT_TYPES)[number];

/** Journey-event type for a notable event that does not (necessarily) move the status. */
export function notableEventType(code: EventCode): string | undefined {
  return EVENT_DEFINITIONS[code].notable ? `shipment.${code.toLowerCase()}` : undefined;
}

/** Whether a shipment may go from `from` to `to` without breaking monotonicity. */
export function isForwardOrAllowed(from: JourneyStatus, to: JourneyStatus): boolean {
  if (from === to) return false;
  if (TERMINAL_STATUSES.has(from)) return false;
  return STATUS_RANK[to] > STATUS_RANK[from] || LOWER_MOVES.some(([a, b]) => a === from && b === to);
}
