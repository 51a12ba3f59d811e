import { Injectable } from '@nestjs/common';
import { timingSafeEqual } from 'node:crypto';
import { AppError } from '../../common/errors/app-error';
import { postcodeKey } from '../shipments/shipments.service';
import { canonicalEventCode, EVENT_DEFINITIONS, isJourneyStatus, JourneyStatus } from '../shipments/journey';
import { isValidTrackingNumber, normalizeTrackingNumber } from '../shipments/tracking-number';
import { PublicTrackingDto } from './dto/public-tracking.dto';
import { TrackingRepository } from './tracking.repository';

export const TrackingErrors = {
  invalidNumber: () =>
    new AppError('TRACKING_NUMBER_INVALID', 404, 'This is not a valid tracking number; please check it for typos.', [
      { field: 'trackingNumber', issue: 'its check character does not match' },
    ]),
  notFound: () => new AppError('TRACKING_NUMBER_NOT_FOUND', 404, 'No shipment has this tracking number.'),
};

/** The consignee-facing view: no personal data unless the caller knows the delivery postcode. */
@Injectable()
export class PublicTrackingService {
  constructor(private readonly tracking: TrackingRepository) {}

  async track(rawTrackingNumber: string, postcode?: string): Promise<PublicTrackingDto> {
    const trackingNumber = normalizeTrackingNumber(rawTrackingNumber);
    if (!isValidTrackingNumber(trackingNumber)) throw TrackingErrors.invalidNumber();
    const row = await this.tracking.findPublic(trackingNumber, { withConsignee: Boolean(postcode) });
    if (!row) throw TrackingErrors.notFound();
    const view: PublicTrackingDto = {
      trackingNumber: row.tracking_number,
      status: row.status,
      statusChangedAt: row.status_changed_at,
      estimatedDelivery:
        row.estimated_delivery_from && row.estimated_delivery_to ? { from: row.estimated_delivery_from, to: row.estimated_delivery_to } : null,
      deliveredAt: row.delivered_at,
      destination: { country: row.destination_country, city: row.destination_city },
      milestones: row.events.map(([code, reason, occurredAt, location, description, statusBefore]) => ({
        code,
        reason,
        status: milestoneStatus(code, statusBefore),
        occurredAt,
        location: { country: location.country, city: location.city },
        description,
      })),
    };
    if (postcode && row.consignee && row.consignee_postcode_key && samePostcode(postcode, row.consignee_postcode_key)) {
      view.consignee = { name: row.consignee.name, address: row.consignee.address };
    }
    return view;
  }
}

function samePostcode(given: string, stored: string): boolean {
  const a = Buffer.from(postcodeKey(given));
  const b = Buffer.from(stored);
  return a.length === b.length && timingSafeEqual(a, b);
}

/**
 * What a milestone stands for on its own (a hub scan means "in transit"), not the status after it arrived:
 * a late scan must not read as "delivered" in the middle of the timeline. Null for events that mark no status.
 */
export function milestoneStatus(code: string, statusBefore: string): JourneyStatus | null {
  const canonical = canonicalEventCode(code);
  if (!canonical) return null;
  const target = EVENT_DEFINITIONS[canonical].target;
  if (typeof target === 'function') return isJourneyStatus(statusBefore) ? target(statusBefore) : null;
  return target;
}
