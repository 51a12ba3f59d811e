import { ApiProperty } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import { IsNotEmpty, IsString, Matches, MaxLength } from 'class-validator';
import { CarrierEntity } from './carrier.entity';

export class CreateCarrierDto {
  @ApiProperty({ example: 'dhl-de', description: 'Lower-case code; the source that scopes this carrier\'s event ids' })
  @Transform(({ value }) => (typeof value === 'string' ? value.trim().toLowerCase() : value))
  @IsString() @Matches(/^[a-z0-9][a-z0-9_-]{1,39}$/, { message: 'must be 2–40 characters of a–z, 0–9, _ and -' })
  code: string;

  @ApiProperty({ example: 'DHL Paket' })
  @Transform(({ value }) => (typeof value === 'string' ? value.trim() : value))
  @IsString() @IsNotEmpty() @MaxLength(200) name: string;
}

export class CarrierResponseDto {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty() code: string;
  @ApiProperty() name: string;
  @ApiProperty() createdAt: string;
}

export function toCarrierResponse(c: CarrierEntity): CarrierResponseDto {
  return { id: c.id, code: c.code, name: c.name, createdAt: c.createdAt.toISOString() };
}
