import { ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsDate, IsIn, IsInt, IsOptional, IsString, Max, MaxLength, Min } from 'class-validator';
import { JOURNEY_STATUSES, JourneyStatus } from '../journey';

export class ListShipmentsQuery {
  @ApiPropertyOptional({ enum: JOURNEY_STATUSES }) @IsOptional() @IsIn(JOURNEY_STATUSES) status?: JourneyStatus;
  @ApiPropertyOptional() @IsOptional() @IsString() @MaxLength(100) reference?: string;
  @ApiPropertyOptional({ description: 'ISO-8601; only shipments changed at or after this instant' })
  @IsOptional() @Type(() => Date) @IsDate({ message: 'must be an ISO-8601 date-time' }) updatedSince?: Date;
  @ApiPropertyOptional({ description: 'From the previous page\'s nextCursor' }) @IsOptional() @IsString() @MaxLength(200) cursor?: string;
  @ApiPropertyOptional({ default: 25, minimum: 1, maximum: 100 })
  @IsOptional() @Type(() => Number) @IsInt() @Min(1) @Max(100) limit?: number;
}
