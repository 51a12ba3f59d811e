import { Body, Controller, Header, Headers, HttpCode, Inject, Post } from '@nestjs/common';
import { ApiNoContentResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { SkipThrottle } from '@nestjs/throttler';
import twilio from 'twilio';
import { APP_CONFIG, AppConfig } from '../../config/app-config';
import { AppError } from '../../common/errors/app-error';
import { Clock } from '../../common/clock/clock';
import { ApiErrors } from '../../common/http/error-responses.decorator';
import { mapTwilioStatus } from './channels/twilio-sms.channel';
import { MessageRepository } from './dispatch/message.repository';
import { PreferencesRepository } from './inbound/preferences.repository';
import { smsKeyword } from './inbound/sms-keywords';
import { contactHash } from './planner/contact-hash';

export const TWILIO_STATUS_PATH = '/v1/webhooks/twilio/status';
export const TWILIO_INBOUND_PATH = '/v1/webhooks/twilio/inbound';

const twiml = (reply?: string) =>
  `<?xml version="1.0" encoding="UTF-8"?><Response>${reply ? `<Message>${reply.replace(/[<>&]/g, '')}</Message>` : ''}</Response>`;

const invalidSignature = () => new AppError('INVALID_SIGNATURE', 403, 'The X-Twilio-Signature header does not verify.');

/** Twilio's delivery reports, accepted only with a valid X-Twilio-Signature over PUBLIC_BASE_URL + path. */
@ApiTags('inbound webhooks')
@SkipThrottle()
@Controller('v1/webhooks/twilio')
export class TwilioWebhookController {
  constructor(
    private readonly messages: MessageRepository,
    private readonly preferences: PreferencesRepository,
    private readonly clock: Clock,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  @Post('status')
  @HttpCode(204)
  @ApiOperation({ summary: 'Twilio message status callback (form-encoded, signed)' })
  @ApiNoContentResponse()
  @ApiErrors(400, 403)
  async status(@Headers('x-twilio-signature') signature: string | undefined, @Body() params: Record<string, string>): Promise<void> {
    const url = `${this.config.http.publicBaseUrl}${TWILIO_STATUS_PATH}`;
    this.verify(signature, url, params);
    const status = mapTwilioStatus(String(params.MessageStatus ?? ''));
    if (!params.MessageSid || !status || status === 'queued') return;
    await this.messages.recordDeliveryStatus('sms', params.MessageSid, status, this.clock.now());
  }

  @Post('inbound')
  @HttpCode(200)
  @Header('Content-Type', 'text/xml')
  @ApiOperation({
    summary: 'Incoming SMS from consignees (form-encoded, signed)',
    description:
      'STOP (and UNSUBSCRIBE, ARRET, STOPP, 停止…) opts the number out of every retailer that texted it, at once, ' +
      'skipping SMS still waiting; START opts back in; HELP gets a reply. Anything else is stored as a customer reply ' +
      'on the latest shipment texted to that number, for the CX desk. Answers TwiML.',
  })
  @ApiOkResponse({ description: 'TwiML' })
  @ApiErrors(400, 403)
  async inbound(@Headers('x-twilio-signature') signature: string | undefined, @Body() params: Record<string, string>): Promise<string> {
    this.verify(signature, `${this.config.http.publicBaseUrl}${TWILIO_INBOUND_PATH}`, params);
    const from = String(params.From ?? '');
    const body = String(params.Body ?? '').slice(0, 1600);
    if (!from) return twiml();
    const senders = await this.preferences.smsSenders(from);
    const hash = contactHash('sms', from);
    const keyword = smsKeyword(body);
    if (keyword === 'stop' || keyword === 'start') {
      await this.preferences.set({ retailerIds: senders.map((s) => s.retailer_id), channel: 'sms', contactHash: hash, optedOut: keyword === 'stop', source: `sms_${keyword}` });
      return twiml();
    }
    if (keyword === 'help') return twiml('Parcel updates by Passage. Reply STOP to opt out, START to opt back in.');
    const latest = senders[0];
    if (latest && body.trim()) {
      await this.preferences.storeReply({ retailerId: latest.retailer_id, shipmentId: latest.shipment_id, channel: 'sms', contactHash: hash, body, providerMessageId: params.MessageSid ?? null });
    }
    return twiml();
  }

  private verify(signature: string | undefined, url: string, params: Record<string, string> | undefined): void {
    const twilioConfig = this.config.notifications.twilio;
    if (!twilioConfig || !signature || !twilio.validateRequest(twilioConfig.authToken, signature, url, params ?? {})) {
      throw invalidSignature();
    }
  }
}
