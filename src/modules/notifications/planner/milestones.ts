import { STATUS_RANK, JourneyStatus } from '../../shipments/journey';
import type { ConsigneeMessageKind } from '../templates';

/** What one journey event means for the people Passage tells. */
export interface Milestone {
  /** The consignee's message, if this event warrants one. */
  kind?: ConsigneeMessageKind;
  /** The dedupe subject: one message per (shipment, milestone, channel, recipient), whatever is replayed. */
  milestone: string;
  /** A later milestone of higher rank supersedes a message of this one still waiting to go. */
  rank: number;
  /** Sent by SMS as well as email by default (retailers can change which channels each kind uses). */
  sms: boolean;
  /** Overrides quiet hours and the SMS cap: something the consignee must act on now. */
  critical: boolean;
  /** Also tell the retailer by email: an exception it must act on. */
  retailerException?: string;
}

export interface JourneyEventPayload {
  from?: JourneyStatus | null;
  to?: JourneyStatus;
  code?: string;
  reason?: string | null;
  occurredAt?: string;
  compliance?: { status: string; issues: Array<{ code: string; field: string | null }> } | null;
  /** Added by the planner to a customs hold with duties due: what is owed, by whom, under which rules. */
  duties?: { amountDue: { amountMinor: number; currency: string }; payer: string; estimate: boolean; ruleSets: unknown };
}

const rank = (status: JourneyStatus | undefined) => (status ? STATUS_RANK[status] : 0);

/**
 * The milestones of each journey event type. Data, read by one function: a newcomer finds what any event
 * sends here. Events absent from this table (e.g. `shipment.return_in_transit`) tell the consignee nothing.
 */
export function milestonesFor(type: string, p: JourneyEventPayload): Milestone[] {
  const r = rank(p.to);
  switch (type) {
    case 'shipment.booked': {
      const booked: Milestone = { kind: 'booked', milestone: 'booked', rank: r, sms: false, critical: false };
      if (p.compliance?.status !== 'needs_information') return [booked];
      return [
        booked,
        { kind: 'information_needed', milestone: 'information_needed', rank: r, sms: true, critical: false, retailerException: 'The destination needs information the booking lacks.' },
      ];
    }
    case 'shipment.collected':
      return [{ kind: 'collected', milestone: 'collected', rank: r, sms: false, critical: false }];
    case 'shipment.in_transit':
      // Only the first move into transit is news; a hold released back to transit is not a new milestone.
      return [{ kind: 'in_transit', milestone: 'in_transit', rank: r, sms: false, critical: false }];
    case 'shipment.at_customs':
      // Presented to import customs: the parcel has arrived in the destination country.
      return [{ kind: 'arrived_destination', milestone: 'arrived_destination', rank: r, sms: false, critical: false }];
    case 'shipment.customs_held':
      if (p.reason === 'DUTIES_DUE') return [{ kind: 'customs_hold_duties', milestone: 'customs_hold_duties', rank: r, sms: true, critical: true }];
      if (p.reason === 'DOCUMENTS_REQUIRED' || !p.reason) {
        return [{ kind: 'customs_hold_documents', milestone: 'customs_hold_documents', rank: r, sms: true, critical: true, retailerException: 'Customs hold: documents are required.' }];
      }
      if (p.reason === 'PROHIBITED') return [{ milestone: 'customs_prohibited', rank: r, sms: false, critical: false, retailerException: 'Customs hold: the goods are prohibited.' }];
      return []; // INSPECTION: nothing for anyone to do yet
    case 'shipment.customs_cleared':
      return [{ kind: 'customs_cleared', milestone: 'customs_cleared', rank: r, sms: false, critical: false }];
    case 'shipment.out_for_delivery':
      return [{ kind: 'out_for_delivery', milestone: 'out_for_delivery', rank: r, sms: true, critical: false }];
    case 'shipment.delivery_attempted': {
      const attempted: Milestone = { kind: 'delivery_attempted', milestone: 'delivery_attempted', rank: r, sms: true, critical: false };
      if (p.reason === 'ADDRESS_ISSUE' || p.reason === 'REFUSED') attempted.retailerException = `Delivery failed: ${p.reason.toLowerCase().replace('_', ' ')}.`;
      return [attempted];
    }
    case 'shipment.available_for_pickup':
      return [{ kind: 'available_for_pickup', milestone: 'available_for_pickup', rank: r, sms: true, critical: false }];
    case 'shipment.delivered':
      return [{ kind: 'delivered', milestone: 'delivered', rank: r, sms: true, critical: false }];
    case 'shipment.delayed':
      // One delay message per reported delay event (its occurrence is part of the milestone).
      return [{ kind: 'delay', milestone: `delay:${p.occurredAt ?? ''}`, rank: rank(p.from ?? undefined), sms: true, critical: false }];
    case 'shipment.return_requested':
      return [{ kind: 'return_requested', milestone: 'return_requested', rank: r, sms: false, critical: false }];
    case 'shipment.returned':
      return [{ kind: 'return_received', milestone: 'return_received', rank: r, sms: false, critical: false, retailerException: 'The return has arrived back.' }];
    case 'shipment.lost':
      return [{ milestone: 'lost', rank: r, sms: false, critical: false, retailerException: 'The carrier declared the parcel lost.' }];
    case 'shipment.damaged':
      return [{ milestone: 'damaged', rank: rank(p.from ?? undefined), sms: false, critical: false, retailerException: 'The carrier reported the parcel damaged.' }];
    default:
      return [];
  }
}
