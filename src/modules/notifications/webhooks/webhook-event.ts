/**
 * The JSON every webhook delivery carries, signed as sent (see channels/http-webhook.channel.ts):
 *
 * ```json
 * {
 *   "id": "evt_…",                      // = the Passage-Webhook-Id header; the same on every retry and replay
 *   "type": "shipment.delivered",
 *   "createdAt": "2026-11-24T12:00:00.000Z",   // when the event happened (the scan's time), not when it was sent
 *   "sequence": 7,                      // per shipment, increasing: order by it, not by arrival
 *   "data": {
 *     "shipment": { "id", "reference", "trackingNumber", "status", … },
 *     …                                 // event details, e.g. { from, to, code, reason }
 *   }
 * }
 * ```
 *
 * No consignee personal data (name, email, phone, address, tax id) is ever put in the shipment summary,
 * although the retailer supplied it: webhook bodies travel to URLs we do not control and commonly land in
 * third-party queues, logs and automation tools, and nothing a receiver does with an event needs them. The
 * retailer correlates by `reference` or `id`, and reads the full shipment with GET /v1/shipments/{id}.
 * The summary is built field by field, so passing a whole shipment row here cannot leak them.
 */

export interface WebhookShipmentSummary {
  id: string;
  /** The retailer's own order reference. */
  reference: string;
  trackingNumber: string;
  status: string;
  /** ISO 3166-1 alpha-2. */
  destinationCountry?: string;
  estimatedDelivery?: { from: string; to: string } | null;
  deliveredAt?: string | null;
  /** The retailer's own key/value metadata from the booking. */
  metadata?: Record<string, string>;
}

export interface WebhookEvent {
  /** The Passage-Webhook-Id: stable across retries and replays of this delivery, so receivers can dedupe. */
  id: string;
  type: string;
  /** Per shipment, increasing with each event. */
  sequence: number;
  /** ISO 8601. */
  occurredAt: string;
  shipment: WebhookShipmentSummary;
  /** Event details; keep personal data out of them (names of changed fields, not their values). */
  data: object;
}

/** What the outbox row of a webhook delivery holds (`messages.payload`). */
export interface WebhookMessagePayload {
  webhookId: string;
  eventType: string;
  /** The body exactly as it is signed and sent. */
  body: string;
  sequence?: number;
  /** On a replay: the delivery it repeats. */
  replayOf?: string;
}

function shipmentSummary(s: WebhookShipmentSummary): WebhookShipmentSummary {
  const summary: WebhookShipmentSummary = { id: s.id, reference: s.reference, trackingNumber: s.trackingNumber, status: s.status };
  if (s.destinationCountry !== undefined) summary.destinationCountry = s.destinationCountry;
  if (s.estimatedDelivery !== undefined) summary.estimatedDelivery = s.estimatedDelivery && { from: s.estimatedDelivery.from, to: s.estimatedDelivery.to };
  if (s.deliveredAt !== undefined) summary.deliveredAt = s.deliveredAt;
  if (s.metadata !== undefined) summary.metadata = s.metadata;
  return summary;
}

/** The body of a webhook delivery: the envelope above, serialised once so that what is signed is what is sent. */
export function webhookEventBody(event: WebhookEvent): string {
  return JSON.stringify({
    id: event.id,
    type: event.type,
    createdAt: new Date(event.occurredAt).toISOString(),
    sequence: event.sequence,
    data: { ...event.data, shipment: shipmentSummary(event.shipment) },
  });
}

type Range = { from?: unknown; to?: unknown } | null | undefined;
const range = (r: Range) => (r && typeof r.from === 'string' && typeof r.to === 'string' ? { from: r.from, to: r.to } : null);

/**
 * The event details a webhook carries: the move (`from`, `to`, `code`, `reason`), the duties of a customs
 * hold, and for the CX desk's events what a receiver needs to act on them. Picked field by field from the
 * journey event's payload, so an agent's notes, an incident's words or consignee data never ride along.
 */
export function webhookEventData(type: string, p: Record<string, unknown>): Record<string, unknown> {
  const data: Record<string, unknown> = { from: p.from ?? null, to: p.to ?? null, code: p.code ?? null, reason: p.reason ?? null };
  if (p.duties) data.duties = p.duties;
  const incident = p.incident as { id?: unknown; kind?: unknown; estimatedDelivery?: Range } | undefined;
  switch (type) {
    case 'shipment.delay_detected':
      return { ...data, detector: p.detector ?? null, estimatedDelivery: range(p.estimatedDelivery as Range) };
    case 'shipment.edd_revised':
      return { ...data, change: p.change ?? null, estimatedDelivery: range(p.estimatedDelivery as Range), previousEstimate: range(p.previousEstimate as Range) };
    case 'shipment.pickup_expiring':
      return { ...data, pickupBy: p.pickupBy ?? null };
    case 'shipment.incident_declared':
    case 'shipment.incident_resolved':
      return { ...data, incident: incident ? { id: incident.id ?? null, kind: incident.kind ?? null, estimatedDelivery: range(incident.estimatedDelivery) } : null };
    case 'shipment.exception_resolved':
      return { ...data, exception: { id: p.exceptionId ?? null, type: p.exceptionType ?? null, resolutionCode: p.resolutionCode ?? null } };
    default:
      return data;
  }
}

/** The body of a ping: the same envelope, with the endpoint instead of a shipment. */
export function webhookPingBody(ping: { id: string; endpointId: string; at: Date }): string {
  return JSON.stringify({ id: ping.id, type: 'ping', createdAt: ping.at.toISOString(), sequence: 0, data: { endpointId: ping.endpointId } });
}
