import { JourneyStatus, STATUS_EVENT_TYPE, STATUS_RANK, TERMINAL_STATUSES, isJourneyStatus } from '../../shipments/journey';
import { EXCEPTION_TYPES, ExceptionType, Severity } from './exception-types';

/** A journey event as the projector reads it from the outbox. */
export interface ProjectedEvent {
  type: string;
  payload: {
    from?: string | null;
    to?: string | null;
    reason?: string | null;
    code?: string | null;
    compliance?: { status?: string | null; from?: string | null; to?: string | null } | null;
  };
}

/** The shipment as it is now (the projector may read events after later ones have moved it on). */
export interface ShipmentNow {
  status: JourneyStatus;
  complianceStatus: string | null;
}

export type ExceptionAction =
  | { kind: 'open'; type: ExceptionType; severity?: Severity; note: string }
  | { kind: 'resolve'; types: ExceptionType[]; note: string; resolutionCode: string };

const STATUS_TYPES: ReadonlySet<string> = new Set(Object.values(STATUS_EVENT_TYPE));
const DELIVERED_RESOLVES: ExceptionType[] = ['failed_attempt', 'address_issue', 'delay', 'pickup_expiring'];
const before = (status: JourneyStatus, limit: JourneyStatus) => STATUS_RANK[status] < STATUS_RANK[limit];

/**
 * What one journey event does to a shipment's exceptions. Pure.
 *
 * Opening checks the shipment as it is now, not as it was when the event occurred: by the time the projector
 * reads a customs hold, the parcel may already be cleared, and an exception that is already past is not
 * opened. This keeps the outcome right whatever order concurrent projectors read a shipment's events in.
 * Resolving needs no such check: it only closes what the journey has moved past.
 */
export function exceptionActions(event: ProjectedEvent, now: ShipmentNow): ExceptionAction[] {
  const p = event.payload ?? {};
  const actions: ExceptionAction[] = [];
  const to = typeof p.to === 'string' && isJourneyStatus(p.to) ? p.to : undefined;

  switch (event.type) {
    case 'shipment.customs_held':
      if (now.status === 'customs_hold') {
        const severity: Severity = p.reason === 'DUTIES_DUE' || p.reason === 'DOCUMENTS_REQUIRED' ? 'high' : 'medium';
        actions.push({ kind: 'open', type: 'customs_hold', severity, note: `Customs hold${p.reason ? ` (${p.reason})` : ''}.` });
      }
      break;
    case 'shipment.delivery_attempted':
      if (before(now.status, 'delivered') && !TERMINAL_STATUSES.has(now.status)) {
        const type = p.reason === 'ADDRESS_ISSUE' ? 'address_issue' : 'failed_attempt';
        actions.push({ kind: 'open', type, note: `Delivery attempted${p.reason ? ` (${p.reason})` : ''}.` });
      }
      break;
    case 'shipment.damaged':
      if (now.status !== 'returned' && now.status !== 'cancelled') actions.push({ kind: 'open', type: 'damaged', note: 'The carrier reported the parcel damaged.' });
      break;
    case 'shipment.lost':
      if (now.status === 'lost') actions.push({ kind: 'open', type: 'lost', note: 'The carrier declared the parcel lost.' });
      break;
    case 'shipment.delayed':
      if (before(now.status, 'delivered') && !TERMINAL_STATUSES.has(now.status)) {
        actions.push({ kind: 'open', type: 'delay', note: `The carrier reported a delay${p.reason ? ` (${p.reason})` : ''}.` });
      }
      break;
    case 'shipment.booked':
      if (p.compliance?.status === 'needs_information' && now.complianceStatus === 'needs_information') {
        actions.push({ kind: 'open', type: 'needs_information', note: 'The destination needs information the booking lacks.' });
      }
      break;
    case 'shipment.consignee_updated':
      if (p.compliance?.to === 'ok') {
        actions.push({ kind: 'resolve', types: ['needs_information'], note: 'The consignee details were completed.', resolutionCode: 'information_supplied' });
      }
      break;
  }

  if (STATUS_TYPES.has(event.type) && to) {
    if (to === 'returned' || to === 'cancelled') {
      actions.push({ kind: 'resolve', types: [...EXCEPTION_TYPES], note: `The shipment was ${to}.`, resolutionCode: `shipment_${to}` });
    } else {
      const resolved: ExceptionType[] = [];
      // Past the hold: cleared or any later status, or released back into transit.
      if (to !== 'customs_hold' && (STATUS_RANK[to] > STATUS_RANK.customs_hold || p.from === 'customs_hold')) resolved.push('customs_hold');
      if (to === 'delivered') resolved.push(...DELIVERED_RESOLVES);
      if (resolved.length > 0) actions.push({ kind: 'resolve', types: resolved, note: `The journey moved on to ${to}.`, resolutionCode: 'journey_moved_on' });
    }
  }
  return actions;
}

/** The journey-event types the projector acts on; others are only marked processed. */
export function mayAct(type: string): boolean {
  return STATUS_TYPES.has(type) || type === 'shipment.delayed' || type === 'shipment.damaged' || type === 'shipment.consignee_updated';
}
