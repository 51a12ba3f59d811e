import { Inject, Injectable } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import { EntityManager } from 'typeorm';
import { Clock } from '../../../common/clock/clock';
import { generateSecret } from '../../../common/crypto/secrets';
import { SecretBox } from '../../../common/secrets/secret-box';
import { APP_CONFIG, AppConfig } from '../../../config/app-config';
import { RETRY_POLICY } from '../dispatch/retry-policy';
import { WebhookMessagePayload } from './webhook-event';
import { EndpointChanges, WebhookDeliveryRow, WebhookEndpointRepository, WebhookEndpointRow } from './webhook-endpoint.repository';
import { webhookUrlIssue } from './webhook-url';
import { WebhookErrors } from './webhooks.errors';

export { webhookEventBody } from './webhook-event';
export type { WebhookEvent, WebhookMessagePayload, WebhookShipmentSummary } from './webhook-event';

export const WEBHOOK_SECRET_PREFIX = 'whsec_';

/**
 * Retailer webhook endpoints: registration, secrets (sealed at rest, shown once), rotation with an overlap,
 * the delivery log and replays. The planner asks `endpointsFor` which endpoints an event goes to.
 */
@Injectable()
export class WebhookEndpointsService {
  constructor(
    private readonly endpoints: WebhookEndpointRepository,
    private readonly box: SecretBox,
    private readonly clock: Clock,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  /** Enabled endpoints of the retailer subscribed to `eventType` (or to `*`), read in the planner's transaction. */
  endpointsFor(tx: EntityManager, retailerId: string, eventType: string): Promise<Array<{ id: string }>> {
    return this.endpoints.subscribed(tx, retailerId, eventType);
  }

  async create(retailerId: string, input: { url: string; description?: string | null; eventTypes: string[] }): Promise<{ endpoint: WebhookEndpointRow; secret: string }> {
    this.assertUrl(input.url);
    const id = randomUUID();
    const secret = generateSecret(WEBHOOK_SECRET_PREFIX);
    const endpoint = await this.endpoints.insert({
      id,
      retailerId,
      url: input.url,
      description: input.description ?? null,
      eventTypes: unique(input.eventTypes),
      secretSealed: this.box.seal(secret, sealContext(id)),
      at: this.clock.now(),
    });
    return { endpoint, secret };
  }

  list(retailerId: string): Promise<WebhookEndpointRow[]> {
    return this.endpoints.list(retailerId);
  }

  async get(retailerId: string, id: string): Promise<WebhookEndpointRow> {
    const endpoint = await this.endpoints.find(retailerId, id);
    if (!endpoint) throw WebhookErrors.endpointNotFound();
    return endpoint;
  }

  async update(retailerId: string, id: string, changes: EndpointChanges): Promise<WebhookEndpointRow> {
    if (changes.url !== undefined) this.assertUrl(changes.url);
    const endpoint = await this.endpoints.update(
      retailerId,
      id,
      { ...changes, eventTypes: changes.eventTypes && unique(changes.eventTypes) },
      this.clock.now(),
    );
    if (!endpoint) throw WebhookErrors.endpointNotFound();
    return endpoint;
  }

  async remove(retailerId: string, id: string): Promise<void> {
    if (!(await this.endpoints.delete(retailerId, id, this.clock.now()))) throw WebhookErrors.endpointNotFound();
  }

  /** A new secret, shown once; the previous one keeps signing beside it for the configured overlap. */
  async rotateSecret(retailerId: string, id: string): Promise<{ endpoint: WebhookEndpointRow; secret: string }> {
    const now = this.clock.now();
    const secret = generateSecret(WEBHOOK_SECRET_PREFIX);
    const expiresAt = new Date(now.getTime() + this.config.notifications.webhooks.secretOverlapHours * 3_600_000);
    const endpoint = await this.endpoints.rotate(retailerId, id, this.box.seal(secret, sealContext(id)), expiresAt, now);
    if (!endpoint) throw WebhookErrors.endpointNotFound();
    return { endpoint, secret };
  }

  /** The secrets that sign a delivery now: the current one, and the previous one until it expires. */
  signingSecrets(endpoint: WebhookEndpointRow, now: Date): string[] {
    const secrets = [this.box.open(endpoint.secret_sealed, sealContext(endpoint.id))];
    if (endpoint.previous_secret_sealed && endpoint.previous_secret_expires_at && endpoint.previous_secret_expires_at > now) {
      secrets.push(this.box.open(endpoint.previous_secret_sealed, sealContext(endpoint.id)));
    }
    return secrets;
  }

  async deliveries(retailerId: string, id: string, page: { cursor?: string; limit: number }): Promise<{ rows: WebhookDeliveryRow[]; nextCursor: string | null }> {
    await this.get(retailerId, id);
    const rows = await this.endpoints.deliveries(retailerId, id, page.cursor ? decodeCursor(page.cursor) : undefined, page.limit + 1);
    const shown = rows.slice(0, page.limit);
    const last = shown[shown.length - 1];
    return { rows: shown, nextCursor: rows.length > page.limit && last ? encodeCursor(last) : null };
  }

  /**
   * Sends a delivery again: a new outbox row, due now, with the same body and Passage-Webhook-Id as the
   * original so receivers dedupe it; its dedupe key is the original's plus a replay number.
   */
  async replay(retailerId: string, id: string, messageId: string): Promise<WebhookDeliveryRow> {
    const endpoint = await this.get(retailerId, id);
    const original = await this.endpoints.findDelivery(retailerId, id, messageId);
    if (!original) throw WebhookErrors.deliveryNotFound();
    if (endpoint.status !== 'enabled') throw WebhookErrors.endpointDisabled();
    const payload = original.payload as unknown as WebhookMessagePayload;
    const rootKey = original.dedupe_key.replace(/:replay:\d+$/, '');
    const rootId = payload.replayOf ?? original.id;
    // A concurrent replay may take the number we counted: count again and take the next.
    for (let tries = 0; tries < 5; tries += 1) {
      const n = (await this.endpoints.replayCount(retailerId, rootKey)) + 1;
      const copy = await this.endpoints.insertReplay(original, {
        retailerId,
        endpointId: id,
        dedupeKey: `${rootKey}:replay:${n}`,
        payload: { ...payload, replayOf: rootId } satisfies WebhookMessagePayload,
        maxAttempts: RETRY_POLICY.webhook.maxAttempts,
        at: this.clock.now(),
      });
      if (copy) return copy;
    }
    throw new Error('could not number the replay after 5 tries');
  }

  private assertUrl(url: string): void {
    const issue = webhookUrlIssue(url, this.config.env);
    if (issue) throw WebhookErrors.invalidUrl(issue);
  }
}

/** Binds a sealed secret to its endpoint: swapped between rows, it no longer opens. */
function sealContext(endpointId: string): string {
  return `webhook_endpoint:${endpointId}`;
}

function unique(values: string[]): string[] {
  return [...new Set(values)];
}

function encodeCursor(row: WebhookDeliveryRow): string {
  return Buffer.from(JSON.stringify([row.created_us, row.id])).toString('base64url');
}

function decodeCursor(cursor: string): { createdUs: string; id: string } {
  try {
    const [createdUs, id] = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8')) as [unknown, unknown];
    if (typeof createdUs !== 'string' || !/^\d{1,18}$/.test(createdUs) || typeof id !== 'string' || !/^[0-9a-f-]{36}$/.test(id)) throw new Error('bad cursor');
    return { createdUs, id };
  } catch {
    throw WebhookErrors.invalidCursor();
  }
}
