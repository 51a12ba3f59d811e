import { ShipmentResponseDto, TimelineEventDto } from './dto/shipment-response.dto';
import { ShipmentEntity } from './shipment.entity';
import { TrackingEventEntity } from '../tracking/tracking-event.entity';

export function toShipmentResponse(s: ShipmentEntity, publicBaseUrl: string): ShipmentResponseDto {
  return {
    id: s.id,
    reference: s.reference,
    trackingNumber: s.trackingNumber,
    trackingUrl: `${publicBaseUrl}/v1/track/${s.trackingNumber}`,
    service: s.service,
    incoterm: s.incoterm,
    status: s.status,
    statusChangedAt: s.statusChangedAt.toISOString(),
    origin: s.origin,
    consignee: s.consignee,
    items: s.items,
    shipping: s.shipping ?? null,
    notify: s.notify,
    compliance: s.compliance && s.complianceStatus ? { status: s.complianceStatus, verdict: s.compliance } : null,
    metadata: s.metadata,
    estimatedDelivery:
      s.estimatedDeliveryFrom && s.estimatedDeliveryTo
        ? { from: s.estimatedDeliveryFrom.toISOString(), to: s.estimatedDeliveryTo.toISOString() }
        : null,
    deliveredAt: s.deliveredAt?.toISOString() ?? null,
    returnReference: s.returnReference,
    createdAt: s.createdAt.toISOString(),
    updatedAt: s.updatedAt.toISOString(),
  };
}

export function toTimelineEvent(e: TrackingEventEntity): TimelineEventDto {
  return {
    id: String(e.id),
    source: e.source.startsWith('retailer:') ? 'retailer' : e.source,
    eventId: e.externalEventId,
    code: e.code,
    originalCode: e.originalCode,
    reason: e.reason,
    occurredAt: e.occurredAt.toISOString(),
    receivedAt: e.receivedAt.toISOString(),
    location: e.location,
    description: e.description,
    applied: e.outcome === 'applied',
    late: e.late,
    statusBefore: e.statusBefore,
    statusAfter: e.statusAfter,
  };
}
