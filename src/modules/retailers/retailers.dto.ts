import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import { IsInt, IsNotEmpty, IsOptional, IsString, Max, MaxLength, Min } from 'class-validator';
import { RetailerEntity } from './retailer.entity';

const trim = ({ value }: { value: unknown }) => (typeof value === 'string' ? value.trim() : value);

export class CreateRetailerDto {
  @ApiProperty({ example: 'Acme Outdoor GmbH' })
  @Transform(trim) @IsString() @IsNotEmpty() @MaxLength(200) name: string;

  @ApiPropertyOptional({ example: 30, default: 30, description: 'Days after delivery during which a return may be opened' })
  @IsOptional() @IsInt() @Min(0) @Max(365) returnWindowDays?: number;
}

export class UpdateRetailerDto {
  @ApiPropertyOptional({ example: 'Acme Outdoor GmbH' })
  @IsOptional() @Transform(trim) @IsString() @IsNotEmpty() @MaxLength(200) name?: string;

  @ApiPropertyOptional({ example: 45 })
  @IsOptional() @IsInt() @Min(0) @Max(365) returnWindowDays?: number;
}

export class RetailerResponseDto {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty() name: string;
  @ApiProperty() returnWindowDays: number;
  @ApiProperty() createdAt: string;
  @ApiProperty() updatedAt: string;
}

export function toRetailerResponse(r: RetailerEntity): RetailerResponseDto {
  return {
    id: r.id,
    name: r.name,
    returnWindowDays: r.returnWindowDays,
    createdAt: r.createdAt.toISOString(),
    updatedAt: r.updatedAt.toISOString(),
  };
}
