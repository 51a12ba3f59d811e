import { CX_EVENT_TYPES, EVENT_CODES, notableEventType, STATUS_EVENT_TYPE } from '../../shipments/journey';

/**
 * The event types an endpoint may subscribe to: exactly the journey-event types Passage writes
 * (`shipment.<milestone>` for each status a shipment reaches, as named in STATUS_EVENT_TYPE, the notable
 * events that do not move the status, the consignee correction, and the CX desk's events: detections,
 * estimate revisions, incidents and resolutions), and `*` for all of them. Derived, so that a new status or
 * CX event becomes subscribable with no change here.
 */
export const WEBHOOK_ALL_EVENTS = '*';
export const WEBHOOK_PING_EVENT = 'ping';

export const WEBHOOK_EVENT_TYPES: readonly string[] = [
  ...new Set([
    ...Object.values(STATUS_EVENT_TYPE),
    ...EVENT_CODES.map(notableEventType).filter((type): type is string => type !== undefined),
    'shipment.consignee_updated',
    ...CX_EVENT_TYPES,
    WEBHOOK_ALL_EVENTS,
  ]),
];

/** For the OpenAPI document: what each CX event means to a receiver, and the details its `data` carries. */
export const CX_WEBHOOK_EVENTS_DOC = [
  '`shipment.delay_detected`: Passage found the parcel late before any scan said so (`detector`, `estimatedDelivery`);',
  '`shipment.edd_revised`: the estimated delivery changed (`change`: `slipped`, `today`, …; `estimatedDelivery`);',
  '`shipment.pickup_expiring`: the parcel goes back from its pickup point soon (`pickupBy`);',
  '`shipment.information_reminder`: the destination still needs information the booking lacks;',
  '`shipment.incident_declared` / `shipment.incident_resolved`: an incident (grounded flight, closed hub…) delays the parcel, or is over (`incident`: `id`, `kind`);',
  '`shipment.exception_resolved`: an agent resolved a problem on the shipment and told the consignee (`exception`: `id`, `type`, `resolutionCode`).',
].join(' ');
