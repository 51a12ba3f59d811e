import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import { IsBoolean, IsEmail, IsIn, IsNotEmpty, IsOptional, IsString, MaxLength } from 'class-validator';
import { ApiKeyResponseDto, IssuedApiKeyResponseDto } from '../../auth/dto/api-key.dto';
import { ADMIN_ROLES, AdminRole } from '../../auth/principal';

const trim = ({ value }: { value: unknown }) => (typeof value === 'string' ? value.trim() : value);

export class CreateAdminUserDto {
  @ApiProperty({ example: 'sam.agent@passage.example' })
  @Transform(trim) @IsEmail() @MaxLength(254) email: string;

  @ApiProperty({ example: 'Sam Agent' })
  @Transform(trim) @IsString() @IsNotEmpty() @MaxLength(200) name: string;

  @ApiProperty({ enum: ADMIN_ROLES, description: 'agent: read, work exceptions, resend messages, preview and declare incidents; supervisor: also status overrides, consignee erasure and closing incidents; admin: everything' })
  @IsIn(ADMIN_ROLES) role: AdminRole;
}

export class UpdateAdminUserDto {
  @ApiPropertyOptional({ enum: ADMIN_ROLES, description: 'The new role; it applies to every token of the user' })
  @IsOptional() @IsIn(ADMIN_ROLES) role?: AdminRole;

  @ApiPropertyOptional({ example: 'Sam Supervisor' })
  @IsOptional() @Transform(trim) @IsString() @IsNotEmpty() @MaxLength(200) name?: string;

  @ApiPropertyOptional({ description: 'true disables the user (all their tokens answer 401, and are kept); false enables them again' })
  @IsOptional() @IsBoolean() disabled?: boolean;
}

export class AdminUserDto {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty() email: string;
  @ApiProperty() name: string;
  @ApiProperty({ enum: ADMIN_ROLES }) role: AdminRole;
  @ApiProperty() createdAt: string;
  @ApiPropertyOptional({ nullable: true }) disabledAt: string | null;
  @ApiProperty({ type: [ApiKeyResponseDto], description: 'The user’s tokens (never the tokens themselves)' }) tokens: ApiKeyResponseDto[];
}

export class CreatedAdminUserDto extends AdminUserDto {
  @ApiProperty({ type: IssuedApiKeyResponseDto, description: 'The user’s first token; its `key` is shown only in this response' })
  token: IssuedApiKeyResponseDto;
}

export class AdminUserListDto {
  @ApiProperty({ type: [AdminUserDto] }) data: AdminUserDto[];
}

export class RevokedTokensDto {
  @ApiProperty({ type: [ApiKeyResponseDto], description: 'The tokens this call revoked (none when the user had no active token)' })
  revoked: ApiKeyResponseDto[];
}
