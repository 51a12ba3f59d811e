import { Logger } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import { EmailChannel, OutboundEmail, OutboundSms, SendResult, SmsChannel } from './channel';

/**
 * Without SMTP or Twilio settings (the embedded default), messages are not delivered: they are marked sent
 * with a `preview-` id and stay readable in the messages table. The log says so, without the recipient.
 */
export class PreviewEmailChannel extends EmailChannel {
  private readonly logger = new Logger('EmailPreview');
  async send(_message: OutboundEmail): Promise<SendResult> {
    const providerMessageId = `preview-${randomUUID()}`;
    this.logger.log({ providerMessageId }, 'not delivered: preview (set SMTP_URL to send email)');
    return { status: 'accepted', providerMessageId };
  }
}

export class PreviewSmsChannel extends SmsChannel {
  private readonly logger = new Logger('SmsPreview');
  async send(_message: OutboundSms): Promise<SendResult> {
    const providerMessageId = `preview-${randomUUID()}`;
    this.logger.log({ providerMessageId }, 'not delivered: preview (set the TWILIO_* settings to send SMS)');
    return { status: 'accepted', providerMessageId };
  }
}
