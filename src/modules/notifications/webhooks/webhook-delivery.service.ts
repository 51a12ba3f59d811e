import { Inject, Injectable, Logger } from '@nestjs/common';
import { isUUID } from 'class-validator';
import { randomUUID } from 'node:crypto';
import { performance } from 'node:perf_hooks';
import { Clock } from '../../../common/clock/clock';
import { APP_CONFIG, AppConfig } from '../../../config/app-config';
import { SendResult, WebhookChannel } from '../channels/channel';
import type { ClaimedMessage } from '../dispatch/message.repository';
import { RETRY_POLICY } from '../dispatch/retry-policy';
import { WebhookMessagePayload, webhookPingBody } from './webhook-event';
import { WebhookEndpointRepository, WebhookEndpointRow } from './webhook-endpoint.repository';
import { WebhookEndpointsService } from './webhook-endpoints.service';

export interface PingResult {
  delivered: boolean;
  webhookId: string;
  /** The receiver's HTTP status when it answered outside 2xx. */
  statusCode: number | null;
  /** Why it was not delivered: HTTP_<status>, TIMEOUT or NETWORK. */
  code: string | null;
  durationMs: number;
}

const DAY_MS = 86_400_000;

/**
 * Sends webhook deliveries for the dispatcher: finds the endpoint, opens its current secrets, sends through
 * the WebhookChannel port with the delivery's stable id, and keeps the endpoint's health. An endpoint whose
 * every delivery has failed for WEBHOOK_DISABLE_AFTER_DAYS is disabled, and the retailer is told by email.
 */
@Injectable()
export class WebhookDeliveryService {
  private readonly logger = new Logger('WebhookDelivery');

  constructor(
    private readonly repository: WebhookEndpointRepository,
    private readonly endpoints: WebhookEndpointsService,
    private readonly channel: WebhookChannel,
    private readonly clock: Clock,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  async deliver(message: ClaimedMessage): Promise<SendResult> {
    const payload = message.payload as Partial<WebhookMessagePayload>;
    if (typeof payload.webhookId !== 'string' || typeof payload.body !== 'string') {
      return { status: 'failed', permanent: true, code: 'WEBHOOK_PAYLOAD_INVALID', detail: 'the outbox row has no webhookId or body' };
    }
    const endpoint = isUUID(message.recipient) ? await this.repository.find(message.retailer_id, message.recipient) : undefined;
    if (!endpoint || endpoint.status !== 'enabled') {
      return { status: 'failed', permanent: true, code: 'ENDPOINT_DISABLED', detail: endpoint ? 'the endpoint is disabled' : 'the endpoint no longer exists' };
    }
    let secrets: string[];
    try {
      secrets = this.endpoints.signingSecrets(endpoint, this.clock.now());
    } catch (error) {
      // Our fault, not the receiver's: retried, and not counted against the endpoint's health.
      this.logger.error({ endpointId: endpoint.id, messageId: message.id, error: (error as Error).message }, 'webhook secret could not be opened');
      return { status: 'failed', permanent: false, code: 'SECRET_UNAVAILABLE', detail: 'the signing secret could not be decrypted (check SECRETS_KEY)' };
    }
    const result = await this.channel.send({ url: endpoint.url, deliveryId: payload.webhookId, secrets, body: payload.body });
    const at = this.clock.now();
    if (result.status === 'accepted') await this.repository.recordSuccess(endpoint.id, at);
    else await this.recordFailure(endpoint, at, result.code);
    return result;
  }

  /** Sends a signed `ping` at once, outside the outbox, and says how it went. Allowed on a disabled endpoint, to test it before re-enabling. */
  async ping(retailerId: string, endpointId: string): Promise<PingResult> {
    const endpoint = await this.endpoints.get(retailerId, endpointId);
    const at = this.clock.now();
    const webhookId = `ping_${randomUUID()}`;
    const started = performance.now();
    const result = await this.channel.send({
      url: endpoint.url,
      deliveryId: webhookId,
      secrets: this.endpoints.signingSecrets(endpoint, at),
      body: webhookPingBody({ id: webhookId, endpointId, at }),
    });
    const durationMs = Math.round(performance.now() - started);
    if (result.status === 'accepted') return { delivered: true, webhookId, statusCode: null, code: null, durationMs };
    const http = /^HTTP_(\d{3})$/.exec(result.code);
    return { delivered: false, webhookId, statusCode: http ? Number(http[1]) : null, code: result.code, durationMs };
  }

  private async recordFailure(endpoint: WebhookEndpointRow, at: Date, code: string): Promise<void> {
    const state = await this.repository.recordFailure(endpoint.id, at, code);
    if (!state?.failing_since || state.status !== 'enabled') return;
    const days = this.config.notifications.webhooks.disableAfterDays;
    const cutoff = new Date(at.getTime() - days * DAY_MS);
    if (state.failing_since > cutoff) return;
    const disabled = await this.repository.disableForFailures(endpoint.id, cutoff, at, (e) => disabledNotice(e, days, at));
    if (disabled) {
      this.logger.warn(
        { endpointId: endpoint.id, retailerId: endpoint.retailer_id, failingSince: state.failing_since, code, notified: disabled.notified },
        disabled.notified ? 'webhook endpoint disabled after consecutive failures; retailer notified' : 'webhook endpoint disabled after consecutive failures; no retailer_email to notify',
      );
    }
  }
}

const escapeHtml = (text: string) => text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

/** The email to the retailer; operational and in English, like the API it refers to. */
export function disabledNotice(endpoint: WebhookEndpointRow, days: number, at: Date) {
  const since = endpoint.failing_since ?? at;
  const lines = [
    `Passage disabled your webhook endpoint ${endpoint.url} (id ${endpoint.id}) on ${at.toISOString()}:`,
    `every delivery to it has failed for ${days} days, since ${since.toISOString()} (last error: ${endpoint.last_failure_code ?? 'unknown'}).`,
    '',
    'No events are sent to it while it is disabled. Once the receiver works again (POST /v1/webhook-endpoints/{id}/ping tests it),',
    're-enable it with PATCH /v1/webhook-endpoints/{id} and {"enabled": true}, then replay the deliveries it missed from',
    'GET /v1/webhook-endpoints/{id}/deliveries.',
  ];
  return {
    dedupeKey: `webhook-disabled:${endpoint.id}:${since.toISOString()}`,
    template: 'webhook_endpoint_disabled',
    subject: `Webhook endpoint disabled after ${days} days of failed deliveries`,
    text: lines.join('\n'),
    html: lines.map((line) => (line ? `<p>${escapeHtml(line)}</p>` : '')).join(''),
    maxAttempts: RETRY_POLICY.email.maxAttempts,
  };
}
