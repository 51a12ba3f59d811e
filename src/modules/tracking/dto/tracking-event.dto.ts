import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Transform, Type } from 'class-transformer';
import {
  ArrayMaxSize,
  ArrayMinSize,
  IsArray,
  IsNotEmpty,
  IsObject,
  IsOptional,
  IsString,
  Matches,
  MaxLength,
  ValidateNested,
} from 'class-validator';
import { IsIsoCountry } from '../../../common/http/validators';
import { EVENT_CODES } from '../../shipments/journey';

export const ISO_WITH_OFFSET = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d{1,9})?)?(Z|[+-]\d{2}:?\d{2})$/;

export class EventLocationDto {
  @ApiProperty({ example: 'DE' })
  @Transform(({ value }) => (typeof value === 'string' ? value.trim().toUpperCase() : value))
  @IsIsoCountry() country: string;
  @ApiPropertyOptional({ example: 'Leipzig' }) @IsOptional() @IsString() @MaxLength(100) city?: string;
  @ApiPropertyOptional({ example: 'LEJ hub' }) @IsOptional() @IsString() @MaxLength(100) facility?: string;
}

/** One scan. Validated item by item, so that one bad item never fails its batch. */
export class TrackingEventItemDto {
  @ApiProperty({ example: 'PSG7K2M9Q4X8B1R5T' }) @IsString() @IsNotEmpty() @MaxLength(40) trackingNumber: string;

  @ApiProperty({ example: 'scan-000123', description: "Your id for this event; (your source, eventId) is unique" })
  @IsString() @IsNotEmpty() @MaxLength(200) eventId: string;

  @ApiProperty({ example: 'CUSTOMS_HELD', description: `A canonical code (${EVENT_CODES.join(', ')}) or a UPU EMSEVT code (e.g. EMA, EME, EMI)` })
  @IsString() @IsNotEmpty() @MaxLength(40) code: string;

  @ApiPropertyOptional({ example: 'DUTIES_DUE', description: 'Where the code lists reasons' })
  @IsOptional() @IsString() @MaxLength(40) reason?: string;

  @ApiProperty({ example: '2026-11-24T09:15:00+01:00', description: 'ISO-8601 with a UTC offset' })
  @IsString() @Matches(ISO_WITH_OFFSET, { message: 'must be an ISO-8601 date-time with a UTC offset (e.g. 2026-11-24T09:15:00+01:00)' })
  occurredAt: string;

  @ApiProperty({ type: EventLocationDto })
  @IsObject() @ValidateNested() @Type(() => EventLocationDto) location: EventLocationDto;

  @ApiPropertyOptional({ example: 'Held for duties payment' }) @IsOptional() @IsString() @MaxLength(500) description?: string;

  @ApiPropertyOptional({ type: 'object', additionalProperties: true, description: 'Your original payload, kept as received' })
  @IsOptional() @IsObject() raw?: Record<string, unknown>;
}

export class TrackingEventBatchDto {
  /** Items are validated one by one in the ingestion service, so that one bad item never fails the batch. */
  static readonly validatesItemsItself = true;

  @ApiProperty({ type: [TrackingEventItemDto], minItems: 1, maxItems: 1000 })
  @IsArray() @ArrayMinSize(1) @ArrayMaxSize(1000) @IsObject({ each: true, message: 'each event must be an object' })
  events: Record<string, unknown>[];
}

export const TRACKING_EVENT_RESULTS = ['applied', 'recorded', 'duplicate', 'unknown_tracking_number', 'invalid'] as const;
export type TrackingEventResultKind = (typeof TRACKING_EVENT_RESULTS)[number];

export class TrackingEventErrorDto {
  @ApiProperty({ example: 'VALIDATION_FAILED' }) code: string;
  @ApiProperty({ example: 'occurredAt' }) field: string;
  @ApiProperty({ example: 'must be an ISO-8601 date-time with a UTC offset' }) issue: string;
}

export class TrackingEventResultDto {
  @ApiProperty({ example: 0 }) index: number;
  @ApiPropertyOptional({ example: 'scan-000123' }) eventId?: string;
  @ApiProperty({ enum: TRACKING_EVENT_RESULTS }) result: TrackingEventResultKind;
  @ApiPropertyOptional({ description: 'The shipment status after this batch, for applied and recorded events' }) status?: string;
  @ApiPropertyOptional({ description: 'True when the event occurred before one already received' }) late?: boolean;
  @ApiPropertyOptional({ type: [TrackingEventErrorDto] }) errors?: TrackingEventErrorDto[];
}

export class TrackingEventBatchResponseDto {
  @ApiProperty({ type: [TrackingEventResultDto] }) results: TrackingEventResultDto[];
  @ApiProperty({ example: { applied: 1, recorded: 0, duplicate: 0, unknown_tracking_number: 0, invalid: 0 } })
  summary: Record<TrackingEventResultKind, number>;
}
