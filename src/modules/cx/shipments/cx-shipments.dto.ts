import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import { IsIn, IsNotEmpty, IsString, IsUUID, MaxLength } from 'class-validator';
import { JOURNEY_STATUSES, JourneyStatus } from '../../shipments/journey';

const trim = ({ value }: { value: unknown }) => (typeof value === 'string' ? value.trim() : value);

export class OverrideStatusDto {
  @ApiProperty({ enum: JOURNEY_STATUSES, example: 'delivered' })
  @IsIn(JOURNEY_STATUSES) status: JourneyStatus;

  @ApiProperty({ example: 'Carrier confirmed delivery by phone; the scan never arrived.', description: 'Why: required, kept in the audit log' })
  @Transform(trim) @IsString() @IsNotEmpty() @MaxLength(1000) reason: string;
}

export class OverrideStatusResponseDto {
  @ApiProperty({ format: 'uuid' }) shipmentId: string;
  @ApiProperty({ enum: JOURNEY_STATUSES }) from: JourneyStatus;
  @ApiProperty({ enum: JOURNEY_STATUSES }) to: JourneyStatus;
  @ApiProperty() at: string;
}

export class ResendMessageDto {
  @ApiProperty({ format: 'uuid', description: 'A message of this shipment that was sent, delivered, undelivered, failed or dead-lettered' })
  @IsUUID() messageId: string;
}

export class ResendMessageResponseDto {
  @ApiProperty({ format: 'uuid', description: 'The new message, queued' }) id: string;
  @ApiProperty({ format: 'uuid' }) resentFrom: string;
  @ApiProperty({ enum: ['pending'] }) status: 'pending';
}

/**
 * The kinds of the 360 view, in the order items of the same instant are listed. `cx_event`: what the CX
 * desk wrote to the journey (a detection, an estimate revision, an incident, a resolution told to the consignee).
 */
export const TIMELINE_KINDS = ['verdict', 'scan', 'status_change', 'cx_event', 'message', 'exception', 'customer_reply', 'survey', 'audit'] as const;
export type TimelineKind = (typeof TIMELINE_KINDS)[number];

export class TimelineItemDto {
  @ApiProperty() at: string;
  @ApiProperty({ enum: TIMELINE_KINDS }) kind: TimelineKind;
  @ApiProperty({ example: 'Status in_transit → customs_hold (event)' }) summary: string;
  @ApiProperty({ type: 'object', additionalProperties: true, description: 'The record itself; its shape depends on `kind`' }) data: Record<string, unknown>;
}

export class TimelineShipmentDto {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty({ format: 'uuid' }) retailerId: string;
  @ApiProperty() trackingNumber: string;
  @ApiProperty() reference: string;
  @ApiProperty() status: string;
  @ApiProperty() destinationCountry: string;
  @ApiPropertyOptional({ nullable: true }) complianceStatus: string | null;
  @ApiProperty({ type: 'object', additionalProperties: true, description: 'Personal data: for the desk only' }) consignee: Record<string, unknown>;
  @ApiProperty() createdAt: string;
}

export class TimelineDto {
  @ApiProperty({ type: TimelineShipmentDto }) shipment: TimelineShipmentDto;
  @ApiProperty({ type: [TimelineItemDto], description: 'One stream, oldest first' }) items: TimelineItemDto[];
}
