/**
 * Channel ports: what the dispatcher needs from email, SMS and webhook delivery. Each adapter maps its
 * vendor's outcome to a SendResult in one place, so retry and dead-letter decisions never see vendor codes.
 */

export type SendResult =
  | { status: 'accepted'; providerMessageId: string }
  /** `permanent`: retrying cannot help (an invalid number, a rejected address, a gone endpoint). */
  | { status: 'failed'; permanent: boolean; code: string; detail: string };

export interface OutboundEmail {
  /** The outbox message's id: the Message-ID is built from it, so a retried send carries the same one. */
  id?: string;
  to: string;
  subject: string;
  text: string;
  html: string;
  replyTo?: string;
  /** Extra headers, e.g. List-Unsubscribe and List-Unsubscribe-Post. */
  headers?: Record<string, string>;
}

export interface OutboundSms {
  /** E.164. */
  to: string;
  body: string;
  /** Where the provider reports delivery status. */
  statusCallbackUrl?: string;
}

export interface OutboundWebhook {
  url: string;
  /** Stable across retries of the same delivery, so receivers can dedupe. */
  deliveryId: string;
  /** Current secrets: during a rotation both sign, so either verifies. */
  secrets: string[];
  /** The JSON body, exactly as it is signed and sent. */
  body: string;
}

export abstract class EmailChannel {
  abstract send(message: OutboundEmail): Promise<SendResult>;
}

export abstract class SmsChannel {
  abstract send(message: OutboundSms): Promise<SendResult>;
}

export abstract class WebhookChannel {
  abstract send(message: OutboundWebhook): Promise<SendResult>;
}
