import { EVENT_CODES, notableEventType, STATUS_EVENT_TYPE } from '../../shipments/journey';

/**
 * The event types an endpoint may subscribe to: exactly the journey-event types the shipments module emits
 * (`shipment.<milestone>` for each status it reaches, as named in STATUS_EVENT_TYPE, and the notable events
 * that do not move the status), the consignee correction, and `*` for all of them. Derived, so that a new
 * status becomes subscribable with no change here.
 */
export const WEBHOOK_ALL_EVENTS = '*';
export const WEBHOOK_PING_EVENT = 'ping';

export const WEBHOOK_EVENT_TYPES: readonly string[] = [
  ...new Set([
    ...Object.values(STATUS_EVENT_TYPE),
    ...EVENT_CODES.map(notableEventType).filter((type): type is string => type !== undefined),
    'shipment.consignee_updated',
    WEBHOOK_ALL_EVENTS,
  ]),
];
