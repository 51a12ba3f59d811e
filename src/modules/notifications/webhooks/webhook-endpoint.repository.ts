import { Injectable } from '@nestjs/common';
import { DataSource, EntityManager } from 'typeorm';

export type WebhookEndpointStatus = 'enabled' | 'disabled';
export type WebhookDisabledReason = 'manual' | 'consecutive_failures';

export interface WebhookEndpointRow {
  id: string;
  retailer_id: string;
  url: string;
  description: string | null;
  event_types: string[];
  /** Sealed with the SecretBox under the endpoint id as context; never in clear. */
  secret_sealed: string;
  previous_secret_sealed: string | null;
  previous_secret_expires_at: Date | null;
  status: WebhookEndpointStatus;
  disabled_reason: WebhookDisabledReason | null;
  failing_since: Date | null;
  last_success_at: Date | null;
  last_failure_at: Date | null;
  last_failure_code: string | null;
  created_at: Date;
  updated_at: Date;
}

/** One outbox row of an endpoint, as its delivery log shows it. */
export interface WebhookDeliveryRow {
  id: string;
  shipment_id: string | null;
  template: string;
  dedupe_key: string;
  status: string;
  attempts: number;
  max_attempts: number;
  last_error_code: string | null;
  webhook_id: string | null;
  event_type: string | null;
  replay_of: string | null;
  payload: Record<string, unknown>;
  next_attempt_at: Date;
  created_at: Date;
  sent_at: Date | null;
  updated_at: Date;
  /** created_at in microseconds since the epoch, as text: the exact cursor position. */
  created_us: string;
}

export interface EndpointChanges {
  url?: string;
  description?: string | null;
  eventTypes?: string[];
  enabled?: boolean;
}

const COLUMNS = `id, retailer_id, url, description, event_types, secret_sealed, previous_secret_sealed, previous_secret_expires_at,
  status, disabled_reason, failing_since, last_success_at, last_failure_at, last_failure_code, created_at, updated_at`;

const DELIVERY_COLUMNS = `id, shipment_id, template, dedupe_key, status, attempts, max_attempts, last_error_code,
  payload->>'webhookId' AS webhook_id, coalesce(payload->>'eventType', template) AS event_type, payload->>'replayOf' AS replay_of,
  payload, next_attempt_at, created_at, sent_at, updated_at, (extract(epoch FROM created_at) * 1000000)::bigint::text AS created_us`;

/** Webhook endpoints and their deliveries (outbox rows). Every retailer-facing query is scoped by retailer_id. */
@Injectable()
export class WebhookEndpointRepository {
  constructor(private readonly db: DataSource) {}

  async insert(e: { id: string; retailerId: string; url: string; description: string | null; eventTypes: string[]; secretSealed: string; at: Date }): Promise<WebhookEndpointRow> {
    const [row] = await this.db.query(
      `INSERT INTO webhook_endpoints (id, retailer_id, url, description, event_types, secret_sealed, created_at, updated_at)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $7) RETURNING ${COLUMNS}`,
      [e.id, e.retailerId, e.url, e.description, e.eventTypes, e.secretSealed, e.at],
    );
    return row;
  }

  list(retailerId: string): Promise<WebhookEndpointRow[]> {
    return this.db.query(`SELECT ${COLUMNS} FROM webhook_endpoints WHERE retailer_id = $1 ORDER BY created_at, id`, [retailerId]);
  }

  async find(retailerId: string, id: string): Promise<WebhookEndpointRow | undefined> {
    const rows: WebhookEndpointRow[] = await this.db.query(`SELECT ${COLUMNS} FROM webhook_endpoints WHERE retailer_id = $1 AND id = $2`, [retailerId, id]);
    return rows[0];
  }

  /** Enabled endpoints of the retailer subscribed to the type, or to everything; in the caller's transaction. */
  subscribed(tx: EntityManager, retailerId: string, eventType: string): Promise<Array<{ id: string }>> {
    return tx.query(
      `SELECT id FROM webhook_endpoints
        WHERE retailer_id = $1 AND status = 'enabled' AND event_types && ARRAY[$2, '*']::text[]
        ORDER BY created_at, id`,
      [retailerId, eventType],
    );
  }

  /**
   * Applies a retailer's changes. Re-enabling a disabled endpoint clears its failure state, so the days
   * towards the next automatic disable count afresh; disabling by hand keeps an automatic reason if there was one.
   */
  async update(retailerId: string, id: string, changes: EndpointChanges, at: Date): Promise<WebhookEndpointRow | undefined> {
    const sets: string[] = [];
    const params: unknown[] = [retailerId, id, at];
    const set = (sql: (placeholder: string) => string, value: unknown) => {
      params.push(value);
      sets.push(sql(`$${params.length}`));
    };
    if (changes.url !== undefined) set((p) => `url = ${p}`, changes.url);
    if (changes.description !== undefined) set((p) => `description = ${p}`, changes.description);
    if (changes.eventTypes !== undefined) set((p) => `event_types = ${p}`, changes.eventTypes);
    if (changes.enabled === true) {
      sets.push(`failing_since = CASE WHEN status = 'disabled' THEN NULL ELSE failing_since END`, `status = 'enabled'`, `disabled_reason = NULL`);
    } else if (changes.enabled === false) {
      sets.push(`status = 'disabled'`, `disabled_reason = CASE WHEN status = 'disabled' THEN disabled_reason ELSE 'manual' END`);
    }
    const rows: WebhookEndpointRow[] = await this.db.query(
      `WITH u AS (UPDATE webhook_endpoints SET ${[...sets, 'updated_at = $3'].join(', ')} WHERE retailer_id = $1 AND id = $2 RETURNING ${COLUMNS})
       SELECT * FROM u`,
      params,
    );
    return rows[0];
  }

  /** Deletes an endpoint; its deliveries still waiting are skipped, and the log of the others stays in the outbox. */
  async delete(retailerId: string, id: string, at: Date): Promise<boolean> {
    const [{ n }]: { n: number }[] = await this.db.query(
      `WITH gone AS (DELETE FROM webhook_endpoints WHERE retailer_id = $1 AND id = $2 RETURNING id),
            skipped AS (
              UPDATE messages SET status = 'skipped', skip_reason = 'endpoint_deleted', updated_at = $3
               WHERE retailer_id = $1 AND channel = 'webhook' AND recipient = $2::text AND status = 'pending'
                 AND EXISTS (SELECT 1 FROM gone)
               RETURNING 1)
       SELECT (SELECT count(*) FROM gone)::int AS n`,
      [retailerId, id, at],
    );
    return n === 1;
  }

  /** The current secret becomes the previous one until `previousExpiresAt`; an older previous one is dropped. */
  async rotate(retailerId: string, id: string, secretSealed: string, previousExpiresAt: Date, at: Date): Promise<WebhookEndpointRow | undefined> {
    const rows: WebhookEndpointRow[] = await this.db.query(
      `WITH u AS (
         UPDATE webhook_endpoints
            SET previous_secret_sealed = secret_sealed, previous_secret_expires_at = $4, secret_sealed = $3, updated_at = $5
          WHERE retailer_id = $1 AND id = $2 RETURNING ${COLUMNS})
       SELECT * FROM u`,
      [retailerId, id, secretSealed, previousExpiresAt, at],
    );
    return rows[0];
  }

  async recordSuccess(id: string, at: Date): Promise<void> {
    await this.db.query(
      `UPDATE webhook_endpoints SET last_success_at = GREATEST(last_success_at, $2), failing_since = NULL WHERE id = $1`,
      [id, at],
    );
  }

  /** Records a failed delivery; the first failure after a success starts the failing streak. */
  async recordFailure(id: string, at: Date, code: string): Promise<Pick<WebhookEndpointRow, 'status' | 'failing_since'> | undefined> {
    const rows = await this.db.query(
      `WITH u AS (
         UPDATE webhook_endpoints
            SET failing_since = COALESCE(failing_since, $2), last_failure_at = GREATEST(last_failure_at, $2), last_failure_code = $3
          WHERE id = $1 RETURNING status, failing_since)
       SELECT * FROM u`,
      [id, at, code],
    );
    return rows[0];
  }

  /**
   * Disables an endpoint that has been failing since `failingSinceAtOrBefore` or earlier, and in the same
   * transaction queues the notice to the retailer's notification address (the `retailer_email` of its
   * notification settings), when it has one. Only one caller wins; the others get `undefined`.
   */
  async disableForFailures(
    id: string,
    failingSinceAtOrBefore: Date,
    at: Date,
    notice: (endpoint: WebhookEndpointRow) => { dedupeKey: string; template: string; subject: string; text: string; html: string; maxAttempts: number },
  ): Promise<{ endpoint: WebhookEndpointRow; notified: boolean } | undefined> {
    return this.db.transaction(async (tx) => {
      const rows: WebhookEndpointRow[] = await tx.query(
        `WITH d AS (
           UPDATE webhook_endpoints SET status = 'disabled', disabled_reason = 'consecutive_failures', updated_at = $3
            WHERE id = $1 AND status = 'enabled' AND failing_since <= $2 RETURNING ${COLUMNS})
         SELECT * FROM d`,
        [id, failingSinceAtOrBefore, at],
      );
      const endpoint = rows[0];
      if (!endpoint) return undefined;
      const contacts: { retailer_email: string | null }[] = await tx.query(
        `SELECT retailer_email FROM retailer_notification_settings WHERE retailer_id = $1`,
        [endpoint.retailer_id],
      );
      const to = contacts[0]?.retailer_email;
      if (!to) return { endpoint, notified: false };
      const m = notice(endpoint);
      await tx.query(
        `INSERT INTO messages (retailer_id, shipment_id, channel, recipient, template, dedupe_key, payload, max_attempts, next_attempt_at, audience)
         VALUES ($1, NULL, 'email', $2, $3, $4, $5, $6, $7, 'retailer') ON CONFLICT (dedupe_key) DO NOTHING`,
        [endpoint.retailer_id, to, m.template, m.dedupeKey, JSON.stringify({ subject: m.subject, text: m.text, html: m.html }), m.maxAttempts, at],
      );
      return { endpoint, notified: true };
    });
  }

  /** An endpoint's deliveries, newest first, after the cursor position when given. */
  deliveries(retailerId: string, endpointId: string, after: { createdUs: string; id: string } | undefined, limit: number): Promise<WebhookDeliveryRow[]> {
    return this.db.query(
      `SELECT ${DELIVERY_COLUMNS} FROM messages
        WHERE retailer_id = $1 AND channel = 'webhook' AND recipient = $2
          AND ($3::bigint IS NULL OR (created_at, id) < ('epoch'::timestamptz + $3::bigint * interval '1 microsecond', $4::uuid))
        ORDER BY created_at DESC, id DESC
        LIMIT $5`,
      [retailerId, endpointId, after?.createdUs ?? null, after?.id ?? null, limit],
    );
  }

  async findDelivery(retailerId: string, endpointId: string, messageId: string): Promise<WebhookDeliveryRow | undefined> {
    const rows: WebhookDeliveryRow[] = await this.db.query(
      `SELECT ${DELIVERY_COLUMNS} FROM messages WHERE retailer_id = $1 AND channel = 'webhook' AND recipient = $2 AND id = $3`,
      [retailerId, endpointId, messageId],
    );
    return rows[0];
  }

  /** Queues a copy of a delivery, due at once; `undefined` when the dedupe key is taken (a concurrent replay). */
  async insertReplay(
    original: WebhookDeliveryRow,
    r: { retailerId: string; endpointId: string; dedupeKey: string; payload: object; maxAttempts: number; at: Date },
  ): Promise<WebhookDeliveryRow | undefined> {
    const rows: WebhookDeliveryRow[] = await this.db.query(
      `WITH ins AS (
         INSERT INTO messages (retailer_id, shipment_id, channel, recipient, template, dedupe_key, payload, max_attempts, next_attempt_at, audience)
         VALUES ($1, $2, 'webhook', $3, $4, $5, $6, $7, $8, 'webhook')
         ON CONFLICT (dedupe_key) DO NOTHING
         RETURNING *)
       SELECT ${DELIVERY_COLUMNS} FROM ins`,
      [r.retailerId, original.shipment_id, r.endpointId, original.template, r.dedupeKey, JSON.stringify(r.payload), r.maxAttempts, r.at],
    );
    return rows[0];
  }

  /** How many replays of a delivery exist: the next one's number follows. */
  async replayCount(retailerId: string, rootDedupeKey: string): Promise<number> {
    const [{ n }]: { n: number }[] = await this.db.query(
      `SELECT count(*)::int AS n FROM messages WHERE retailer_id = $1 AND channel = 'webhook' AND starts_with(dedupe_key, $2)`,
      [retailerId, `${rootDedupeKey}:replay:`],
    );
    return n;
  }
}
