import { Injectable } from '@nestjs/common';
import { EntityManager } from 'typeorm';
import { WISMO_PATTERN } from '../metrics/wismo';

/** Statuses after which nothing more is owed to the consignee: the retention clock starts there. */
export const FINAL_STATUSES_SQL = `('delivered', 'returned', 'cancelled', 'lost')`;

export interface ErasureCounts {
  shipments: number;
  messages: number;
  replies: number;
  surveys: number;
}

/**
 * Pseudonymisation, set-based. What identifies a consignee is replaced; what the aggregates need stays:
 * shipments keep their country, city, locale and every status and date; messages keep channel, template,
 * status and times (their recipient, dedupe key, rendered text and provider error text go); replies keep
 * whether they asked "where is my order" (their words and contact hash go); surveys keep their scores (the
 * comment goes); scans keep everything but the carrier's raw payload.
 */
@Injectable()
export class PrivacyRepository {
  /**
   * Shipments of the consignee with this email (any case) or E.164 phone, through the desk's search indexes,
   * locked, with the other contact each one holds (the same person's phone when found by email, and so on).
   */
  shipmentsOf(tx: EntityManager, contact: { email?: string; phone?: string }): Promise<Array<{ id: string; email: string | null; phone: string | null }>> {
    const columns = `id, consignee->>'email' AS email, consignee->>'phone' AS phone`;
    return contact.email
      ? tx.query(`SELECT ${columns} FROM shipments WHERE consignee ? 'email' AND lower(consignee->>'email') = lower($1) FOR UPDATE`, [contact.email])
      : tx.query(`SELECT ${columns} FROM shipments WHERE consignee ? 'phone' AND consignee->>'phone' = $1 FOR UPDATE`, [contact.phone]);
  }

  /**
   * A batch of shipments past their retailer's retention since their final status, locked (SKIP LOCKED: any
   * number of workers), oldest first, through `shipments_retention_idx` per retailer.
   */
  async dueForRetention(tx: EntityManager, now: Date, limit: number): Promise<string[]> {
    const rows: Array<{ id: string }> = await tx.query(
      `SELECT due.id
         FROM retailers r
         CROSS JOIN LATERAL (
           SELECT s.id FROM shipments s
            WHERE s.retailer_id = r.id AND s.status IN ${FINAL_STATUSES_SQL} AND s.pii_erased_at IS NULL
              AND s.status_changed_at < $1::timestamptz - make_interval(days => r.pii_retention_days)
            ORDER BY s.status_changed_at
            LIMIT $2
            FOR UPDATE OF s SKIP LOCKED) due
        LIMIT $2`,
      [now, limit],
    );
    return rows.map((r) => r.id);
  }

  /**
   * Pseudonymises these shipments and everything about their consignee. `contact` also reaches what is not
   * tied to one of them: messages by recipient and replies by contact hash (an erasure on request).
   */
  async pseudonymise(
    tx: EntityManager,
    shipmentIds: string[],
    at: Date,
    contact?: { emails: string[]; phones: string[]; hashes: string[] },
  ): Promise<ErasureCounts> {
    const [{ n: shipments }]: Array<{ n: number }> = await tx.query(
      `WITH erased AS (
         UPDATE shipments s
            SET consignee = jsonb_build_object(
                  'name', 'Erased',
                  'erased', true,
                  'address', jsonb_strip_nulls(jsonb_build_object('lines', jsonb_build_array('Erased'),
                                                                  'city', s.consignee->'address'->'city',
                                                                  'country', s.consignee->'address'->'country')))
                  || CASE WHEN s.consignee ? 'locale' THEN jsonb_build_object('locale', s.consignee->'locale') ELSE '{}'::jsonb END,
                consignee_postcode_key = NULL,
                pii_erased_at = $2,
                updated_at = $2
          WHERE s.id = ANY($1::uuid[])
          RETURNING 1)
       SELECT count(*)::int AS n FROM erased`,
      [shipmentIds, at],
    );
    const [{ n: messages }]: Array<{ n: number }> = await tx.query(
      `WITH erased AS (
         UPDATE messages m
            SET recipient = 'erased',
                dedupe_key = 'erased:' || m.id::text,
                payload = jsonb_build_object('kind', m.payload->'kind', 'erased', true),
                last_error = NULL,
                status = CASE WHEN m.status IN ('pending', 'sending') THEN 'skipped' ELSE m.status END,
                skip_reason = CASE WHEN m.status IN ('pending', 'sending') THEN 'erased' ELSE m.skip_reason END,
                lease_until = NULL,
                updated_at = $2
          WHERE m.audience = 'consignee' AND m.recipient <> 'erased'
            AND (m.shipment_id = ANY($1::uuid[])${contact ? ` OR (m.channel = 'email' AND m.recipient = ANY($3::text[])) OR (m.channel = 'sms' AND m.recipient = ANY($4::text[]))` : ''})
          RETURNING 1)
       SELECT count(*)::int AS n FROM erased`,
      contact ? [shipmentIds, at, contact.emails, contact.phones] : [shipmentIds, at],
    );
    const [{ n: replies }]: Array<{ n: number }> = await tx.query(
      `WITH erased AS (
         UPDATE customer_replies cr
            SET wismo = coalesce(cr.wismo, cr.body ~* $2), body = '[erased]', contact_hash = 'erased'
          WHERE (cr.shipment_id = ANY($1::uuid[])${contact ? ' OR cr.contact_hash = ANY($3::text[])' : ''}) AND cr.contact_hash <> 'erased'
          RETURNING 1)
       SELECT count(*)::int AS n FROM erased`,
      contact ? [shipmentIds, WISMO_PATTERN, contact.hashes] : [shipmentIds, WISMO_PATTERN],
    );
    const [{ n: surveys }]: Array<{ n: number }> = await tx.query(
      `WITH erased AS (UPDATE surveys SET comment = NULL WHERE shipment_id = ANY($1::uuid[]) AND comment IS NOT NULL RETURNING 1)
       SELECT count(*)::int AS n FROM erased`,
      [shipmentIds],
    );
    await tx.query(`UPDATE tracking_events SET raw = NULL WHERE shipment_id = ANY($1::uuid[]) AND raw IS NOT NULL`, [shipmentIds]);
    await tx.query(`UPDATE incident_shipments SET contact_hash = NULL WHERE shipment_id = ANY($1::uuid[]) AND contact_hash IS NOT NULL`, [shipmentIds]);
    return { shipments, messages, replies, surveys };
  }

  async setRetention(tx: EntityManager, retailerId: string, days: number): Promise<{ before: number } | undefined> {
    const rows: Array<{ before: number }> = await tx.query(
      `WITH old AS (SELECT pii_retention_days AS before FROM retailers WHERE id = $1 FOR UPDATE),
            upd AS (UPDATE retailers SET pii_retention_days = $2, updated_at = now() WHERE id = $1)
       SELECT before FROM old`,
      [retailerId, days],
    );
    return rows[0];
  }
}
