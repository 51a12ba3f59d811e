import { Body, Controller, Headers, HttpCode, Inject, Post } from '@nestjs/common';
import { ApiNoContentResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { SkipThrottle } from '@nestjs/throttler';
import twilio from 'twilio';
import { APP_CONFIG, AppConfig } from '../../config/app-config';
import { AppError } from '../../common/errors/app-error';
import { Clock } from '../../common/clock/clock';
import { ApiErrors } from '../../common/http/error-responses.decorator';
import { mapTwilioStatus } from './channels/twilio-sms.channel';
import { MessageRepository } from './dispatch/message.repository';

export const TWILIO_STATUS_PATH = '/v1/webhooks/twilio/status';

const invalidSignature = () => new AppError('INVALID_SIGNATURE', 403, 'The X-Twilio-Signature header does not verify.');

/** Twilio's delivery reports, accepted only with a valid X-Twilio-Signature over PUBLIC_BASE_URL + path. */
@ApiTags('inbound webhooks')
@SkipThrottle()
@Controller('v1/webhooks/twilio')
export class TwilioWebhookController {
  constructor(
    private readonly messages: MessageRepository,
    private readonly clock: Clock,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  @Post('status')
  @HttpCode(204)
  @ApiOperation({ summary: 'Twilio message status callback (form-encoded, signed)' })
  @ApiNoContentResponse()
  @ApiErrors(400, 403)
  async status(@Headers('x-twilio-signature') signature: string | undefined, @Body() params: Record<string, string>): Promise<void> {
    const twilioConfig = this.config.notifications.twilio;
    const url = `${this.config.http.publicBaseUrl}${TWILIO_STATUS_PATH}`;
    if (!twilioConfig || !signature || !twilio.validateRequest(twilioConfig.authToken, signature, url, params ?? {})) {
      throw invalidSignature();
    }
    const status = mapTwilioStatus(String(params.MessageStatus ?? ''));
    if (!params.MessageSid || !status || status === 'queued') return;
    await this.messages.recordDeliveryStatus('sms', params.MessageSid, status, this.clock.now());
  }
}
