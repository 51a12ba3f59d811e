import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Transform, Type } from 'class-transformer';
import { IsInt, IsOptional, IsString, Max, MaxLength, Min } from 'class-validator';

/** Form posts send every field as a string, and an untouched textarea as "". */
const blankToUndefined = ({ value }: { value: unknown }) => (typeof value === 'string' && value.trim() === '' ? undefined : value);

export class AnswerSurveyDto {
  @ApiProperty({ minimum: 1, maximum: 5, example: 5, description: 'CSAT: how satisfied with the delivery (1 very unsatisfied … 5 very satisfied)' })
  @Type(() => Number) @IsInt() @Min(1) @Max(5) csat: number;

  @ApiProperty({ minimum: 1, maximum: 7, example: 2, description: 'CES: how much effort it took (1 very little … 7 a great deal)' })
  @Type(() => Number) @IsInt() @Min(1) @Max(7) ces: number;

  @ApiPropertyOptional({ maxLength: 1000, example: 'Quick and friendly.' })
  @Transform(blankToUndefined) @IsOptional() @IsString() @MaxLength(1000) comment?: string;
}

export class SurveyDto {
  @ApiProperty({ enum: ['open', 'answered'] }) status: 'open' | 'answered';
  @ApiProperty({ example: 'Acme Outdoor' }) retailerName: string;
  @ApiProperty() expiresAt: string;
  @ApiPropertyOptional({ nullable: true }) answeredAt: string | null;
  @ApiProperty({ example: { csat: { min: 1, max: 5 }, ces: { min: 1, max: 7 } } }) scales: { csat: { min: number; max: number }; ces: { min: number; max: number } };
}
