import { EmailChannel, OutboundEmail, OutboundSms, OutboundWebhook, SendResult, SmsChannel, WebhookChannel } from './channel';

/** Strict fakes for unit tests: they record what was sent and answer with the next scripted result. */
abstract class Recording<M> {
  readonly sent: M[] = [];
  private readonly script: SendResult[] = [];

  /** Scripts the next results; when the script runs out, sends are accepted. */
  willAnswer(...results: SendResult[]): this {
    this.script.push(...results);
    return this;
  }

  protected record(message: M, prefix: string): SendResult {
    this.sent.push(message);
    return this.script.shift() ?? { status: 'accepted', providerMessageId: `${prefix}-${this.sent.length}` };
  }
}

export class RecordingEmailChannel extends Recording<OutboundEmail> implements EmailChannel {
  async send(message: OutboundEmail): Promise<SendResult> {
    return this.record(message, 'email');
  }
}

export class RecordingSmsChannel extends Recording<OutboundSms> implements SmsChannel {
  async send(message: OutboundSms): Promise<SendResult> {
    return this.record(message, 'SM');
  }
}

export class RecordingWebhookChannel extends Recording<OutboundWebhook> implements WebhookChannel {
  async send(message: OutboundWebhook): Promise<SendResult> {
    return this.record(message, 'wh');
  }
}
