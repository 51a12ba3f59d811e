import type { JourneyStatus } from '../../shipments/journey';
import type { ExceptionType, Severity } from '../exceptions/exceptions.service';
import { GAP_STATUSES, GapStatus } from '../edd/lane-expectations';

/** The proactive detectors, in the order a sweep runs them. */
export const DETECTORS = ['edd_missed', 'scan_gap', 'customs_hold_overdue', 'pickup_expiring', 'information_overdue'] as const;
export type DetectorName = (typeof DETECTORS)[number];

/** How long a pickup point keeps a parcel: the planner's `pickupBy` (occurred + 7 days) assumes the same. */
export const PICKUP_HOLD_DAYS = 7;
/** A pickup is "expiring" this long before its deadline. */
export const PICKUP_WARNING_HOURS = 48;
/** Information a `needs_information` verdict asks for is due this long after booking. */
export const INFORMATION_DUE_HOURS = 24;
/** After this, a booking still missing information is the retailer's to chase, not a reminder's. */
export const INFORMATION_LOOKBACK_DAYS = 14;

/**
 * Silences, holds and missed estimates that began longer ago than this are not news any more: they were detected
 * when they happened, and the first sweep after Passage is deployed on old data does not message about them.
 * It also bounds every detector's index range.
 */
export const LOOKBACK_DAYS = 60;

/** Statuses the scan-gap detector watches: a parcel at a pickup point waits for the consignee (the pickup detector's). */
export const SCAN_GAP_STATUSES: readonly GapStatus[] = GAP_STATUSES.filter((s) => s !== 'available_for_pickup');
const RETURN_STATUSES: ReadonlySet<string> = new Set(['return_requested', 'return_in_transit']);

/** Journey-event types the detectors write; milestones.ts maps each to the consignee's message and the retailer's notice. */
export const DELAY_DETECTED = 'shipment.delay_detected';
export const PICKUP_EXPIRING = 'shipment.pickup_expiring';
export const INFORMATION_REMINDER = 'shipment.information_reminder';

export interface DetectorEffect {
  eventType: string;
  /** The exception opened (or noted on, when one of that type is already open). */
  exceptionType(status: JourneyStatus): ExceptionType;
  severity: Severity;
  /** A delay: the estimate moves later when the detector's new one is later (always, for a missed estimate). */
  revisesEstimate: 'always' | 'when_later' | false;
}

export const EFFECTS: Readonly<Record<DetectorName, DetectorEffect>> = {
  edd_missed: { eventType: DELAY_DETECTED, exceptionType: () => 'delay', severity: 'medium', revisesEstimate: 'always' },
  scan_gap: {
    eventType: DELAY_DETECTED,
    exceptionType: (status) => (RETURN_STATUSES.has(status) ? 'return_issue' : 'delay'),
    severity: 'medium',
    revisesEstimate: 'when_later',
  },
  customs_hold_overdue: { eventType: DELAY_DETECTED, exceptionType: () => 'customs_hold', severity: 'high', revisesEstimate: 'when_later' },
  pickup_expiring: { eventType: PICKUP_EXPIRING, exceptionType: () => 'pickup_expiring', severity: 'high', revisesEstimate: false },
  information_overdue: { eventType: INFORMATION_REMINDER, exceptionType: () => 'needs_information', severity: 'high', revisesEstimate: false },
};
