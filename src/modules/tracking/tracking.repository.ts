import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';

export interface PublicShipmentRow {
  id: string;
  tracking_number: string;
  status: string;
  status_changed_at: Date;
  destination_country: string;
  destination_city: string;
  consignee_postcode_key: string | null;
  consignee: { name: string; address: { lines: string[]; city: string; postcode?: string; region?: string; country: string } };
  estimated_delivery_from: Date | null;
  estimated_delivery_to: Date | null;
  delivered_at: Date | null;
  events: { code: string; reason: string | null; occurred_at: string; location: { country: string; city?: string; facility?: string }; description: string | null; status_before: string; status_after: string; outcome: string }[];
}

@Injectable()
export class TrackingRepository {
  constructor(private readonly db: DataSource) {}

  /** The public view in one round trip: the shipment and its events in occurrence order. */
  async findPublic(trackingNumber: string): Promise<PublicShipmentRow | undefined> {
    const rows: PublicShipmentRow[] = await this.db.query(
      `SELECT s.id, s.tracking_number, s.status, s.status_changed_at, s.destination_country, s.destination_city,
              s.consignee_postcode_key, s.consignee, s.estimated_delivery_from, s.estimated_delivery_to, s.delivered_at,
              COALESCE((SELECT json_agg(json_build_object('code', e.code, 'reason', e.reason, 'occurred_at', e.occurred_at,
                                   'location', e.location, 'description', e.description, 'status_before', e.status_before, 'status_after', e.status_after,
                                   'outcome', e.outcome) ORDER BY e.occurred_at, e.id)
                          FROM tracking_events e WHERE e.shipment_id = s.id), '[]'::json) AS events
         FROM shipments s WHERE s.tracking_number = $1`,
      [trackingNumber],
    );
    return rows[0];
  }
}
