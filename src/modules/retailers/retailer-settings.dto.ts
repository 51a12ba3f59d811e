import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Transform, Type } from 'class-transformer';
import { IsInt, IsObject, IsOptional, Matches, Max, Min, ValidateIf, ValidateNested } from 'class-validator';
import type { Registration } from '../country-rules/rule-set/rule-set-content';
import { RetailerEntity } from './retailer.entity';

const compact = ({ value }: { value: unknown }) => (typeof value === 'string' ? value.replace(/\s+/g, '').toUpperCase() : value);
// `null` removes a registration; absent leaves it as it is.
const Registered = (pattern: RegExp, message: string) => (target: object, key: string) => {
  Transform(compact)(target, key);
  ValidateIf((_, v) => v !== null && v !== undefined)(target, key);
  Matches(pattern, { message })(target, key);
};

/**
 * Registrations the low-value schemes need. Formats follow the issuing authorities where known; VOEC and
 * Remessa Conforme identifiers have no published pattern here, so only their shape is checked.
 */
export class RegistrationsDto {
  @ApiPropertyOptional({ example: 'IM2760000001', nullable: true, description: 'EU IOSS number (IM + 10 digits)' })
  @Registered(/^IM\d{10}$/, 'must be an IOSS number: IM followed by 10 digits') ioss?: string | null;

  @ApiPropertyOptional({ example: 'GB123456789', nullable: true, description: 'UK VAT registration number' })
  @Registered(/^GB(\d{9}|\d{12}|GD\d{3}|HA\d{3})$/, 'must be a UK VAT number: GB followed by 9 or 12 digits') ukVat?: string | null;

  @ApiPropertyOptional({ example: '2024123', nullable: true, description: 'Norwegian VOEC number' })
  @Registered(/^(VOEC)?\d{7}$/, 'must be a VOEC number of 7 digits') voec?: string | null;

  @ApiPropertyOptional({ example: '51824753556', nullable: true, description: 'Australian ABN (11 digits) or ARN (12 digits)' })
  @Registered(/^\d{11,12}$/, 'must be an ABN (11 digits) or ARN (12 digits)') auGst?: string | null;

  @ApiPropertyOptional({ example: '123456789', nullable: true, description: 'New Zealand GST (IRD) number' })
  @Registered(/^\d{8,9}$/, 'must be an IRD/GST number of 8 or 9 digits') nzGst?: string | null;

  @ApiPropertyOptional({ example: 'M90012345X', nullable: true, description: 'Singapore GST (OVR) registration number' })
  @Registered(/^[A-Z0-9]{9,10}$/, 'must be a GST registration number of 9 or 10 letters and digits') sgGst?: string | null;

  @ApiPropertyOptional({ example: 'CHE-123.456.789', nullable: true, description: 'Swiss VAT (UID) number' })
  @Registered(/^CHE-?\d{3}\.?\d{3}\.?\d{3}(MWST|TVA|IVA)?$/, 'must be a Swiss UID: CHE-123.456.789') chVat?: string | null;

  @ApiPropertyOptional({ example: 'RC-2024-00123', nullable: true, description: 'Brazil Remessa Conforme certification' })
  @Registered(/^[A-Z0-9./-]{3,40}$/, 'must be 3 to 40 letters, digits, dots, slashes or dashes') brRemessaConforme?: string | null;
}

export class UpdateRetailerSettingsDto {
  @ApiPropertyOptional({ type: RegistrationsDto, description: 'Set a number to use a scheme; null removes it' })
  @IsOptional() @IsObject() @ValidateNested() @Type(() => RegistrationsDto) registrations?: RegistrationsDto;

  @ApiPropertyOptional({ example: 30, description: 'Days after delivery during which a return may be opened' })
  @IsOptional() @IsInt() @Min(0) @Max(365) returnWindowDays?: number;
}

export class RetailerSettingsDto {
  @ApiProperty({ type: RegistrationsDto }) registrations: Partial<Record<Registration, string>>;
  @ApiProperty({ example: 30 }) returnWindowDays: number;
  @ApiProperty() updatedAt: string;
}

export const toRetailerSettings = (r: RetailerEntity): RetailerSettingsDto => ({
  registrations: r.registrations,
  returnWindowDays: r.returnWindowDays,
  updatedAt: r.updatedAt.toISOString(),
});
