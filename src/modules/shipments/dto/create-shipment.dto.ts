import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Transform, Type } from 'class-transformer';
import {
  ArrayMaxSize,
  ArrayMinSize,
  IsArray,
  IsBoolean,
  IsEmail,
  IsIn,
  IsInt,
  IsNotEmpty,
  IsObject,
  IsOptional,
  IsString,
  Max,
  MaxLength,
  Min,
  ValidateBy,
  ValidateNested,
} from 'class-validator';
import {
  IsBcp47Locale,
  IsE164Phone,
  IsHsCode,
  IsIsoCountry,
  IsIsoCurrency,
  IsPostcodeForCountry,
  normalizeHsCode,
} from '../../../common/http/validators';

const trim = ({ value }: { value: unknown }) => (typeof value === 'string' ? value.trim() : value);
const upper = ({ value }: { value: unknown }) => (typeof value === 'string' ? value.trim().toUpperCase() : value);

export class OriginDto {
  @ApiProperty({ example: 'GB', description: 'ISO 3166-1 alpha-2' })
  @Transform(upper) @IsIsoCountry() country: string;

  @ApiPropertyOptional({ example: 'London' })
  @IsOptional() @Transform(trim) @IsString() @IsNotEmpty() @MaxLength(100) city?: string;

  @ApiPropertyOptional({ example: 'SW1A 1AA' })
  @IsOptional() @Transform(trim) @IsString() @IsPostcodeForCountry('country') postcode?: string;
}

export class AddressDto {
  @ApiProperty({ example: ['Invalidenstraße 116'], type: [String] })
  @IsArray() @ArrayMinSize(1) @ArrayMaxSize(4) @IsString({ each: true }) @IsNotEmpty({ each: true }) @MaxLength(200, { each: true })
  lines: string[];

  @ApiProperty({ example: 'Berlin' })
  @Transform(trim) @IsString() @IsNotEmpty() @MaxLength(100) city: string;

  @ApiPropertyOptional({ example: '10115' })
  @IsOptional() @Transform(trim) @IsString() @IsPostcodeForCountry('country') postcode?: string;

  @ApiPropertyOptional({ example: 'BE' })
  @IsOptional() @Transform(trim) @IsString() @MaxLength(100) region?: string;

  @ApiProperty({ example: 'DE', description: 'ISO 3166-1 alpha-2' })
  @Transform(upper) @IsIsoCountry() country: string;
}

export class ConsigneeDto {
  @ApiProperty({ example: 'Erika Mustermann' })
  @Transform(trim) @IsString() @IsNotEmpty() @MaxLength(200) name: string;

  @ApiPropertyOptional({ example: 'erika@example.com' })
  @IsOptional() @Transform(trim) @IsEmail() @MaxLength(254) email?: string;

  @ApiPropertyOptional({ example: '+4915123456789', description: 'E.164' })
  @IsOptional() @IsE164Phone() phone?: string;

  @ApiPropertyOptional({ example: 'de-DE', description: 'BCP 47 language tag for messages' })
  @IsOptional() @IsBcp47Locale() locale?: string;

  @ApiPropertyOptional({ example: '12345678909', description: 'Consignee tax or ID number where the destination requires one' })
  @IsOptional() @Transform(trim) @IsString() @IsNotEmpty() @MaxLength(40) taxId?: string;

  @ApiProperty({ type: AddressDto })
  @IsObject() @ValidateNested() @Type(() => AddressDto) address: AddressDto;
}

export class ItemDto {
  @ApiProperty({ example: 'Cotton T-shirt' })
  @Transform(trim) @IsString() @IsNotEmpty() @MaxLength(300) description: string;

  @ApiPropertyOptional({ example: '610910', description: 'HS code, 6–10 digits' })
  @IsOptional() @Transform(({ value }) => (typeof value === 'string' ? normalizeHsCode(value) : value)) @IsHsCode() hsCode?: string;

  @ApiProperty({ example: 2, minimum: 1 })
  @IsInt() @Min(1) @Max(100000) quantity: number;

  @ApiProperty({ example: 1999, description: 'Value of one unit in minor units of `currency` (cents)' })
  @IsInt() @Min(0) @Max(1_000_000_000) unitValue: number;

  @ApiProperty({ example: 'EUR', description: 'ISO 4217' })
  @Transform(upper) @IsIsoCurrency() currency: string;

  @ApiProperty({ example: 'PT', description: 'Country of origin of the goods (ISO 3166-1 alpha-2)' })
  @Transform(upper) @IsIsoCountry() originCountry: string;

  @ApiProperty({ example: 250 })
  @IsInt() @Min(1) @Max(1_000_000) weightGrams: number;
}

export class ShippingCostDto {
  @ApiProperty({ example: 1200, description: 'Freight (and insurance) charged, in minor units of `currency`' })
  @IsInt() @Min(0) @Max(1_000_000_000) value: number;

  @ApiProperty({ example: 'EUR', description: 'ISO 4217' })
  @Transform(upper) @IsIsoCurrency() currency: string;
}

export class NotifyDto {
  @ApiProperty({ example: true }) @IsBoolean() email: boolean;
  @ApiProperty({ example: false }) @IsBoolean() sms: boolean;
}

function isFlatStringMap(value: unknown): boolean {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) return false;
  const entries = Object.entries(value);
  return (
    entries.length <= 50 &&
    entries.every(([k, v]) => k.length > 0 && k.length <= 40 && typeof v === 'string' && v.length <= 500)
  );
}

export class CreateShipmentDto {
  @ApiProperty({ example: 'ORDER-10045', description: 'Your reference; unique among your shipments' })
  @Transform(trim) @IsString() @IsNotEmpty() @MaxLength(100) reference: string;

  @ApiProperty({ example: 'standard' })
  @Transform(trim) @IsString() @IsNotEmpty() @MaxLength(50) service: string;

  @ApiProperty({ enum: ['DDP', 'DAP'] })
  @IsIn(['DDP', 'DAP']) incoterm: 'DDP' | 'DAP';

  @ApiProperty({ type: OriginDto })
  @IsObject() @ValidateNested() @Type(() => OriginDto) origin: OriginDto;

  @ApiProperty({ type: ConsigneeDto })
  @IsObject() @ValidateNested() @Type(() => ConsigneeDto) consignee: ConsigneeDto;

  @ApiProperty({ type: [ItemDto] })
  @IsArray() @ArrayMinSize(1) @ArrayMaxSize(100) @ValidateNested({ each: true }) @Type(() => ItemDto) items: ItemDto[];

  @ApiPropertyOptional({ type: ShippingCostDto, description: 'Freight charged, for destinations that tax on CIF value' })
  @IsOptional() @IsObject() @ValidateNested() @Type(() => ShippingCostDto) shipping?: ShippingCostDto;

  @ApiProperty({ type: NotifyDto })
  @IsObject() @ValidateNested() @Type(() => NotifyDto) notify: NotifyDto;

  @ApiPropertyOptional({ example: { channel: 'web' }, description: 'Up to 50 string values' })
  @IsOptional()
  @ValidateBy({ name: 'isFlatStringMap', validator: { validate: isFlatStringMap, defaultMessage: () => 'must be an object of at most 50 string values (keys ≤ 40, values ≤ 500 characters)' } })
  metadata?: Record<string, string>;
}
