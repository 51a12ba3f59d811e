import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Transform, Type } from 'class-transformer';
import {
  ArrayMaxSize,
  ArrayMinSize,
  IsArray,
  IsIn,
  IsInt,
  IsNotEmpty,
  IsObject,
  IsOptional,
  IsString,
  IsUUID,
  Matches,
  Max,
  MaxLength,
  Min,
  ValidateNested,
} from 'class-validator';
import { IsIsoCountry } from '../../../common/http/validators';
import { INCIDENT_KINDS, IncidentKind, MAX_MESSAGE_LENGTH } from './incident-scope';

const upper = ({ value }: { value: unknown }) => (typeof value === 'string' ? value.trim().toUpperCase() : value);
/** Most shipment ids one incident may name explicitly; wider incidents use a facility, country, lane or manifest. */
export const MAX_EXPLICIT_SHIPMENTS = 10_000;

export class IncidentLaneDto {
  @ApiProperty({ example: 'GB' }) @Transform(upper) @IsIsoCountry() origin: string;
  @ApiProperty({ example: 'DE' }) @Transform(upper) @IsIsoCountry() destination: string;
}

export class IncidentScopeDto {
  @ApiPropertyOptional({ example: 'LEJ hub', description: "Parcels whose latest scan was at this facility (the scan's location.facility, any case)" })
  @IsOptional() @IsString() @IsNotEmpty() @MaxLength(100) facility?: string;

  @ApiPropertyOptional({ example: 'FR', description: 'Parcels on their way to this destination country' })
  @IsOptional() @Transform(upper) @IsIsoCountry() country?: string;

  @ApiPropertyOptional({ type: IncidentLaneDto, description: 'Parcels on their way along this lane (origin → destination country)' })
  @IsOptional() @IsObject() @ValidateNested() @Type(() => IncidentLaneDto) lane?: IncidentLaneDto;

  @ApiPropertyOptional({ example: 'LH8220-20261124', description: "A manifest or flight reference carriers send in a scan's `raw.manifest`" })
  @IsOptional() @IsString() @IsNotEmpty() @MaxLength(100) manifest?: string;

  @ApiPropertyOptional({ type: [String], maxItems: MAX_EXPLICIT_SHIPMENTS, description: 'An explicit list of shipment ids' })
  @IsOptional() @IsArray() @ArrayMinSize(1) @ArrayMaxSize(MAX_EXPLICIT_SHIPMENTS) @IsUUID('all', { each: true, message: 'each must be a UUID' })
  shipmentIds?: string[];
}

export class DeclareIncidentDto {
  @ApiProperty({ enum: INCIDENT_KINDS, example: 'flight_cancelled' })
  @IsIn(INCIDENT_KINDS, { message: `must be one of ${INCIDENT_KINDS.join(', ')}` }) kind: IncidentKind;

  @ApiProperty({ example: 'LH8220 FRA→LHR cancelled (storm)', description: 'For agents and the retailers’ notice; not shown to consignees' })
  @IsString() @IsNotEmpty() @MaxLength(200) title: string;

  @ApiProperty({ type: IncidentScopeDto, description: 'Exactly one of facility, country, lane, manifest, shipmentIds' })
  @IsObject() @ValidateNested() @Type(() => IncidentScopeDto) scope: IncidentScopeDto;

  @ApiProperty({ example: 48, minimum: 1, maximum: 720 })
  @IsInt() @Min(1) @Max(720) expectedDelayHours: number;

  @ApiPropertyOptional({
    type: 'object',
    additionalProperties: { type: 'string', maxLength: MAX_MESSAGE_LENGTH },
    example: { en: 'A storm grounded the flight carrying your parcel. It will leave on the next flight.', de: 'Ein Sturm …' },
    description:
      'The consignee message per catalog locale (plain text). Consignees in other locales, or all when this is left out, ' +
      'get the standard delay message in their language with the estimate moved by the expected delay.',
  })
  @IsOptional() @IsObject() messages?: Record<string, string>;
}

export class CloseIncidentDto {
  @ApiPropertyOptional({
    type: 'object',
    additionalProperties: { type: 'string', maxLength: MAX_MESSAGE_LENGTH },
    description: "The resolution message per locale; otherwise the standard in-transit message with the parcel's estimate",
  })
  @IsOptional() @IsObject() messages?: Record<string, string>;

  @ApiPropertyOptional({ example: 'Flights resumed at 14:00.', description: "Recorded on the incident's exceptions as they resolve" })
  @IsOptional() @IsString() @MaxLength(500) note?: string;
}

export class IncidentListQueryDto {
  @ApiPropertyOptional({ enum: ['open', 'closed'] }) @IsOptional() @IsIn(['open', 'closed']) status?: 'open' | 'closed';
  @ApiPropertyOptional({ description: 'The `nextCursor` of the previous page' })
  @IsOptional() @IsString() @Matches(/^[A-Za-z0-9_-]{1,200}$/, { message: 'must be a cursor from a previous page' }) cursor?: string;
  @ApiPropertyOptional({ example: 20, maximum: 100 }) @IsOptional() @Type(() => Number) @IsInt() @Min(1) @Max(100) limit?: number;
}

export class IncidentMessageCountsDto {
  @ApiProperty() pending: number;
  @ApiProperty() sent: number;
  @ApiProperty() delivered: number;
  @ApiProperty({ description: 'failed, undelivered or dead' }) failed: number;
  @ApiProperty({ description: 'Not sent: no consent, opted out, superseded, channel off' }) skipped: number;
}

export class IncidentProgressDto {
  @ApiProperty({ description: 'Shipments taken into the incident (at declaration and scanned into scope since)' }) shipments: number;
  @ApiProperty({ description: 'Delay exceptions the incident opened (others already open were linked)' }) exceptionsOpened: number;
  @ApiProperty({ description: 'Consignees told (one notice per consignee, whatever their number of parcels)' }) consigneesNotified: number;
  @ApiProperty({ description: 'Consignees told of the resolution' }) resolutionsNotified: number;
  @ApiProperty({ type: IncidentMessageCountsDto, description: "Consignee messages of the incident's notice, by status" })
  messages: IncidentMessageCountsDto;
  @ApiPropertyOptional({ nullable: true, description: 'When shipments newly in scope were last looked for' }) lastSweptAt: string | null;
}

export class IncidentDto {
  @ApiProperty() id: string;
  @ApiProperty({ enum: INCIDENT_KINDS }) kind: IncidentKind;
  @ApiProperty() title: string;
  @ApiProperty({ type: IncidentScopeDto }) scope: Record<string, unknown>;
  @ApiProperty() expectedDelayHours: number;
  @ApiPropertyOptional({ type: 'object', additionalProperties: { type: 'string' }, nullable: true }) messages: Record<string, string> | null;
  @ApiProperty({ enum: ['open', 'closed'] }) status: 'open' | 'closed';
  @ApiProperty({ example: 'user:6f1c2d9e-…' }) declaredBy: string;
  @ApiProperty() declaredAt: string;
  @ApiPropertyOptional({ nullable: true }) closedBy: string | null;
  @ApiPropertyOptional({ nullable: true }) closedAt: string | null;
  @ApiProperty({ type: IncidentProgressDto }) progress: IncidentProgressDto;
}

export class IncidentPageDto {
  @ApiProperty({ type: [IncidentDto] }) data: IncidentDto[];
  @ApiPropertyOptional({ nullable: true }) nextCursor: string | null;
}

export class IncidentSampleShipmentDto {
  @ApiProperty() id: string;
  @ApiProperty() trackingNumber: string;
  @ApiProperty() retailerId: string;
  @ApiProperty() status: string;
  @ApiProperty() destinationCountry: string;
}

export class IncidentPreviewDto {
  @ApiProperty({ description: 'Shipments in scope and still on their way: each would get a delay exception' }) shipments: number;
  @ApiProperty({ description: 'Distinct consignees among them: each would be told once' }) consignees: number;
  @ApiProperty({ description: 'Retailers among them: each gets one notice' }) retailers: number;
  @ApiProperty({ type: [IncidentSampleShipmentDto], description: 'Up to 10 of the shipments' }) sample: IncidentSampleShipmentDto[];
}
