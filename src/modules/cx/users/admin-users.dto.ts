import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import { IsEmail, IsIn, IsNotEmpty, IsString, MaxLength } from 'class-validator';
import { ApiKeyResponseDto, IssuedApiKeyResponseDto } from '../../auth/dto/api-key.dto';
import { ADMIN_ROLES, AdminRole } from '../../auth/principal';

const trim = ({ value }: { value: unknown }) => (typeof value === 'string' ? value.trim() : value);

export class CreateAdminUserDto {
  @ApiProperty({ example: 'sam.agent@passage.example' })
  @Transform(trim) @IsEmail() @MaxLength(254) email: string;

  @ApiProperty({ example: 'Sam Agent' })
  @Transform(trim) @IsString() @IsNotEmpty() @MaxLength(200) name: string;

  @ApiProperty({ enum: ADMIN_ROLES, description: 'agent: read and work exceptions; supervisor: also status overrides and incidents; admin: everything' })
  @IsIn(ADMIN_ROLES) role: AdminRole;
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
