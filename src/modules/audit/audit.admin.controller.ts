import { Controller, Get, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiOperation, ApiProperty, ApiPropertyOptional, ApiTags } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsDate, IsInt, IsOptional, IsString, Matches, Max, MaxLength, Min } from 'class-validator';
import { ApiErrors } from '../../common/http/error-responses.decorator';
import { ANY_ADMIN_ROLE, Auth, Roles } from '../auth/principal';
import { AuditLog, StoredAuditEntry } from './audit.repository';

export class AuditQueryDto {
  @ApiPropertyOptional({ example: 'admin:6f1c2d9e-5b7a-4a0e-9c51-2b8f3e7d4a10' })
  @IsOptional() @IsString() @MaxLength(200) actor?: string;

  @ApiPropertyOptional({ example: 'rule_set' })
  @IsOptional() @IsString() @MaxLength(60) targetType?: string;

  @ApiPropertyOptional({ example: 'DE' })
  @IsOptional() @IsString() @MaxLength(200) targetId?: string;

  @ApiPropertyOptional({ example: '2026-11-01T00:00:00Z' })
  @IsOptional() @Type(() => Date) @IsDate() from?: Date;

  @ApiPropertyOptional({ example: '2026-12-01T00:00:00Z' })
  @IsOptional() @Type(() => Date) @IsDate() to?: Date;

  @ApiPropertyOptional({ description: 'The `nextCursor` of the previous page' })
  @IsOptional() @Matches(/^\d{1,18}$/, { message: 'must be a cursor from a previous page' }) cursor?: string;

  @ApiPropertyOptional({ example: 50, maximum: 200 })
  @IsOptional() @Type(() => Number) @IsInt() @Min(1) @Max(200) limit?: number;
}

export class AuditEntryDto {
  @ApiProperty() id: string;
  @ApiProperty({ example: 'admin:6f1c2d9e-…' }) actor: string;
  @ApiProperty({ example: 'rule_set.version_created' }) action: string;
  @ApiProperty({ example: 'rule_set' }) targetType: string;
  @ApiProperty({ example: 'DE' }) targetId: string;
  @ApiPropertyOptional({ nullable: true }) retailerId: string | null;
  @ApiPropertyOptional({ description: 'The state before the change (null for a creation)' }) before: unknown;
  @ApiPropertyOptional({ description: 'The state after the change' }) after: unknown;
  @ApiProperty() createdAt: string;
}

export class AuditPageDto {
  @ApiProperty({ type: [AuditEntryDto] }) data: AuditEntryDto[];
  @ApiPropertyOptional({ nullable: true }) nextCursor: string | null;
}

const toDto = (e: StoredAuditEntry): AuditEntryDto => ({
  id: e.id,
  actor: e.actor,
  action: e.action,
  targetType: e.targetType,
  targetId: e.targetId,
  retailerId: e.retailerId ?? null,
  before: e.before ?? null,
  after: e.after ?? null,
  createdAt: new Date(e.createdAt).toISOString(),
});

@ApiTags('admin: audit')
@ApiBearerAuth('admin')
@Auth('admin')
@Roles('admin')
@Controller('v1/admin/audit')
export class AuditAdminController {
  constructor(private readonly audit: AuditLog) {}

  @Roles(...ANY_ADMIN_ROLE)
  @Get()
  @ApiOperation({ summary: 'Who changed what and when, newest first, filtered by actor, target and time' })
  @ApiOkResponse({ type: AuditPageDto })
  @ApiErrors(400, 401, 403)
  async list(@Query() q: AuditQueryDto): Promise<AuditPageDto> {
    const limit = q.limit ?? 50;
    const rows = await this.audit.list({ ...q, beforeId: q.cursor, limit: limit + 1 });
    const page = rows.slice(0, limit);
    return { data: page.map(toDto), nextCursor: rows.length > limit ? page[page.length - 1].id : null };
  }
}
