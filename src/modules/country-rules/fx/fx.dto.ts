import { ApiProperty } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import { IsNotEmpty, IsNumber, IsPositive, IsString, Matches, MaxLength } from 'class-validator';
import { IsIsoCurrency } from '../../../common/http/validators';
import { StoredFxRate } from './fx.repository';

export class CreateFxRateDto {
  @ApiProperty({ example: 'USD', description: 'ISO 4217 code (XDR for the SDR)' })
  @Transform(({ value }) => (typeof value === 'string' ? value.trim().toUpperCase() : value))
  @IsIsoCurrency()
  currency: string;

  @ApiProperty({ example: 1.0842, description: 'Units of the currency per 1 EUR (the ECB convention)' })
  @IsNumber({ maxDecimalPlaces: 10, allowNaN: false, allowInfinity: false }) @IsPositive()
  unitsPerEur: number;

  @ApiProperty({ example: '2026-11-24', description: 'The date from which this rate applies' })
  @Matches(/^\d{4}-(0[1-9]|1[0-2])-(0[1-9]|[12]\d|3[01])$/, { message: 'must be a date (YYYY-MM-DD)' })
  asOf: string;

  @ApiProperty({ example: 'ECB euro foreign exchange reference rates, 2026-11-24' })
  @IsString() @IsNotEmpty() @MaxLength(300)
  source: string;
}

export class FxRateResponseDto {
  @ApiProperty({ example: 'USD' }) currency: string;
  @ApiProperty({ example: 1.0842 }) unitsPerEur: number;
  @ApiProperty({ example: '2026-11-24' }) asOf: string;
  @ApiProperty() source: string;
  @ApiProperty({ description: 'True for seeded placeholders that an operator has not yet replaced' }) unverified: boolean;
  @ApiProperty({ description: 'Who wrote it (admin key id, or seed)' }) createdBy: string;
  @ApiProperty() createdAt: string;
}

export function toFxRateResponse(r: StoredFxRate): FxRateResponseDto {
  return { ...r, createdAt: new Date(r.createdAt).toISOString() };
}
