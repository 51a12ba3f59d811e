import { Logger } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import { EmailChannel, OutboundEmail, OutboundSms, SendResult, SmsChannel } from './channel';

/**
 * Without SMTP or Twilio settings (the embedded default), messages are not delivered: they are marked sent
 * with a `preview-` id and stay readable in the messages table. The log says so, without the recipient.
 */
function preview(logger: Logger, hint: string): SendResult {
  const providerMessageId = `preview-${randomUUID()}`;
  logger.log({ providerMessageId }, `not delivered: preview (${hint})`);
  return { status: 'accepted', providerMessageId };
}

export class PreviewEmailChannel extends EmailChannel {
  private readonly logger = new Logger('EmailPreview');
  async send(_message: OutboundEmail): Promise<SendResult> {
    return preview(this.logger, 'set SMTP_URL to send email');
  }
}

export class PreviewSmsChannel extends SmsChannel {
  private readonly logger = new Logger('SmsPreview');
  async send(_message: OutboundSms): Promise<SendResult> {
    return preview(this.logger, 'set the TWILIO_* settings to send SMS');
  }
}
