import { createHmac } from 'node:crypto';
import { OutboundWebhook, SendResult, WebhookChannel } from './channel';

/** `v1=<hex HMAC-SHA256 of "{timestamp}.{body}">`, one entry per current secret. */
export function webhookSignature(secrets: string[], timestamp: number, body: string): string {
  return secrets.map((secret) => `v1=${createHmac('sha256', secret).update(`${timestamp}.${body}`).digest('hex')}`).join(',');
}

/** Retailer webhooks: an HTTPS POST of JSON, signed, with a delivery id that is stable across retries. */
export class HttpWebhookChannel extends WebhookChannel {
  constructor(
    private readonly timeoutMs = 10_000,
    private readonly now: () => number = () => Date.now(),
  ) {
    super();
  }

  async send(message: OutboundWebhook): Promise<SendResult> {
    const timestamp = Math.floor(this.now() / 1000);
    try {
      const response = await fetch(message.url, {
        method: 'POST',
        headers: {
          'Content-Type': 'application/json',
          'User-Agent': 'Passage-Webhooks/1',
          'Passage-Webhook-Id': message.deliveryId,
          'Passage-Timestamp': String(timestamp),
          'Passage-Signature': webhookSignature(message.secrets, timestamp, message.body),
        },
        body: message.body,
        redirect: 'manual',
        signal: AbortSignal.timeout(this.timeoutMs),
      });
      await response.body?.cancel();
      if (response.status >= 200 && response.status < 300) return { status: 'accepted', providerMessageId: message.deliveryId };
      // 410 Gone says the endpoint is no more; everything else may recover, so it is retried.
      return { status: 'failed', permanent: response.status === 410, code: `HTTP_${response.status}`, detail: `endpoint answered ${response.status}` };
    } catch (error) {
      const name = (error as { name?: string }).name;
      return { status: 'failed', permanent: false, code: name === 'TimeoutError' ? 'TIMEOUT' : 'NETWORK', detail: String((error as Error).message).slice(0, 300) };
    }
  }
}
