import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { PreparedStatement, runPrepared } from '../../database/prepared-statement';

/** One milestone as the lookup returns it: [code, reason, occurredAt (ISO), location, description, statusBefore]. */
export type PublicEventTuple = [string, string | null, string, { country: string; city?: string; facility?: string }, string | null, string];

export interface PublicShipmentRow {
  tracking_number: string;
  status: string;
  /** ISO-8601 in UTC with milliseconds, as Date#toISOString writes it. */
  status_changed_at: string;
  destination_country: string;
  destination_city: string;
  consignee_postcode_key: string | null;
  /** Only when asked for (a postcode was given): the view shows it only when the postcode matches. */
  consignee: { name: string; address: { lines: string[]; city: string; postcode?: string; region?: string; country: string } } | null;
  estimated_delivery_from: string | null;
  estimated_delivery_to: string | null;
  delivered_at: string | null;
  events: PublicEventTuple[];
}

const ISO = `'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"'`;
const iso = (column: string) => `to_char(${column} AT TIME ZONE 'UTC', ${ISO})`;

/**
 * The public view in one round trip, prepared: the shipment and its events in occurrence order. Timestamps
 * come formatted and events as arrays, so that Node parses less JSON and converts no dates for the hottest
 * public endpoint. Exported for bench/node-floor.js, which runs it with no framework around it.
 */
export const FIND_PUBLIC: PreparedStatement = {
  name: 'tracking_find_public',
  text: `SELECT s.tracking_number, s.status, ${iso('s.status_changed_at')} AS status_changed_at,
                s.destination_country, s.destination_city, s.consignee_postcode_key,
                CASE WHEN $2::boolean THEN s.consignee END AS consignee,
                ${iso('s.estimated_delivery_from')} AS estimated_delivery_from, ${iso('s.estimated_delivery_to')} AS estimated_delivery_to,
                ${iso('s.delivered_at')} AS delivered_at,
                COALESCE((SELECT json_agg(json_build_array(e.code, e.reason, ${iso('e.occurred_at')}, e.location, e.description, e.status_before)
                                          ORDER BY e.occurred_at, e.id)
                            FROM tracking_events e WHERE e.shipment_id = s.id), '[]'::json) AS events
           FROM shipments s WHERE s.tracking_number = $1`,
};

@Injectable()
export class TrackingRepository {
  constructor(private readonly db: DataSource) {}

  async findPublic(trackingNumber: string, options: { withConsignee: boolean }): Promise<PublicShipmentRow | undefined> {
    const [row] = await runPrepared<PublicShipmentRow>(this.db.manager, FIND_PUBLIC, [trackingNumber, options.withConsignee]);
    return row;
  }
}
