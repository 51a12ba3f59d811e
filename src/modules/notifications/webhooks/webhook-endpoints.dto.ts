import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Transform, Type } from 'class-transformer';
import {
  ArrayMaxSize,
  ArrayNotEmpty,
  IsArray,
  IsBoolean,
  IsIn,
  IsInt,
  IsOptional,
  IsString,
  IsUrl,
  Max,
  MaxLength,
  Min,
  ValidateIf,
} from 'class-validator';
import { CX_WEBHOOK_EVENTS_DOC, WEBHOOK_EVENT_TYPES } from './webhook-event-types';
import { WebhookDeliveryRow, WebhookEndpointRow } from './webhook-endpoint.repository';

const trim = ({ value }: { value: unknown }) => (typeof value === 'string' ? value.trim() : value);
const URL_OPTIONS = { require_protocol: true, require_tld: false, protocols: ['https', 'http'] };
const URL_MESSAGE = 'must be an absolute https URL';
const EVENT_TYPES_MESSAGE = `each must be one of: ${WEBHOOK_EVENT_TYPES.join(', ')}`;
const EVENT_TYPES_DOC = `\`*\` subscribes to every type. Besides the status milestones and notable scans, the CX desk's events: ${CX_WEBHOOK_EVENTS_DOC}`;

export class CreateWebhookEndpointDto {
  @ApiProperty({ example: 'https://shop.example.com/hooks/passage', description: 'HTTPS; plain http only to localhost outside production' })
  @Transform(trim) @IsString() @MaxLength(2048) @IsUrl(URL_OPTIONS, { message: URL_MESSAGE })
  url: string;

  @ApiPropertyOptional({ example: 'Order system', maxLength: 500 })
  @IsOptional() @IsString() @MaxLength(500)
  description?: string;

  @ApiProperty({ enum: WEBHOOK_EVENT_TYPES, isArray: true, example: ['shipment.delivered', 'shipment.delivery_attempted', 'shipment.delay_detected'], description: EVENT_TYPES_DOC })
  @IsArray() @ArrayNotEmpty() @ArrayMaxSize(64) @IsIn(WEBHOOK_EVENT_TYPES, { each: true, message: EVENT_TYPES_MESSAGE })
  eventTypes: string[];
}

export class UpdateWebhookEndpointDto {
  @ApiPropertyOptional({ example: 'https://shop.example.com/hooks/passage-v2' })
  @ValidateIf((o: UpdateWebhookEndpointDto) => o.url !== undefined)
  @Transform(trim) @IsString() @MaxLength(2048) @IsUrl(URL_OPTIONS, { message: URL_MESSAGE })
  url?: string;

  @ApiPropertyOptional({ nullable: true, description: 'null clears it' })
  @IsOptional() @IsString() @MaxLength(500)
  description?: string | null;

  @ApiPropertyOptional({ enum: WEBHOOK_EVENT_TYPES, isArray: true, description: EVENT_TYPES_DOC })
  @ValidateIf((o: UpdateWebhookEndpointDto) => o.eventTypes !== undefined)
  @IsArray() @ArrayNotEmpty() @ArrayMaxSize(64) @IsIn(WEBHOOK_EVENT_TYPES, { each: true, message: EVENT_TYPES_MESSAGE })
  eventTypes?: string[];

  @ApiPropertyOptional({ description: '`true` re-enables a disabled endpoint and clears its failure state; `false` disables it' })
  @ValidateIf((o: UpdateWebhookEndpointDto) => o.enabled !== undefined)
  @IsBoolean()
  enabled?: boolean;
}

export class ListWebhookDeliveriesQuery {
  @ApiPropertyOptional({ description: "From the previous page's nextCursor" }) @IsOptional() @IsString() @MaxLength(200) cursor?: string;
  @ApiPropertyOptional({ default: 25, minimum: 1, maximum: 100 })
  @IsOptional() @Type(() => Number) @IsInt() @Min(1) @Max(100) limit?: number;
}

export class WebhookEndpointResponseDto {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty({ example: 'https://shop.example.com/hooks/passage' }) url: string;
  @ApiPropertyOptional({ nullable: true }) description: string | null;
  @ApiProperty({ enum: WEBHOOK_EVENT_TYPES, isArray: true }) eventTypes: string[];
  @ApiProperty({ enum: ['enabled', 'disabled'] }) status: 'enabled' | 'disabled';
  @ApiPropertyOptional({ nullable: true, enum: ['manual', 'consecutive_failures'] }) disabledReason: string | null;
  @ApiPropertyOptional({ nullable: true, description: 'Start of the current run of failed deliveries; null while deliveries succeed' })
  failingSince: string | null;
  @ApiPropertyOptional({ nullable: true }) lastSuccessAt: string | null;
  @ApiPropertyOptional({ nullable: true }) lastFailureAt: string | null;
  @ApiPropertyOptional({ nullable: true, example: 'HTTP_500' }) lastFailureCode: string | null;
  @ApiPropertyOptional({ nullable: true, description: 'After a rotation: until when the previous secret still signs beside the new one' })
  previousSecretExpiresAt: string | null;
  @ApiProperty() createdAt: string;
  @ApiProperty() updatedAt: string;
}

export class WebhookEndpointWithSecretResponseDto extends WebhookEndpointResponseDto {
  @ApiProperty({
    example: 'whsec_3kTq9ZxV0bLm2WcP8sYh4NrD6fGa1JeU',
    description:
      'Shown only in this response: store it now. Verify `Passage-Signature` (`v1=<hex HMAC-SHA256 of "{Passage-Timestamp}.{body}">`, ' +
      'one entry per current secret, comma-separated) with this whole string as the HMAC key.',
  })
  secret: string;
}

export class WebhookPingResponseDto {
  @ApiProperty() delivered: boolean;
  @ApiProperty({ description: 'The Passage-Webhook-Id of the ping', example: 'ping_6f1c2d9e-5b7a-4a0e-9c51-2b8f3e7d4a10' }) webhookId: string;
  @ApiPropertyOptional({ nullable: true, description: "The receiver's status when it answered outside 2xx", example: 500 }) statusCode: number | null;
  @ApiPropertyOptional({ nullable: true, enum: ['HTTP_<status>', 'TIMEOUT', 'NETWORK'], description: 'Why it was not delivered' }) code: string | null;
  @ApiProperty({ example: 84 }) durationMs: number;
}

export class WebhookDeliveryResponseDto {
  @ApiProperty({ format: 'uuid', description: 'The delivery (outbox message) id' }) id: string;
  @ApiProperty({ description: 'The Passage-Webhook-Id header and body `id`: the same on retries and replays', example: 'evt_1042_6f1c2d9e' })
  webhookId: string | null;
  @ApiProperty({ example: 'shipment.delivered' }) eventType: string;
  @ApiPropertyOptional({ nullable: true, format: 'uuid' }) shipmentId: string | null;
  @ApiProperty({ enum: ['pending', 'sending', 'sent', 'dead', 'skipped'] }) status: string;
  @ApiProperty() attempts: number;
  @ApiProperty() maxAttempts: number;
  @ApiPropertyOptional({ nullable: true, example: 'HTTP_503', description: 'HTTP_<status>, TIMEOUT, NETWORK or ENDPOINT_DISABLED' }) lastErrorCode: string | null;
  @ApiPropertyOptional({ nullable: true, format: 'uuid', description: 'On a replay: the delivery it repeats' }) replayOf: string | null;
  @ApiPropertyOptional({ nullable: true, description: 'When a pending delivery is tried next' }) nextAttemptAt: string | null;
  @ApiProperty() createdAt: string;
  @ApiPropertyOptional({ nullable: true }) sentAt: string | null;
  @ApiProperty() updatedAt: string;
}

export class WebhookDeliveryListResponseDto {
  @ApiProperty({ type: [WebhookDeliveryResponseDto] }) data: WebhookDeliveryResponseDto[];
  @ApiPropertyOptional({ nullable: true, description: 'Pass as `cursor` to fetch the next page; null on the last page' }) nextCursor: string | null;
}

const iso = (d: Date | null) => (d ? new Date(d).toISOString() : null);

export function toWebhookEndpointResponse(e: WebhookEndpointRow, now: Date): WebhookEndpointResponseDto {
  return {
    id: e.id,
    url: e.url,
    description: e.description,
    eventTypes: e.event_types,
    status: e.status,
    disabledReason: e.disabled_reason,
    failingSince: iso(e.failing_since),
    lastSuccessAt: iso(e.last_success_at),
    lastFailureAt: iso(e.last_failure_at),
    lastFailureCode: e.last_failure_code,
    previousSecretExpiresAt: e.previous_secret_expires_at && e.previous_secret_expires_at > now ? iso(e.previous_secret_expires_at) : null,
    createdAt: iso(e.created_at)!,
    updatedAt: iso(e.updated_at)!,
  };
}

export function toWebhookDeliveryResponse(d: WebhookDeliveryRow): WebhookDeliveryResponseDto {
  return {
    id: d.id,
    webhookId: d.webhook_id,
    eventType: d.event_type ?? d.template,
    shipmentId: d.shipment_id,
    status: d.status,
    attempts: d.attempts,
    maxAttempts: d.max_attempts,
    lastErrorCode: d.last_error_code,
    replayOf: d.replay_of,
    nextAttemptAt: d.status === 'pending' ? iso(d.next_attempt_at) : null,
    createdAt: iso(d.created_at)!,
    sentAt: iso(d.sent_at),
    updatedAt: iso(d.updated_at)!,
  };
}
