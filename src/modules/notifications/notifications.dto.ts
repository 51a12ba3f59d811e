import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { MessageRow } from './dispatch/message.repository';

export class MessageResponseDto {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty({ enum: ['email', 'sms', 'webhook'] }) channel: string;
  @ApiProperty({ description: 'The email address or phone number it went to' }) recipient: string;
  @ApiProperty({ example: 'delivered' }) template: string;
  @ApiProperty({ enum: ['pending', 'sending', 'sent', 'delivered', 'undelivered', 'failed', 'dead', 'skipped'] }) status: string;
  @ApiPropertyOptional({ nullable: true, example: 'superseded', description: 'no_consent, opted_out, superseded, frequency_cap, channel_disabled' })
  skipReason: string | null;
  @ApiProperty({ enum: ['consignee', 'retailer', 'webhook'] }) audience: string;
  @ApiPropertyOptional({ nullable: true, example: 'de' }) locale: string | null;
  @ApiPropertyOptional({ nullable: true, example: 'quiet_hours', description: 'Why it waits: quiet_hours in the consignee’s time zone' })
  deferredReason: string | null;
  @ApiProperty({ description: 'When it is (or was) due' }) dueAt: string;
  @ApiPropertyOptional({ nullable: true, example: { encoding: 'GSM-7', segments: 1 } }) sms: { encoding: string | null; segments: number | null } | null;
  @ApiProperty({ example: [{ status: 'sent', at: '2026-12-01T09:00:00.000Z' }, { status: 'delivered', at: '2026-12-01T09:00:04.000Z' }], description: 'Every status it went through after planning' })
  statusHistory: Array<{ status: string; at: string; code?: string | null }>;
  @ApiProperty() attempts: number;
  @ApiPropertyOptional({ nullable: true, description: "The provider's id (a Twilio SID, an SMTP Message-ID, or preview-… when not delivered)" })
  providerMessageId: string | null;
  @ApiPropertyOptional({ nullable: true, example: 'TWILIO_21211' }) lastErrorCode: string | null;
  @ApiProperty() createdAt: string;
  @ApiPropertyOptional({ nullable: true }) sentAt: string | null;
  @ApiProperty() updatedAt: string;
}

export function toMessageResponse(m: MessageRow): MessageResponseDto {
  return {
    id: m.id,
    channel: m.channel,
    recipient: m.recipient,
    template: m.template,
    status: m.status,
    skipReason: m.skip_reason,
    audience: m.audience,
    locale: m.locale,
    deferredReason: m.deferred_reason,
    dueAt: new Date(m.next_attempt_at).toISOString(),
    sms: m.channel === 'sms' ? { encoding: m.sms_encoding, segments: m.sms_segments } : null,
    statusHistory: m.status_history ?? [],
    attempts: m.attempts,
    providerMessageId: m.provider_message_id,
    lastErrorCode: m.last_error_code,
    createdAt: new Date(m.created_at).toISOString(),
    sentAt: m.sent_at ? new Date(m.sent_at).toISOString() : null,
    updatedAt: new Date(m.updated_at).toISOString(),
  };
}
