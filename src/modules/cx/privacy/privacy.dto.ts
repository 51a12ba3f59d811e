import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import { IsEmail, IsInt, IsOptional, Max, MaxLength, Min } from 'class-validator';
import { IsE164Phone } from '../../../common/http/validators';

export class EraseConsigneeDto {
  @ApiPropertyOptional({ example: 'erika@example.com', description: 'Exact address, any case' })
  @Transform(({ value }) => (typeof value === 'string' ? value.trim() : value))
  @IsOptional() @IsEmail({}, { message: 'must be an email address' }) @MaxLength(254) email?: string;

  @ApiPropertyOptional({ example: '+4915123456789', description: 'E.164' })
  @IsOptional() @IsE164Phone() phone?: string;
}

export class ErasureDto {
  @ApiProperty({ description: "SHA-256 of the contact as Passage hashes it (what the audit entry names, never the contact itself)" }) subject: string;
  @ApiProperty({ description: 'Shipments whose consignee was pseudonymised' }) shipments: number;
  @ApiProperty({ description: 'Consignee messages stripped of recipient and text (those still waiting are not sent)' }) messages: number;
  @ApiProperty({ description: 'Replies stripped of their words' }) replies: number;
  @ApiProperty({ description: 'Survey comments removed (scores kept)' }) surveys: number;
}

export class RetentionDto {
  @ApiProperty({ minimum: 1, maximum: 3650, example: 180, description: "Days after a shipment's final status before its consignee's data is stripped" })
  @IsInt() @Min(1) @Max(3650) piiRetentionDays: number;
}

export class RetailerRetentionDto extends RetentionDto {
  @ApiProperty() retailerId: string;
}
