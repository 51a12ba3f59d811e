import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Transform, Type } from 'class-transformer';
import {
  ArrayMaxSize,
  ArrayMinSize,
  IsArray,
  IsEmail,
  IsIn,
  IsISO8601,
  IsNotEmpty,
  IsObject,
  IsOptional,
  IsString,
  MaxLength,
  ValidateNested,
} from 'class-validator';
import { IsE164Phone } from '../../../common/http/validators';
import { AddressDto, ItemDto, OriginDto, ShippingCostDto } from '../../shipments/dto/create-shipment.dto';

const trim = ({ value }: { value: unknown }) => (typeof value === 'string' ? value.trim() : value);

/** At checkout the name may not be known yet: only the address is required. */
export class ComplianceConsigneeDto {
  @ApiPropertyOptional({ example: 'João Silva' })
  @IsOptional() @Transform(trim) @IsString() @IsNotEmpty() @MaxLength(200) name?: string;

  @ApiPropertyOptional({ example: 'joao@example.com' })
  @IsOptional() @Transform(trim) @IsEmail() @MaxLength(254) email?: string;

  @ApiPropertyOptional({ example: '+5511987654321' })
  @IsOptional() @IsE164Phone() phone?: string;

  @ApiPropertyOptional({ example: '123.456.789-09' })
  @IsOptional() @Transform(trim) @IsString() @IsNotEmpty() @MaxLength(40) taxId?: string;

  @ApiProperty({ type: AddressDto })
  @IsObject() @ValidateNested() @Type(() => AddressDto) address: AddressDto;
}

export class ComplianceCheckDto {
  @ApiProperty({ enum: ['DDP', 'DAP'] })
  @IsIn(['DDP', 'DAP']) incoterm: 'DDP' | 'DAP';

  @ApiProperty({ type: OriginDto })
  @IsObject() @ValidateNested() @Type(() => OriginDto) origin: OriginDto;

  @ApiProperty({ type: ComplianceConsigneeDto })
  @IsObject() @ValidateNested() @Type(() => ComplianceConsigneeDto) consignee: ComplianceConsigneeDto;

  @ApiProperty({ type: [ItemDto] })
  @IsArray() @ArrayMinSize(1) @ArrayMaxSize(100) @ValidateNested({ each: true }) @Type(() => ItemDto) items: ItemDto[];

  @ApiPropertyOptional({ type: ShippingCostDto, description: 'Freight charged, for destinations that tax on CIF value' })
  @IsOptional() @IsObject() @ValidateNested() @Type(() => ShippingCostDto) shipping?: ShippingCostDto;

  @ApiPropertyOptional({
    example: '2026-07-01',
    description: 'Evaluate the rules in force on this date or instant instead of now, to see what changes on a given day',
  })
  @IsOptional() @IsISO8601({ strict: true }, { message: 'must be an ISO 8601 date or date-time' }) at?: string;
}
