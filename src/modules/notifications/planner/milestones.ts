import { STATUS_RANK, JourneyStatus } from '../../shipments/journey';
import type { ConsigneeMessageKind, TemplateOverrides } from '../templates';

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
  /** Variables over the kind's own (an incident's shifted estimate, its words). */
  variables?: Record<string, unknown>;
  /** Strings over the catalog's and the retailer's, for this message only (an incident's words per locale). */
  overrides?: TemplateOverrides;
}

/** What an incident broadcast (cx/incidents) writes into its journey events, so that planning needs no lookup. */
export interface IncidentNotice {
  id: string;
  kind: string;
  /** Locale → the agent's words; absent: the catalog's message in the consignee's language. */
  messages?: Record<string, string> | null;
  /** The estimate shifted by the expected delay. */
  estimatedDelivery?: { from: string; to: string } | null;
  /** False when another of this consignee's shipments carries the notice: one message per consignee. */
  notifyConsignee: boolean;
  /** The retailer's one email per incident rides on the first of its shipments. */
  retailerNotice?: string | null;
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
  /** Proactive detection (cx/detection): which detector, and the occurrence it fired for. */
  detector?: string;
  occurrenceKey?: string;
  /** A new or revised estimate (cx/detection, cx/edd), and what the revision means (`slipped`, `today`, …). */
  estimatedDelivery?: { from: string; to: string; fromDate?: string; toDate?: string } | null;
  change?: string;
  /** A pickup's deadline (cx/detection). */
  pickupBy?: string;
  incident?: IncidentNotice;
  /** A resolved CX exception (cx/exceptions), and which of its resolutions this is (1, then 2 after a reopen, …). */
  exceptionId?: string;
  exceptionType?: string;
  resolutionCode?: string;
  resolution?: number;
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
    case 'shipment.incident_declared':
    case 'shipment.incident_resolved': {
      // Milestone `incident:<id>`: one message per shipment and channel, and the incident picks one shipment per consignee.
      const i = p.incident;
      if (!i) return [];
      const declared = type === 'shipment.incident_declared';
      const kind: ConsigneeMessageKind = declared ? 'delay' : 'in_transit';
      return [
        {
          ...(i.notifyConsignee ? { kind, ...incidentWords(kind, i) } : {}),
          milestone: declared ? `incident:${i.id}` : `incident:${i.id}:resolved`,
          rank: r,
          sms: declared,
          critical: false,
          ...(i.retailerNotice ? { retailerException: i.retailerNotice } : {}),
        },
      ];
    }
    case 'shipment.delay_detected': {
      // Proactive detection (once per occurrence). The message is about the estimate: one per new estimated day,
      // shared with a slipped estimate below, so a parcel both silent and past its date is told once. A stalled
      // return concerns only the retailer.
      if (p.to === 'return_requested' || p.to === 'return_in_transit') {
        return [{ milestone: `detected:${p.detector ?? 'delay'}:${p.occurrenceKey ?? ''}`, rank: r, sms: false, critical: false, retailerException: 'The return has had no scan for longer than its lane allows.' }];
      }
      const e = p.estimatedDelivery;
      const notice = DELAY_NOTICES[p.detector ?? ''] ?? 'Delayed.';
      return [
        {
          kind: 'delay',
          milestone: e?.toDate ? `delay_until:${e.toDate}` : `detected:${p.detector ?? 'delay'}:${p.occurrenceKey ?? ''}`,
          rank: r,
          sms: true,
          critical: false,
          retailerException: notice,
          ...(e ? { variables: { estimatedDelivery: { from: e.from, to: e.to } } } : {}),
        },
      ];
    }
    case 'shipment.pickup_expiring':
      return [
        {
          kind: 'available_for_pickup',
          milestone: `pickup_expiring:${p.occurrenceKey ?? ''}`,
          rank: r,
          sms: true,
          critical: false,
          retailerException: 'The parcel waits at a pickup point and goes back within 48 hours unless it is collected.',
          ...(p.pickupBy ? { variables: { pickupBy: p.pickupBy } } : {}),
        },
      ];
    case 'shipment.information_reminder':
      return [
        {
          kind: 'information_needed',
          milestone: `information_reminder:${p.occurrenceKey ?? ''}`,
          rank: r,
          sms: true,
          critical: false,
          retailerException: 'A day after booking, the destination still needs information the booking lacks.',
        },
      ];
    case 'shipment.edd_revised':
      // Only revisions that matter: a slip of a day or more (one message per new last day), or out for delivery today,
      // which is the out-for-delivery message itself (same milestone: the consignee hears it once).
      if (p.change === 'slipped' && p.estimatedDelivery) {
        const { from, to } = p.estimatedDelivery;
        return [{ kind: 'delay', milestone: `delay_until:${p.estimatedDelivery.toDate ?? to}`, rank: r, sms: true, critical: false, variables: { estimatedDelivery: { from, to } } }];
      }
      if (p.change === 'today') return [{ kind: 'out_for_delivery', milestone: 'out_for_delivery', rank: r, sms: true, critical: false }];
      return [];
    case 'shipment.exception_resolved':
      // An agent resolved a CX exception and asked to tell the consignee. One message per resolution: a replay
      // of the event plans nothing more, while resolving again after a reopen is news again.
      if (!p.exceptionId) return [];
      return [{ kind: 'issue_resolved', milestone: `exception_resolved:${p.exceptionId}:${p.resolution ?? 1}`, rank: r, sms: true, critical: false }];
    default:
      return [];
  }
}

/** The retailer's notice for each delay detector (cx/detection/detectors.ts). */
const DELAY_NOTICES: Readonly<Record<string, string>> = {
  edd_missed: 'Delayed: the estimated delivery date was missed.',
  scan_gap: 'Delayed: no carrier scan for longer than the lane allows.',
  customs_hold_overdue: 'Delayed: held by customs for longer than the lane allows.',
};

/**
 * An incident's words as per-message overrides of the kind's paragraphs and SMS. The text itself is a
 * variable, never template source, so an agent's `{{` is shown as typed. Locales it does not cover get the
 * catalog's message for the kind.
 */
function incidentWords(kind: ConsigneeMessageKind, i: IncidentNotice): Pick<Milestone, 'variables' | 'overrides'> {
  const variables: Record<string, unknown> = i.estimatedDelivery ? { estimatedDelivery: i.estimatedDelivery } : {};
  if (!i.messages || Object.keys(i.messages).length === 0) return { variables };
  variables.incidentMessages = i.messages;
  const overrides: TemplateOverrides = {};
  for (const locale of Object.keys(i.messages)) {
    if (!/^[A-Za-z]{2,3}(-[A-Za-z0-9]{2,8})*$/.test(locale)) continue;
    const words = `{{incidentMessages.[${locale}]}}`;
    overrides[locale] = { [kind]: { paragraphs: [words], sms: `{{retailerName}}: ${words}` } };
  }
  return { variables, overrides };
}

/** The retailer's overrides with a milestone's own on top (field by field, per locale and kind). */
export function withMilestoneOverrides(base: TemplateOverrides | undefined, own: TemplateOverrides | undefined): TemplateOverrides | undefined {
  if (!own) return base;
  const merged: TemplateOverrides = { ...(base ?? {}) };
  for (const [locale, kinds] of Object.entries(own)) {
    const into = { ...(merged[locale] ?? {}) };
    for (const [kind, strings] of Object.entries(kinds ?? {})) {
      const k = kind as keyof typeof into;
      into[k] = { ...(into[k] ?? {}), ...strings };
    }
    merged[locale] = into;
  }
  return merged;
}
