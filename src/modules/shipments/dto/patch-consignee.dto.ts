import { ApiPropertyOptional } from '@nestjs/swagger';
import { Transform, Type } from 'class-transformer';
import { IsEmail, IsNotEmpty, IsObject, IsOptional, IsString, MaxLength, ValidateNested } from 'class-validator';
import { IsBcp47Locale, IsE164Phone } from '../../../common/http/validators';
import { AddressDto } from './create-shipment.dto';

const trim = ({ value }: { value: unknown }) => (typeof value === 'string' ? value.trim() : value);

/** Any subset of the consignee; a given address replaces the whole address (same country). */
export class PatchConsigneeDto {
  @ApiPropertyOptional({ example: 'João Silva' })
  @IsOptional() @Transform(trim) @IsString() @IsNotEmpty() @MaxLength(200) name?: string;

  @ApiPropertyOptional({ example: 'joao@example.com' })
  @IsOptional() @Transform(trim) @IsEmail() @MaxLength(254) email?: string;

  @ApiPropertyOptional({ example: '+5511987654321', description: 'E.164' })
  @IsOptional() @IsE164Phone() phone?: string;

  @ApiPropertyOptional({ example: 'pt-BR' })
  @IsOptional() @IsBcp47Locale() locale?: string;

  @ApiPropertyOptional({ example: '123.456.789-09', description: 'The tax or ID number the destination requires' })
  @IsOptional() @Transform(trim) @IsString() @IsNotEmpty() @MaxLength(40) taxId?: string;

  @ApiPropertyOptional({ type: AddressDto, description: 'Replaces the whole address; the country cannot change' })
  @IsOptional() @IsObject() @ValidateNested() @Type(() => AddressDto) address?: AddressDto;
}
