import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { JOURNEY_STATUSES, JourneyStatus } from '../journey';
import { VerdictDto } from '../../country-rules/compliance/verdict.dto';
import { ConsigneeDto, ItemDto, NotifyDto, OriginDto, ShippingCostDto } from './create-shipment.dto';

export class ComplianceViewDto {
  @ApiProperty({
    enum: ['ok', 'needs_information', 'blocked'],
    description: '`needs_information`: fix it with PATCH /v1/shipments/{id}/consignee (re-evaluated on patch)',
  })
  status: string;
  @ApiProperty({ type: VerdictDto }) verdict: VerdictDto;
}

export class EstimatedDeliveryDto {
  @ApiProperty() from: string;
  @ApiProperty() to: string;
}

export class ShipmentResponseDto {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty({ example: 'ORDER-10045' }) reference: string;
  @ApiProperty({ example: 'PSG7K2M9Q4X8B1R5T' }) trackingNumber: string;
  @ApiProperty({ example: 'http://localhost:3000/v1/track/PSG7K2M9Q4X8B1R5T' }) trackingUrl: string;
  @ApiProperty() service: string;
  @ApiProperty({ enum: ['DDP', 'DAP'] }) incoterm: 'DDP' | 'DAP';
  @ApiProperty({ enum: JOURNEY_STATUSES }) status: JourneyStatus;
  @ApiProperty() statusChangedAt: string;
  @ApiProperty({ type: OriginDto }) origin: OriginDto;
  @ApiProperty({ type: ConsigneeDto }) consignee: ConsigneeDto;
  @ApiProperty({ type: [ItemDto] }) items: ItemDto[];
  @ApiPropertyOptional({ type: ShippingCostDto, nullable: true }) shipping: ShippingCostDto | null;
  @ApiProperty({ type: NotifyDto }) notify: NotifyDto;
  @ApiPropertyOptional({ type: ComplianceViewDto, nullable: true, description: 'The country-rules verdict (null for shipments booked before rules existed)' })
  compliance: ComplianceViewDto | null;
  @ApiProperty({ type: 'object', additionalProperties: { type: 'string' } }) metadata: Record<string, string>;
  @ApiPropertyOptional({ type: EstimatedDeliveryDto, nullable: true }) estimatedDelivery: EstimatedDeliveryDto | null;
  @ApiPropertyOptional({ nullable: true }) deliveredAt: string | null;
  @ApiPropertyOptional({ nullable: true, example: 'RPSG7K2M9Q4X8B1R5T' }) returnReference: string | null;
  @ApiProperty() createdAt: string;
  @ApiProperty() updatedAt: string;
}

export class ShipmentListResponseDto {
  @ApiProperty({ type: [ShipmentResponseDto] }) data: ShipmentResponseDto[];
  @ApiPropertyOptional({ nullable: true, description: 'Pass as `cursor` to fetch the next page; null on the last page' })
  nextCursor: string | null;
}

export class ReturnResponseDto {
  @ApiProperty({ example: 'RPSG7K2M9Q4X8B1R5T' }) returnReference: string;
  @ApiProperty({ type: ShipmentResponseDto }) shipment: ShipmentResponseDto;
}

export class LocationViewDto {
  @ApiProperty({ example: 'DE' }) country: string;
  @ApiPropertyOptional({ example: 'Leipzig' }) city?: string;
  @ApiPropertyOptional({ example: 'LEJ hub' }) facility?: string;
}

export class TimelineEventDto {
  @ApiProperty() id: string;
  @ApiProperty({ example: 'dhl-de', description: 'Who reported it: a carrier code, `retailer` or `passage`' }) source: string;
  @ApiProperty({ example: 'evt-123' }) eventId: string;
  @ApiProperty({ example: 'CUSTOMS_HELD' }) code: string;
  @ApiProperty({ example: 'EME', description: 'The code as the carrier sent it (canonical or UPU EMSEVT)' }) originalCode: string;
  @ApiPropertyOptional({ nullable: true }) reason: string | null;
  @ApiProperty() occurredAt: string;
  @ApiProperty() receivedAt: string;
  @ApiProperty({ type: LocationViewDto }) location: LocationViewDto;
  @ApiPropertyOptional({ nullable: true }) description: string | null;
  @ApiProperty({ description: 'True when the event moved the shipment status on arrival' }) applied: boolean;
  @ApiProperty({ description: 'True when it occurred before an event already received (arrived out of order)' }) late: boolean;
  @ApiProperty({ enum: JOURNEY_STATUSES }) statusBefore: string;
  @ApiProperty({ enum: JOURNEY_STATUSES }) statusAfter: string;
}

export class TimelineResponseDto {
  @ApiProperty({ enum: JOURNEY_STATUSES }) status: JourneyStatus;
  @ApiProperty({ type: [TimelineEventDto] }) events: TimelineEventDto[];
}
