import twilio from 'twilio';
import RequestClient from 'twilio/lib/base/RequestClient';
import { OutboundSms, SendResult, SmsChannel } from './channel';

/**
 * The twilio SDK has no setting for its base URL (edge and region still resolve to *.twilio.com): this
 * request client rewrites it, so tests, local development and regional proxies reach any compatible API.
 */
export class RedirectingRequestClient extends RequestClient {
  constructor(
    private readonly baseUrl: string,
    options?: RequestClient.RequestClientOptions,
  ) {
    super(options);
  }

  override request<T>(options: RequestClient.RequestOptions<T>) {
    const original = new URL(options.uri);
    return super.request<T>({ ...options, uri: new URL(original.pathname + original.search, this.baseUrl).toString() });
  }
}

export interface TwilioSettings {
  accountSid: string;
  authToken: string;
  /** A sender number or ID, or a Messaging Service SID (MG…), which then picks the sender. */
  from: string;
  apiBaseUrl?: string;
}

/** Twilio error codes after which retrying cannot help. */
const PERMANENT_CODES = new Set([
  21211, // invalid 'To' number
  21408, // region not enabled
  21610, // the recipient replied STOP
  21612, // cannot route to this number
  21614, // not a mobile number
]);

/** SMS through the real twilio SDK. */
export class TwilioSmsChannel extends SmsChannel {
  private readonly client: ReturnType<typeof twilio>;

  constructor(private readonly settings: TwilioSettings) {
    super();
    this.client = twilio(settings.accountSid, settings.authToken, {
      httpClient: settings.apiBaseUrl ? new RedirectingRequestClient(settings.apiBaseUrl) : undefined,
    });
  }

  async send(message: OutboundSms): Promise<SendResult> {
    const sender = this.settings.from.startsWith('MG') ? { messagingServiceSid: this.settings.from } : { from: this.settings.from };
    try {
      const sent = await this.client.messages.create({
        to: message.to,
        body: message.body,
        statusCallback: message.statusCallbackUrl,
        ...sender,
      });
      return { status: 'accepted', providerMessageId: sent.sid };
    } catch (error) {
      return classifyTwilioError(error);
    }
  }
}

export function classifyTwilioError(error: unknown): SendResult {
  const e = error as { status?: number; code?: number; message?: string };
  const permanent = (e.code !== undefined && PERMANENT_CODES.has(e.code)) || (e.status !== undefined && e.status >= 400 && e.status < 500 && e.status !== 429 && e.status !== 408);
  return {
    status: 'failed',
    permanent,
    code: e.code !== undefined ? `TWILIO_${e.code}` : `TWILIO_HTTP_${e.status ?? 'ERROR'}`,
    detail: String(e.message ?? error).slice(0, 300),
  };
}

/** Twilio's message statuses mapped onto Passage's, in one place. */
export type MessageDeliveryStatus = 'queued' | 'sent' | 'delivered' | 'undelivered' | 'failed';
export function mapTwilioStatus(status: string): MessageDeliveryStatus | undefined {
  switch (status) {
    case 'accepted':
    case 'scheduled':
    case 'queued':
    case 'sending':
      return 'queued';
    case 'sent':
      return 'sent';
    case 'delivered':
    case 'read':
      return 'delivered';
    case 'undelivered':
      return 'undelivered';
    case 'failed':
    case 'canceled':
      return 'failed';
    default:
      return undefined;
  }
}
