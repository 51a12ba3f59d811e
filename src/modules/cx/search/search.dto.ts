import { ApiProperty } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import { IsNotEmpty, IsString, MaxLength } from 'class-validator';

export class SearchQueryDto {
  @ApiProperty({ example: 'PSG7K2M9Q4X8B1N3', description: 'A tracking number, return or order reference, consignee email or phone: matched exactly' })
  @Transform(({ value }: { value: unknown }) => (typeof value === 'string' ? value.trim() : value))
  @IsString() @IsNotEmpty() @MaxLength(254) q: string;
}

export const SEARCH_MATCHES = ['tracking_number', 'return_reference', 'reference', 'email', 'phone'] as const;

export class SearchHitDto {
  @ApiProperty({ format: 'uuid' }) shipmentId: string;
  @ApiProperty({ format: 'uuid' }) retailerId: string;
  @ApiProperty() trackingNumber: string;
  @ApiProperty() reference: string;
  @ApiProperty() status: string;
  @ApiProperty() destinationCountry: string;
  @ApiProperty() createdAt: string;
  @ApiProperty({ enum: SEARCH_MATCHES }) matchedOn: (typeof SEARCH_MATCHES)[number];
}

export class SearchResultDto {
  @ApiProperty({ type: [SearchHitDto], description: 'Newest first, at most 50' }) data: SearchHitDto[];
}
