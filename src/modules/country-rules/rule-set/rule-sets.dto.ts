import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsInt, IsNotEmpty, IsObject, IsOptional, IsString, Matches, Max, MaxLength, Min, ValidateNested } from 'class-validator';
import { ComplianceCheckDto } from '../compliance/compliance.dto';
import { VerdictDto } from '../compliance/verdict.dto';
import { ContentChange } from './content-diff';
import { StoredRuleSetVersion } from './rule-set.repository';

const DATE = /^\d{4}-(0[1-9]|1[0-2])-(0[1-9]|[12]\d|3[01])$/;
const CONTENT_DOC =
  'The rule-set content (see the `RuleSetContent` schema in src/modules/country-rules/rule-set/rule-set-content.ts): ' +
  'consignee, customs, documents, prohibited, messaging and delivery sections. Unknown fields and wrong types are ' +
  'rejected with field-level errors.';

export class CreateRuleSetVersionDto {
  @ApiProperty({ example: '2026-07-01', description: 'The first day (inclusive) the version applies' })
  @Matches(DATE, { message: 'must be a date (YYYY-MM-DD)' }) effectiveFrom: string;

  @ApiPropertyOptional({ example: '2028-07-01', description: 'The day (exclusive) it stops applying, when the law sets one' })
  @IsOptional() @Matches(DATE, { message: 'must be a date (YYYY-MM-DD)' }) effectiveTo?: string;

  @ApiProperty({ type: 'object', additionalProperties: true, description: CONTENT_DOC })
  @IsObject() content: Record<string, unknown>;

  @ApiProperty({ example: 'Confirmed the Codice Fiscale threshold with the carrier; no longer unverified.' })
  @IsString() @IsNotEmpty() @MaxLength(2000) changeNote: string;
}

export class PreviewRuleSetDto {
  @ApiProperty({ type: 'object', additionalProperties: true, description: `The draft content. ${CONTENT_DOC}` })
  @IsObject() content: Record<string, unknown>;

  @ApiPropertyOptional({ example: '2026-07-01', description: 'When the draft would apply from (default: the evaluation date)' })
  @IsOptional() @Matches(DATE, { message: 'must be a date (YYYY-MM-DD)' }) effectiveFrom?: string;

  @ApiProperty({ type: ComplianceCheckDto, description: 'A sample shipment (as for /v1/compliance/check; `at` sets the evaluation date)' })
  @IsObject() @ValidateNested() @Type(() => ComplianceCheckDto) shipment: ComplianceCheckDto;

  @ApiPropertyOptional({ type: 'object', additionalProperties: { type: 'string' }, example: { ioss: 'IM2760000001' }, description: 'Registrations the sample seller holds' })
  @IsOptional() @IsObject() registrations?: Record<string, string>;
}

export class RuleSetQueryDto {
  @ApiPropertyOptional({ example: '2026-07-01', description: 'Resolve as of this date (default today)' })
  @IsOptional() @Matches(DATE, { message: 'must be a date (YYYY-MM-DD)' }) on?: string;
}

export class RuleSetVersionDto {
  @ApiProperty({ example: 'DE' }) country: string;
  @ApiProperty({ example: 2 }) version: number;
  @ApiProperty({ example: '2026-07-01' }) effectiveFrom: string;
  @ApiPropertyOptional({ nullable: true }) effectiveTo: string | null;
  @ApiProperty({ example: 'admin:6f1c…' }) author: string;
  @ApiProperty() changeNote: string;
  @ApiProperty() createdAt: string;
  @ApiProperty({ type: 'object', additionalProperties: true }) content: object;
}

export class RuleSetSummaryDto {
  @ApiProperty({ example: 'DE' }) country: string;
  @ApiPropertyOptional({ example: 'Germany' }) name?: string;
  @ApiPropertyOptional({ example: 'EU', nullable: true }) inherits: string | null;
  @ApiPropertyOptional({ nullable: true, description: 'The version in force today (null when only future versions exist)' })
  currentVersion: number | null;
  @ApiPropertyOptional({ nullable: true }) currentSince: string | null;
  @ApiPropertyOptional({ nullable: true, description: 'The next scheduled version, if any' }) next: { version: number; effectiveFrom: string } | null;
  @ApiProperty() versions: number;
  @ApiProperty({ description: 'Number of rules in force marked unverified' }) unverifiedRules: number;
}

export class ContentChangeDto {
  @ApiProperty({ example: 'customs.vat.ratePercent' }) path: string;
  @ApiPropertyOptional({ example: 19 }) before?: unknown;
  @ApiPropertyOptional({ example: 21 }) after?: unknown;
}

export class RuleSetDetailDto {
  @ApiProperty({ example: 'DE' }) country: string;
  @ApiProperty({ example: '2026-12-01' }) on: string;
  @ApiPropertyOptional({ type: RuleSetVersionDto, nullable: true }) current: RuleSetVersionDto | null;
  @ApiProperty({
    type: 'object',
    additionalProperties: true,
    nullable: true,
    description: 'The content in force with inheritance resolved, and for every field the rule set and version it came from',
  })
  resolved: unknown;
  @ApiProperty({ type: [RuleSetVersionDto], description: 'Every version, newest first' }) history: RuleSetVersionDto[];
}

export class AffectedShipmentsDto {
  @ApiProperty({ example: '2026-07-01' }) from: string;
  @ApiProperty({ example: ['DE'], description: 'Destinations the version applies to (a group lists its members)' }) countries: string[];
  @ApiProperty({ description: 'Shipments booked to those destinations on or after `from`: booking rules apply to them' }) bookedSince: number;
  @ApiProperty({ description: 'Shipments to those destinations still on their way: customs rules apply by event date' }) inFlight: number;
}

export class CreatedRuleSetVersionDto extends RuleSetVersionDto {
  @ApiProperty({ type: [ContentChangeDto], description: 'What changed against the previous version' }) diff: ContentChange[];
  @ApiProperty({ type: AffectedShipmentsDto }) affected: AffectedShipmentsDto;
}

export class RuleSetPreviewDto {
  @ApiProperty({ type: VerdictDto, description: 'The sample under the draft' }) draft: VerdictDto;
  @ApiProperty({ type: VerdictDto, description: 'The same sample under the rules in force' }) current: VerdictDto;
  @ApiProperty({ type: [ContentChangeDto], description: 'The draft against the version in force' }) diff: ContentChange[];
}

export function toRuleSetVersionDto(v: StoredRuleSetVersion): RuleSetVersionDto {
  return {
    country: v.country,
    version: v.version,
    effectiveFrom: v.effectiveFrom,
    effectiveTo: v.effectiveTo ?? null,
    author: v.author,
    changeNote: v.changeNote,
    createdAt: new Date(v.createdAt).toISOString(),
    content: v.content,
  };
}

export class AffectedQueryDto {
  @ApiProperty({ example: '2026-07-01', description: 'The effective date to count from' })
  @Matches(DATE, { message: 'must be a date (YYYY-MM-DD)' }) from: string;

  @ApiPropertyOptional({ description: 'The `nextCursor` of the previous page' })
  @IsOptional() @IsString() @MaxLength(200) cursor?: string;

  @ApiPropertyOptional({ example: 50, maximum: 100 })
  @IsOptional() @Type(() => Number) @IsInt() @Min(1) @Max(100) limit?: number;
}

export class AffectedShipmentDto {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty({ format: 'uuid' }) retailerId: string;
  @ApiProperty() trackingNumber: string;
  @ApiProperty({ example: 'in_transit' }) status: string;
  @ApiProperty({ example: 'DE' }) destination: string;
  @ApiPropertyOptional({ nullable: true, example: 'ok' }) complianceStatus: string | null;
  @ApiProperty() bookedAt: string;
}

export class AffectedShipmentsPageDto {
  @ApiProperty({ example: '2026-07-01' }) from: string;
  @ApiProperty({ example: ['DE'] }) countries: string[];
  @ApiProperty({ type: [AffectedShipmentDto] }) data: AffectedShipmentDto[];
  @ApiPropertyOptional({ nullable: true }) nextCursor: string | null;
}
