import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { SearchHitDto } from './search.dto';

const LIMIT = 50;

/**
 * Exact-match search across retailers, for the desk: tracking number, return reference, order reference,
 * consignee email (case-insensitive) or phone (E.164, separators ignored). Each arm is one index lookup.
 * The query is personal data: it is never logged (request logs carry the path without its query string).
 */
@Injectable()
export class SearchService {
  constructor(private readonly db: DataSource) {}

  async search(q: string): Promise<SearchHitDto[]> {
    const text = q.trim();
    const phone = /^\+?[\d\s().-]{7,}$/.test(text) ? text.replace(/[^\d+]/g, '') : null;
    const columns = `id, retailer_id, tracking_number, reference, status, destination_country, created_at`;
    const rows: Array<{ id: string; retailer_id: string; tracking_number: string; reference: string; status: string; destination_country: string; created_at: Date; matched_on: string }> =
      await this.db.query(
        `SELECT * FROM (
           SELECT ${columns}, 'tracking_number' AS matched_on FROM shipments WHERE tracking_number = upper($1)
           UNION ALL
           SELECT ${columns}, 'return_reference' FROM shipments WHERE return_reference = upper($1)
           UNION ALL
           SELECT ${columns}, 'reference' FROM shipments WHERE reference = $1
           UNION ALL
           SELECT ${columns}, 'email' FROM shipments WHERE consignee ? 'email' AND lower(consignee->>'email') = lower($1)
           UNION ALL
           SELECT ${columns}, 'phone' FROM shipments WHERE consignee ? 'phone' AND consignee->>'phone' = $2
         ) hits ORDER BY created_at DESC, id LIMIT ${LIMIT}`,
        [text, phone],
      );
    return rows.map((r) => ({
      shipmentId: r.id,
      retailerId: r.retailer_id,
      trackingNumber: r.tracking_number,
      reference: r.reference,
      status: r.status,
      destinationCountry: r.destination_country,
      createdAt: new Date(r.created_at).toISOString(),
      matchedOn: r.matched_on as SearchHitDto['matchedOn'],
    }));
  }
}
