import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { Clock } from '../../../common/clock/clock';
import { ExceptionsService } from '../../cx/exceptions/exceptions.service';

/** SQL form of `contactHash` (planner/contact-hash.ts), to find pending messages to an opted-out contact. */
const HASH_SQL = `encode(sha256(convert_to(CASE WHEN m.channel = 'email' THEN 'email:' || lower(trim(m.recipient))
                   ELSE 'sms:' || regexp_replace(m.recipient, '[^0-9+]', '', 'g') END, 'UTF8')), 'hex')`;

/** Consent as the consignee expresses it: STOP and START by SMS, the unsubscribe link by email. */
@Injectable()
export class PreferencesRepository {
  constructor(
    private readonly db: DataSource,
    private readonly exceptions: ExceptionsService,
    private readonly clock: Clock,
  ) {}

  /**
   * Records an opt-out (or a renewed opt-in) for a retailer's messages to a contact, and an opt-out takes
   * effect at once: messages to that contact still waiting in the outbox are skipped.
   */
  async set(p: { retailerIds: string[]; channel: 'email' | 'sms'; contactHash: string; optedOut: boolean; source: string }): Promise<number> {
    if (p.retailerIds.length === 0) return 0;
    return this.db.transaction(async (tx) => {
      await tx.query(
        `INSERT INTO contact_preferences (retailer_id, channel, contact_hash, shipment_id, opted_out, source)
         SELECT r, $2, $3, NULL, $4, $5 FROM unnest($1::uuid[]) AS r
         ON CONFLICT (retailer_id, channel, contact_hash, coalesce(shipment_id, '00000000-0000-0000-0000-000000000000'))
         DO UPDATE SET opted_out = EXCLUDED.opted_out, source = EXCLUDED.source, updated_at = now()`,
        [p.retailerIds, p.channel, p.contactHash, p.optedOut, p.source],
      );
      if (!p.optedOut) return 0;
      const [{ n }]: Array<{ n: number }> = await tx.query(
        `WITH s AS (
           UPDATE messages m SET status = 'skipped', skip_reason = 'opted_out', updated_at = now()
            WHERE m.status = 'pending' AND m.audience = 'consignee' AND m.channel = $2 AND m.retailer_id = ANY($1::uuid[])
              AND ${HASH_SQL} = $3
            RETURNING 1)
         -- A bare UPDATE … RETURNING comes back from TypeORM as [rows, count]; counting over a CTE returns rows.
         SELECT count(*)::int AS n FROM s`,
        [p.retailerIds, p.channel, p.contactHash],
      );
      return n;
    });
  }

  /** Who has texted this number, latest first: the retailers (and the shipment) an inbound SMS is about. */
  async smsSenders(phone: string): Promise<Array<{ retailer_id: string; shipment_id: string | null }>> {
    return this.db.query(
      `SELECT DISTINCT ON (retailer_id) retailer_id, shipment_id FROM messages
        WHERE channel = 'sms' AND recipient = $1 ORDER BY retailer_id, created_at DESC`,
      [phone],
    );
  }

  /** Stores the reply and, when it is about a shipment, opens a `customer_reply` exception on it for the CX desk. */
  async storeReply(r: { retailerId: string; shipmentId: string | null; channel: 'sms'; contactHash: string; body: string; providerMessageId: string | null }): Promise<void> {
    const at = this.clock.now();
    await this.db.transaction(async (tx) => {
      const [{ id }]: Array<{ id: string }> = await tx.query(
        `INSERT INTO customer_replies (retailer_id, shipment_id, channel, contact_hash, body, provider_message_id, received_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING id`,
        [r.retailerId, r.shipmentId, r.channel, r.contactHash, r.body, r.providerMessageId, at],
      );
      if (!r.shipmentId) return;
      // The reply's text stays in customer_replies; the exception only points at it.
      await this.exceptions.open(tx, {
        shipmentId: r.shipmentId,
        retailerId: r.retailerId,
        type: 'customer_reply',
        source: 'inbound',
        occurrenceKey: `customer_reply:${id}`,
        note: `The consignee replied by ${r.channel} (reply ${id}).`,
        actor: 'inbound',
        at,
      });
    });
  }
}
