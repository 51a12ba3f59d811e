import { createHmac } from 'node:crypto';
import { lookup as dnsLookup, LookupAddress, LookupOptions } from 'node:dns';
import { request as httpRequest } from 'node:http';
import { request as httpsRequest } from 'node:https';
import { isIP } from 'node:net';
import { isPublicAddress } from '../webhooks/webhook-url';
import { OutboundWebhook, SendResult, WebhookChannel } from './channel';

/** `v1=<hex HMAC-SHA256 of "{timestamp}.{body}">`, one entry per current secret. */
export function webhookSignature(secrets: string[], timestamp: number, body: string): string {
  return secrets.map((secret) => `v1=${createHmac('sha256', secret).update(`${timestamp}.${body}`).digest('hex')}`).join(',');
}

type LookupCallback = (error: NodeJS.ErrnoException | null, address: string | LookupAddress[], family?: number) => void;

/**
 * A DNS lookup that refuses non-public addresses. It runs for the connection itself, so a name that resolves
 * (or is re-pointed after registration) to a loopback, private or link-local address never gets a request.
 */
function publicOnlyLookup(hostname: string, options: LookupOptions, callback: LookupCallback): void {
  dnsLookup(hostname, { ...options, all: true }, (error, addresses) => {
    if (error) return callback(error, []);
    const allowed = addresses.filter((a) => isPublicAddress(a.address));
    if (allowed.length === 0) {
      return callback(Object.assign(new Error(`${hostname} resolves to no public address`), { code: 'ENOTPUBLIC' }), []);
    }
    if (options.all) return callback(null, allowed);
    callback(null, allowed[0].address, allowed[0].family);
  });
}

export interface HttpWebhookChannelOptions {
  timeoutMs?: number;
  now?: () => number;
  /** Refuse to connect to non-public addresses (production). */
  publicOnly?: boolean;
}

/** Retailer webhooks: an HTTPS POST of JSON, signed, with a delivery id that is stable across retries. */
export class HttpWebhookChannel extends WebhookChannel {
  private readonly timeoutMs: number;
  private readonly now: () => number;
  private readonly publicOnly: boolean;

  constructor(options: HttpWebhookChannelOptions = {}) {
    super();
    this.timeoutMs = options.timeoutMs ?? 10_000;
    this.now = options.now ?? (() => Date.now());
    this.publicOnly = options.publicOnly ?? false;
  }

  async send(message: OutboundWebhook): Promise<SendResult> {
    const timestamp = Math.floor(this.now() / 1000);
    try {
      const status = await this.post(message, {
        'Content-Type': 'application/json',
        'User-Agent': 'Passage-Webhooks/1',
        'Passage-Webhook-Id': message.deliveryId,
        'Passage-Timestamp': String(timestamp),
        'Passage-Signature': webhookSignature(message.secrets, timestamp, message.body),
      });
      if (status >= 200 && status < 300) return { status: 'accepted', providerMessageId: message.deliveryId };
      // 410 Gone says the endpoint is no more; everything else may recover, so it is retried.
      return { status: 'failed', permanent: status === 410, code: `HTTP_${status}`, detail: `endpoint answered ${status}` };
    } catch (error) {
      const e = error as { name?: string; code?: string; message?: string };
      if (e.code === 'ENOTPUBLIC') return { status: 'failed', permanent: true, code: 'ENDPOINT_NOT_PUBLIC', detail: String(e.message).slice(0, 300) };
      return { status: 'failed', permanent: false, code: e.name === 'TimeoutError' ? 'TIMEOUT' : 'NETWORK', detail: String(e.message ?? error).slice(0, 300) };
    }
  }

  /** POSTs the body and answers the status code; redirects are not followed, the response body is discarded. */
  private post(message: OutboundWebhook, headers: Record<string, string>): Promise<number> {
    const url = new URL(message.url);
    const request = url.protocol === 'https:' ? httpsRequest : httpRequest;
    return new Promise<number>((resolve, reject) => {
      // An address written literally is connected to without a lookup, so it is checked here.
      const literal = url.hostname.replace(/^\[|\]$/g, '');
      if (this.publicOnly && isIP(literal) && !isPublicAddress(literal)) {
        return reject(Object.assign(new Error(`${literal} is not a public address`), { code: 'ENOTPUBLIC' }));
      }
      const req = request(
        url,
        {
          method: 'POST',
          headers: { ...headers, 'Content-Length': String(Buffer.byteLength(message.body)) },
          signal: AbortSignal.timeout(this.timeoutMs),
          lookup: this.publicOnly ? (publicOnlyLookup as never) : undefined,
        },
        (res) => {
          res.resume();
          res.on('end', () => resolve(res.statusCode ?? 0));
          res.on('error', reject);
        },
      );
      // The only abort is the timeout's.
      req.on('error', (error) => reject(error.name === 'AbortError' ? Object.assign(error, { name: 'TimeoutError' }) : error));
      req.end(message.body);
    });
  }
}
