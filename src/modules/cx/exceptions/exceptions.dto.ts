import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Transform, Type } from 'class-transformer';
import { IsBoolean, IsIn, IsInt, IsNotEmpty, IsOptional, IsString, IsUUID, Matches, Max, MaxLength, Min, ValidateIf } from 'class-validator';
import { EXCEPTION_EVENT_KINDS, EXCEPTION_SOURCES, EXCEPTION_STATUSES, EXCEPTION_TYPES, ExceptionStatus, ExceptionType, SEVERITIES } from './exception-types';

const trim = ({ value }: { value: unknown }) => (typeof value === 'string' ? value.trim() : value);
const toBool = ({ value }: { value: unknown }) => (value === 'true' ? true : value === 'false' ? false : value);
/** `a,b` or repeated parameters → a list. */
const toList = ({ value }: { value: unknown }) => (typeof value === 'string' ? value.split(',').map((v) => v.trim()).filter(Boolean) : value);

export const EXCEPTION_SORTS = ['opened_at', 'sla_due_at'] as const;
export type ExceptionSort = (typeof EXCEPTION_SORTS)[number];

export class ExceptionListQueryDto {
  @ApiPropertyOptional({ enum: EXCEPTION_TYPES, isArray: true, description: 'One type, or several separated by commas' })
  @IsOptional() @Transform(toList) @IsIn(EXCEPTION_TYPES, { each: true }) type?: ExceptionType[];

  @ApiPropertyOptional({
    enum: [...EXCEPTION_STATUSES, 'unresolved'],
    description: 'Default `unresolved` (open, in progress or waiting for the customer)',
  })
  @IsOptional() @IsIn([...EXCEPTION_STATUSES, 'unresolved']) status?: ExceptionStatus | 'unresolved';

  @ApiPropertyOptional({ example: 'DE', description: 'The shipment’s destination country' })
  @IsOptional() @Matches(/^[A-Z]{2}$/, { message: 'must be an ISO 3166-1 alpha-2 code in capitals' }) country?: string;

  @ApiPropertyOptional({ format: 'uuid' })
  @IsOptional() @IsUUID() retailerId?: string;

  @ApiPropertyOptional({ format: 'uuid', description: 'The admin user working it' })
  @IsOptional() @IsUUID() assigneeId?: string;

  @ApiPropertyOptional({ example: 24, description: 'Opened more than this many hours ago' })
  @IsOptional() @Type(() => Number) @IsInt() @Min(0) @Max(24 * 365) olderThanHours?: number;

  @ApiPropertyOptional({ description: 'true: unresolved and past its SLA; false: unresolved and within it' })
  @IsOptional() @Transform(toBool) @IsBoolean() slaBreached?: boolean;

  @ApiPropertyOptional({ format: 'uuid' })
  @IsOptional() @IsUUID() incidentId?: string;

  @ApiPropertyOptional({ enum: EXCEPTION_SORTS, default: 'opened_at' })
  @IsOptional() @IsIn(EXCEPTION_SORTS) sort?: ExceptionSort;

  @ApiPropertyOptional({ enum: ['asc', 'desc'], default: 'asc', description: 'asc: oldest (or most urgent) first' })
  @IsOptional() @IsIn(['asc', 'desc']) order?: 'asc' | 'desc';

  @ApiPropertyOptional({ description: 'The `nextCursor` of the previous page (same filters and sort)' })
  @IsOptional() @IsString() @MaxLength(200) cursor?: string;

  @ApiPropertyOptional({ example: 50, maximum: 200 })
  @IsOptional() @Type(() => Number) @IsInt() @Min(1) @Max(200) limit?: number;
}

export class ExceptionDto {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty({ format: 'uuid' }) shipmentId: string;
  @ApiProperty({ format: 'uuid' }) retailerId: string;
  @ApiProperty() trackingNumber: string;
  @ApiProperty({ enum: EXCEPTION_TYPES }) type: ExceptionType;
  @ApiProperty({ enum: SEVERITIES }) severity: string;
  @ApiProperty({ enum: EXCEPTION_STATUSES }) status: ExceptionStatus;
  @ApiProperty({ enum: EXCEPTION_SOURCES }) source: string;
  @ApiPropertyOptional({ nullable: true, format: 'uuid' }) assigneeId: string | null;
  @ApiPropertyOptional({ nullable: true, example: 'DE' }) destinationCountry: string | null;
  @ApiProperty() slaDueAt: string;
  @ApiProperty({ description: 'Unresolved past its SLA, or resolved after it' }) slaBreached: boolean;
  @ApiProperty() openedAt: string;
  @ApiPropertyOptional({ nullable: true }) firstTouchAt: string | null;
  @ApiProperty({ description: 'Agent actions on it that act on the case (note, resolve, reopen; not an assignment)' }) touches: number;
  @ApiPropertyOptional({ nullable: true }) resolvedAt: string | null;
  @ApiPropertyOptional({ nullable: true }) resolutionCode: string | null;
  @ApiProperty() reopenedCount: number;
  @ApiPropertyOptional({ nullable: true }) lastReopenedAt: string | null;
  @ApiPropertyOptional({ nullable: true, format: 'uuid' }) incidentId: string | null;
  @ApiPropertyOptional({ nullable: true }) consigneeNotifiedAt: string | null;
  @ApiPropertyOptional({ nullable: true }) occurrenceKey: string | null;
}

export class ExceptionEventDto {
  @ApiProperty() id: string;
  @ApiProperty({ enum: EXCEPTION_EVENT_KINDS }) kind: string;
  @ApiProperty({ example: 'user:6f1c2d9e-5b7a-4a0e-9c51-2b8f3e7d4a10', description: '`system`, `inbound`, `detector:<name>`, `user:<id>` or `admin:<keyId>`' })
  actor: string;
  @ApiProperty({ type: 'object', additionalProperties: true }) body: Record<string, unknown>;
  @ApiProperty() createdAt: string;
}

export class ExceptionDetailDto extends ExceptionDto {
  @ApiProperty({ type: [ExceptionEventDto], description: 'Its log, oldest first: opening, assignments, notes, status changes, resolution, reopenings' })
  events: ExceptionEventDto[];
}

export class ExceptionPageDto {
  @ApiProperty({ type: [ExceptionDto] }) data: ExceptionDto[];
  @ApiPropertyOptional({ nullable: true }) nextCursor: string | null;
}

export class AssignExceptionDto {
  @ApiProperty({ format: 'uuid', nullable: true, description: 'An active admin user, or null to unassign' })
  @ValidateIf((o: AssignExceptionDto) => o.assigneeId !== null) @IsUUID() assigneeId: string | null;
}

export const NOTE_STATUSES = ['in_progress', 'waiting_customer'] as const;

export class AddNoteDto {
  @ApiProperty({ example: 'Called the consignee; they will send the invoice tonight.' })
  @Transform(trim) @IsString() @IsNotEmpty() @MaxLength(5000) body: string;

  @ApiPropertyOptional({ enum: NOTE_STATUSES, description: 'Move the exception along with the note' })
  @IsOptional() @IsIn(NOTE_STATUSES) status?: (typeof NOTE_STATUSES)[number];
}

export class ResolveExceptionDto {
  @ApiProperty({ example: 'consignee_contacted', description: 'A short code: lowercase letters, digits and underscores' })
  @Matches(/^[a-z][a-z0-9_]{1,59}$/, { message: 'must be a short code of lowercase letters, digits and underscores' }) resolutionCode: string;

  @ApiProperty({ example: 'Address corrected with the carrier; redelivery tomorrow.' })
  @Transform(trim) @IsString() @IsNotEmpty() @MaxLength(5000) note: string;

  @ApiPropertyOptional({ default: false, description: 'Tell the consignee the issue is resolved, through the planner (see the description of the route)' })
  @IsOptional() @IsBoolean() notifyConsignee?: boolean;
}

export class ReopenExceptionDto {
  @ApiPropertyOptional({ example: 'The consignee says the parcel never arrived.' })
  @IsOptional() @Transform(trim) @IsString() @IsNotEmpty() @MaxLength(5000) note?: string;
}
