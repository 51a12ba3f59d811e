import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsNotEmpty, IsOptional, IsString, MaxLength } from 'class-validator';
import { ApiKeyEntity } from '../api-key.entity';

export class CreateApiKeyDto {
  @ApiPropertyOptional({ example: 'production', description: 'A label to tell keys apart' })
  @IsOptional() @IsString() @IsNotEmpty() @MaxLength(100) name?: string;
}

export class ApiKeyResponseDto {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty({ example: 'production' }) name: string;
  @ApiProperty({ example: 'psg_live_a1B2c3', description: 'The first characters of the key, to recognise it' }) prefix: string;
  @ApiProperty() createdAt: string;
  @ApiPropertyOptional({ nullable: true }) revokedAt: string | null;
}

export class IssuedApiKeyResponseDto extends ApiKeyResponseDto {
  @ApiProperty({ example: 'psg_live_a1B2c3...', description: 'The key itself. Shown only in this response; store it now.' })
  key: string;
}

export function toApiKeyResponse(k: ApiKeyEntity): ApiKeyResponseDto {
  return { id: k.id, name: k.name, prefix: k.prefix, createdAt: k.createdAt.toISOString(), revokedAt: k.revokedAt?.toISOString() ?? null };
}
