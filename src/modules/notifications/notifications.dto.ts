import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { MessageRow } from './dispatch/message.repository';

export class MessageResponseDto {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty({ enum: ['email', 'sms', 'webhook'] }) channel: string;
  @ApiProperty({ description: 'The email address or phone number it went to' }) recipient: string;
  @ApiProperty({ example: 'delivered' }) template: string;
  @ApiProperty({ enum: ['pending', 'sending', 'sent', 'delivered', 'undelivered', 'failed', 'dead', 'skipped'] }) status: string;
  @ApiPropertyOptional({ nullable: true, example: 'quiet_hours' }) skipReason: string | null;
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
    attempts: m.attempts,
    providerMessageId: m.provider_message_id,
    lastErrorCode: m.last_error_code,
    createdAt: new Date(m.created_at).toISOString(),
    sentAt: m.sent_at ? new Date(m.sent_at).toISOString() : null,
    updatedAt: new Date(m.updated_at).toISOString(),
  };
}
