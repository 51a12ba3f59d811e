import {
  compareJourneyEvents,
  STATUS_RANK,
  TERMINAL_STATUSES,
  JourneyEventInput,
  JourneyStatus,
  nextStatus,
  replayJourney,
} from './journey';

export interface ShipmentJourneyState {
  status: JourneyStatus;
  lastEventOccurredAt: Date | null;
}

export interface EventDecision<E> {
  event: E;
  applied: boolean;
  /** It occurred before an event the shipment had already seen. */
  late: boolean;
  statusBefore: JourneyStatus;
  statusAfter: JourneyStatus;
}

export interface ShipmentDecision<E> {
  status: JourneyStatus;
  statusChangedBy?: E;
  /** `replayed`: a correction from replaying the history with late events, not a single step of the table. */
  transitions: { from: JourneyStatus; to: JourneyStatus; event: E; replayed?: boolean }[];
  events: EventDecision<E>[];
}

/**
 * Decides what a set of new events does to one shipment. Pure.
 *
 * Events newer than everything seen are folded forward from the current status. When any is not newer,
 * the whole history is replayed in occurrence order (`history` must then be given), so the final status is
 * the fold of the whole set whatever order it arrived in. Two guards keep late news from undoing what
 * cannot be undone: a terminal status stays, and a delivered shipment never falls back below delivered.
 */
export function decideShipmentJourney<E extends JourneyEventInput>(
  state: ShipmentJourneyState,
  newEvents: readonly E[],
  history?: readonly JourneyEventInput[],
): ShipmentDecision<E> {
  const lateFlags = new Map<E, boolean>();
  let seen = state.lastEventOccurredAt?.getTime() ?? Number.NEGATIVE_INFINITY;
  for (const event of newEvents) {
    lateFlags.set(event, event.occurredAt.getTime() < seen);
    seen = Math.max(seen, event.occurredAt.getTime());
  }
  const sorted = [...newEvents].sort(compareJourneyEvents);
  if (!needsReplay(state, sorted)) return foldForward(state.status, sorted, lateFlags);
  if (!history) throw new Error('history is required to replay late events');
  return replayWithHistory(state.status, sorted, history, lateFlags);
}

/** True when some new event is not strictly newer than what the shipment has already seen. */
export function needsReplay(state: ShipmentJourneyState, events: readonly JourneyEventInput[]): boolean {
  if (state.lastEventOccurredAt === null) return false;
  const last = state.lastEventOccurredAt.getTime();
  return events.some((e) => e.occurredAt.getTime() <= last);
}

function foldForward<E extends JourneyEventInput>(
  start: JourneyStatus,
  sorted: readonly E[],
  lateFlags: Map<E, boolean>,
): ShipmentDecision<E> {
  let status = start;
  const decision: ShipmentDecision<E> = { status, transitions: [], events: [] };
  for (const event of sorted) {
    const outcome = nextStatus(status, event.code);
    const before = status;
    if (outcome.kind === 'move') {
      status = outcome.to;
      decision.transitions.push({ from: before, to: status, event });
      decision.statusChangedBy = event;
    }
    decision.events.push({ event, applied: outcome.kind === 'move', late: lateFlags.get(event) ?? false, statusBefore: before, statusAfter: status });
  }
  decision.status = status;
  return decision;
}

function replayWithHistory<E extends JourneyEventInput>(
  current: JourneyStatus,
  sorted: readonly E[],
  history: readonly JourneyEventInput[],
  lateFlags: Map<E, boolean>,
): ShipmentDecision<E> {
  const fresh = new Set<JourneyEventInput>(sorted);
  const all = [...history, ...sorted].sort(compareJourneyEvents);
  let lastHistory = -1;
  all.forEach((event, index) => {
    if (!fresh.has(event)) lastHistory = index;
  });
  // Events that fall among those already seen may change what the past means: replay it.
  const prefix = all.slice(0, lastHistory + 1);
  const suffix = all.slice(lastHistory + 1) as E[];
  const lateOnes = prefix.filter((e) => fresh.has(e)) as E[];
  const replay = replayJourney(prefix);
  const decision: ShipmentDecision<E> = { status: current, transitions: [], events: [] };
  let status = current;
  if (acceptsReplay(current, replay.status)) {
    // The last late event that moved the replayed journey is named as the cause of the change.
    let cause = lateOnes[lateOnes.length - 1];
    for (const step of replay.steps) if (step.outcome.kind === 'move' && fresh.has(step.event)) cause = step.event as E;
    status = replay.status;
    decision.transitions.push({ from: current, to: status, event: cause, replayed: true });
    decision.statusChangedBy = cause;
  }
  for (const event of lateOnes) {
    const applied = decision.statusChangedBy === event;
    decision.events.push({ event, applied, late: lateFlags.get(event) ?? false, statusBefore: current, statusAfter: status });
  }
  // Events after everything already seen fold forward as usual.
  const rest = foldForward(status, suffix, lateFlags);
  decision.transitions.push(...rest.transitions);
  decision.events.push(...rest.events);
  decision.statusChangedBy = rest.statusChangedBy ?? decision.statusChangedBy;
  decision.status = rest.status;
  return decision;
}

/**
 * Whether the status replayed from the whole history replaces the current one. The replay moves only along
 * the table's own moves in occurrence order, so accepting it keeps the outcome independent of arrival order;
 * the guards cover the two cases where late news must not win: terminal statuses, and anything delivered.
 */
export function acceptsReplay(current: JourneyStatus, replayed: JourneyStatus): boolean {
  if (replayed === current || TERMINAL_STATUSES.has(current)) return false;
  if (STATUS_RANK[current] >= STATUS_RANK.delivered) {
    // Past delivery only the return leg may follow: never back below delivered, never to lost or cancelled.
    return STATUS_RANK[replayed] > STATUS_RANK[current] && replayed !== 'lost' && replayed !== 'cancelled';
  }
  return true;
}
