import { randomUUID } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { Clock } from '../../../common/clock/clock';
import { AuditLog } from '../../audit/audit.repository';
import { contactHash } from '../../notifications/planner/contact-hash';
import { CxErrors } from '../cx.errors';
import { ResendMessageResponseDto } from './cx-shipments.dto';

const RESENDABLE = ['sent', 'delivered', 'undelivered', 'failed', 'dead'];

/**
 * Re-queues a copy of a message that has finished (sent, delivered, undelivered, failed or dead): a new
 * outbox row with the same content, a fresh budget of attempts and its own dedupe key (the original's plus a
 * `:resend:` suffix). A consignee who has since opted out of the channel is not sent it again.
 */
@Injectable()
export class MessageResendService {
  constructor(
    private readonly db: DataSource,
    private readonly audit: AuditLog,
    private readonly clock: Clock,
  ) {}

  async resend(actor: string, shipmentId: string, messageId: string): Promise<ResendMessageResponseDto> {
    return this.db.transaction(async (tx) => {
      const [message]: Array<{ id: string; retailer_id: string; channel: string; recipient: string; audience: string; status: string; dedupe_key: string }> =
        await tx.query(
          `SELECT id, retailer_id, channel, recipient, audience, status, dedupe_key FROM messages WHERE id = $1 AND shipment_id = $2`,
          [messageId, shipmentId],
        );
      if (!message) throw CxErrors.messageNotFound();
      if (!RESENDABLE.includes(message.status)) throw CxErrors.messageNotFinished(message.status);
      if (message.audience === 'consignee' && (message.channel === 'email' || message.channel === 'sms')) {
        const optedOut: unknown[] = await tx.query(
          `SELECT 1 FROM contact_preferences
            WHERE retailer_id = $1 AND channel = $2 AND contact_hash = $3 AND opted_out AND (shipment_id IS NULL OR shipment_id = $4)`,
          [message.retailer_id, message.channel, contactHash(message.channel, message.recipient), shipmentId],
        );
        if (optedOut.length > 0) throw CxErrors.consigneeOptedOut();
      }
      const at = this.clock.now();
      const [copy]: Array<{ id: string }> = await tx.query(
        `INSERT INTO messages (retailer_id, shipment_id, channel, recipient, template, dedupe_key, status, payload, max_attempts,
                               next_attempt_at, audience, milestone, milestone_rank, critical, locale, local_day, journey_event_id,
                               sms_encoding, sms_segments, created_at, updated_at)
         SELECT retailer_id, shipment_id, channel, recipient, template, $2, 'pending', payload, max_attempts,
                $3, audience, milestone, milestone_rank, critical, locale, local_day, journey_event_id,
                sms_encoding, sms_segments, $3, $3
           FROM messages WHERE id = $1
         RETURNING id`,
        [messageId, `${message.dedupe_key}:resend:${randomUUID()}`, at],
      );
      await this.audit.record(tx, {
        actor,
        action: 'message.resent',
        targetType: 'message',
        targetId: messageId,
        retailerId: message.retailer_id,
        before: { messageId, status: message.status },
        after: { messageId: copy.id, status: 'pending', shipmentId },
      });
      return { id: copy.id, resentFrom: messageId, status: 'pending' };
    });
  }
}
