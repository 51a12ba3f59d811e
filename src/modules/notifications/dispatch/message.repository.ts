import { Injectable } from '@nestjs/common';
import { DataSource, EntityManager } from 'typeorm';

export type MessageChannel = 'email' | 'sms' | 'webhook';

export interface ClaimedMessage {
  id: string;
  retailer_id: string;
  shipment_id: string | null;
  channel: MessageChannel;
  recipient: string;
  template: string;
  payload: Record<string, unknown>;
  attempts: number;
  max_attempts: number;
  lease_until: Date;
}

export interface MessageRow {
  id: string;
  channel: MessageChannel;
  recipient: string;
  template: string;
  status: string;
  skip_reason: string | null;
  audience: string;
  locale: string | null;
  deferred_reason: string | null;
  next_attempt_at: Date;
  sms_encoding: string | null;
  sms_segments: number | null;
  status_history: Array<{ status: string; at: string; code?: string | null }>;
  attempts: number;
  provider_message_id: string | null;
  last_error_code: string | null;
  created_at: Date;
  sent_at: Date | null;
  updated_at: Date;
}

export type Outcome =
  | { status: 'sent'; providerMessageId: string; at: Date }
  | { status: 'pending'; nextAttemptAt: Date; code: string; detail: string; at: Date }
  | { status: 'dead'; code: string; detail: string; at: Date };

export interface NewMessage {
  retailerId: string;
  shipmentId: string | null;
  channel: MessageChannel;
  recipient: string;
  template: string;
  dedupeKey: string;
  payload: object;
  maxAttempts: number;
  nextAttemptAt?: Date;
}

/**
 * Channel fallback: an SMS the planner gave a `fallback` email (the retailer turned email off for that
 * milestone) is followed by that email once it is dead, undelivered or failed. Written in the statement that
 * records the failure, so a crash cannot lose it; the dedupe key makes it happen once.
 */
const FALLBACK_SOURCE = `m.id, m.retailer_id, m.shipment_id, m.channel, m.template, m.payload, m.dedupe_key, m.milestone, m.milestone_rank, m.locale, m.status`;
const FALLBACK_INSERT = `, fallback AS (
         INSERT INTO messages (retailer_id, shipment_id, channel, recipient, template, dedupe_key, payload, max_attempts,
                               next_attempt_at, audience, milestone, milestone_rank, locale)
         SELECT retailer_id, shipment_id, 'email', payload->'fallback'->>'to', template, dedupe_key || ':email-fallback',
                payload->'fallback'->'email', 6, now(), 'consignee', milestone, milestone_rank, payload->'fallback'->>'locale'
           FROM done WHERE channel = 'sms' AND status IN ('dead', 'undelivered', 'failed') AND payload ? 'fallback'
         ON CONFLICT (dedupe_key) DO NOTHING)`;

/** The message outbox. Claims use FOR UPDATE SKIP LOCKED, so any number of dispatchers never share a row. */
@Injectable()
export class MessageRepository {
  constructor(private readonly db: DataSource) {}

  /** Enqueues messages; a dedupe key already present is skipped. Returns how many were new. */
  async enqueue(messages: NewMessage[]): Promise<number> {
    if (messages.length === 0) return 0;
    const [{ n }]: { n: number }[] = await this.db.query(
      `WITH ins AS (
         INSERT INTO messages (retailer_id, shipment_id, channel, recipient, template, dedupe_key, payload, max_attempts, next_attempt_at)
         SELECT * FROM unnest($1::uuid[], $2::uuid[], $3::text[], $4::text[], $5::text[], $6::text[], $7::jsonb[], $8::int[], $9::timestamptz[])
         ON CONFLICT (dedupe_key) DO NOTHING RETURNING 1)
       SELECT count(*)::int AS n FROM ins`,
      [
        messages.map((m) => m.retailerId),
        messages.map((m) => m.shipmentId),
        messages.map((m) => m.channel),
        messages.map((m) => m.recipient),
        messages.map((m) => m.template),
        messages.map((m) => m.dedupeKey),
        messages.map((m) => JSON.stringify(m.payload)),
        messages.map((m) => m.maxAttempts),
        messages.map((m) => m.nextAttemptAt ?? new Date(0)),
      ],
    );
    return n;
  }

  /**
   * Claims up to `limit` due messages under a lease: pending ones whose time has come, and ones whose
   * sender's lease ran out (a crashed dispatcher), which are then sent again.
   */
  async claim(limit: number, now: Date, leaseMs: number): Promise<ClaimedMessage[]> {
    return this.db.query(
      `WITH due AS (
         SELECT id FROM messages WHERE status = 'pending' AND next_attempt_at <= $2
          ORDER BY next_attempt_at LIMIT $1 FOR UPDATE SKIP LOCKED
       ), expired AS (
         SELECT id FROM messages WHERE status = 'sending' AND lease_until < $2
          ORDER BY lease_until LIMIT $1 FOR UPDATE SKIP LOCKED
       ), claimed AS (
         UPDATE messages m
            SET status = 'sending', lease_until = $3, attempts = m.attempts + 1, updated_at = $2
          WHERE m.id IN (SELECT id FROM due UNION ALL SELECT id FROM expired)
          RETURNING m.id, m.retailer_id, m.shipment_id, m.channel, m.recipient, m.template, m.payload,
                    m.attempts, m.max_attempts, m.lease_until)
       -- Selected from a CTE so the driver returns plain rows (TypeORM returns [rows, count] for a bare UPDATE).
       SELECT * FROM claimed`,
      [limit, now, new Date(now.getTime() + leaseMs)],
    );
  }

  /** Records an outcome, only while this dispatcher still holds the lease it claimed the message with. */
  async complete(message: ClaimedMessage, outcome: Outcome): Promise<boolean> {
    return (await this.completeMany([{ message, outcome }])).has(message.id);
  }

  /**
   * Records many outcomes in one statement (the dispatcher groups those that finish together), each only
   * while its dispatcher still holds the lease. Returns the ids whose outcome was kept.
   */
  async completeMany(items: Array<{ message: ClaimedMessage; outcome: Outcome }>): Promise<Set<string>> {
    if (items.length === 0) return new Set();
    const rows: Array<{ id: string }> = await this.db.query(
      `WITH x AS (
         SELECT * FROM jsonb_to_recordset($1::jsonb)
           AS r(id uuid, lease timestamptz, status text, at timestamptz, provider text, next_at timestamptz, code text, detail text)
       ), done AS (
         UPDATE messages m
            SET status = x.status, lease_until = NULL, updated_at = x.at,
                provider_message_id = COALESCE(x.provider, m.provider_message_id),
                sent_at = CASE WHEN x.status = 'sent' THEN x.at ELSE m.sent_at END,
                next_attempt_at = COALESCE(x.next_at, m.next_attempt_at),
                last_error_code = x.code, last_error = x.detail,
                status_history = m.status_history || jsonb_build_array(jsonb_build_object('status', x.status, 'at', x.at, 'code', x.code))
           FROM x
          WHERE m.id = x.id AND m.status = 'sending' AND m.lease_until = x.lease
          RETURNING ${FALLBACK_SOURCE})
       ${FALLBACK_INSERT}
       SELECT id FROM done`,
      [
        JSON.stringify(
          items.map(({ message, outcome }) => ({
            id: message.id,
            lease: new Date(message.lease_until).toISOString(),
            status: outcome.status,
            at: outcome.at.toISOString(),
            provider: outcome.status === 'sent' ? outcome.providerMessageId : null,
            next_at: outcome.status === 'pending' ? outcome.nextAttemptAt.toISOString() : null,
            code: outcome.status === 'sent' ? null : outcome.code,
            detail: outcome.status === 'sent' ? null : outcome.detail,
          })),
        ),
      ],
    );
    return new Set(rows.map((r) => r.id));
  }

  /**
   * Applies a provider's delivery report to the message it sent. Reports may arrive out of order: a status
   * only replaces one of lower rank (sent < delivered, undelivered, failed), so "sent" never follows "delivered".
   */
  async recordDeliveryStatus(channel: MessageChannel, providerMessageId: string, status: 'sent' | 'delivered' | 'undelivered' | 'failed', at: Date): Promise<boolean> {
    const rows: unknown[] = await this.db.query(
      `WITH done AS (
         UPDATE messages m
            SET status = $3, updated_at = $4,
                status_history = m.status_history || jsonb_build_array(jsonb_build_object('status', $3::text, 'at', $4::timestamptz))
          WHERE channel = $1 AND provider_message_id = $2
            AND (CASE status WHEN 'sent' THEN 1 WHEN 'delivered' THEN 2 WHEN 'undelivered' THEN 2 WHEN 'failed' THEN 2 ELSE 3 END)
              < (CASE $3 WHEN 'sent' THEN 1 ELSE 2 END)
          RETURNING ${FALLBACK_SOURCE})
       ${FALLBACK_INSERT}
       SELECT 1 FROM done`,
      [channel, providerMessageId, status, at],
    );
    return rows.length > 0;
  }

  /** A retailer's messages for one of its shipments, oldest first. */
  listForShipment(retailerId: string, shipmentId: string): Promise<MessageRow[]> {
    return this.db.query(
      `SELECT id, channel, recipient, template, status, skip_reason, audience, locale, deferred_reason, next_attempt_at,
              sms_encoding, sms_segments, status_history, attempts, provider_message_id, last_error_code,
              created_at, sent_at, updated_at
         FROM messages WHERE retailer_id = $1 AND shipment_id = $2 ORDER BY created_at, id`,
      [retailerId, shipmentId],
    );
  }

  /** The message's state, locked for the rest of the transaction (an operator's change to it is audited). */
  async lockState(tx: EntityManager, id: string): Promise<{ status: string; attempts: number; retailer_id: string } | undefined> {
    const rows: { status: string; attempts: number; retailer_id: string }[] = await tx.query(
      `SELECT status, attempts, retailer_id FROM messages WHERE id = $1 FOR UPDATE`,
      [id],
    );
    return rows[0];
  }

  /** Puts a dead message back in the queue with a fresh budget of attempts (in the caller's transaction when given). */
  async redrive(id: string, now: Date, tx?: EntityManager): Promise<boolean> {
    const rows: unknown[] = await (tx ?? this.db.manager).query(
      `WITH r AS (UPDATE messages SET status = 'pending', attempts = 0, next_attempt_at = $2, updated_at = $2
                   WHERE id = $1 AND status = 'dead' RETURNING 1) SELECT 1 FROM r`,
      [id, now],
    );
    return rows.length === 1;
  }
}
