import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { JOURNEY_STATUSES } from '../../shipments/journey';

export class PublicLocationDto {
  @ApiProperty({ example: 'DE' }) country: string;
  @ApiPropertyOptional({ example: 'Leipzig' }) city?: string;
}

export class PublicMilestoneDto {
  @ApiProperty({ example: 'CUSTOMS_HELD' }) code: string;
  @ApiPropertyOptional({ nullable: true, example: 'DUTIES_DUE' }) reason: string | null;
  @ApiPropertyOptional({ enum: JOURNEY_STATUSES, nullable: true, description: 'The status this milestone stands for; null for events that mark none (e.g. DELAYED)' })
  status: string | null;
  @ApiProperty() occurredAt: string;
  @ApiProperty({ type: PublicLocationDto }) location: PublicLocationDto;
  @ApiPropertyOptional({ nullable: true }) description: string | null;
}

export class PublicAddressDto {
  @ApiProperty({ type: [String] }) lines: string[];
  @ApiProperty() city: string;
  @ApiPropertyOptional() postcode?: string;
  @ApiPropertyOptional() region?: string;
  @ApiProperty() country: string;
}

export class PublicConsigneeDto {
  @ApiProperty() name: string;
  @ApiProperty({ type: PublicAddressDto }) address: PublicAddressDto;
}

export class PublicTrackingDto {
  @ApiProperty() trackingNumber: string;
  @ApiProperty({ enum: JOURNEY_STATUSES }) status: string;
  @ApiProperty() statusChangedAt: string;
  @ApiPropertyOptional({ nullable: true, description: 'Estimated delivery window, when known' })
  estimatedDelivery: { from: string; to: string } | null;
  @ApiPropertyOptional({ nullable: true }) deliveredAt: string | null;
  @ApiProperty({ type: PublicLocationDto, description: 'Destination city and country only' }) destination: PublicLocationDto;
  @ApiProperty({ type: [PublicMilestoneDto] }) milestones: PublicMilestoneDto[];
  @ApiPropertyOptional({ type: PublicConsigneeDto, description: "Only when `postcode` matches the consignee's" })
  consignee?: PublicConsigneeDto;
}
