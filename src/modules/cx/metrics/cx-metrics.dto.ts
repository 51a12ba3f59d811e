import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsDate, IsIn, IsOptional } from 'class-validator';
import { GROUP_BYS, GroupBy } from './cx-metrics.sql';

export class CxMetricsQueryDto {
  @ApiPropertyOptional({ example: '2026-11-01T00:00:00Z', description: 'Start of the window (inclusive); default: 30 days before `to`' })
  @IsOptional() @Type(() => Date) @IsDate({ message: 'must be an ISO-8601 date or date-time' }) from?: Date;

  @ApiPropertyOptional({ example: '2026-12-01T00:00:00Z', description: 'End of the window (exclusive); default: now' })
  @IsOptional() @Type(() => Date) @IsDate({ message: 'must be an ISO-8601 date or date-time' }) to?: Date;

  @ApiPropertyOptional({ enum: GROUP_BYS, default: 'country', description: 'country: destination; lane: origin-destination; day: UTC day' })
  @IsOptional() @IsIn(GROUP_BYS, { message: `must be one of ${GROUP_BYS.join(', ')}` }) groupBy?: GroupBy;
}

export class SurveyMetricsDto {
  @ApiProperty({ description: 'Surveys offered (a delivered message with the link went out) in the window' }) issued: number;
  @ApiProperty() responses: number;
  @ApiPropertyOptional({ nullable: true, description: 'responses / issued' }) responseRate: number | null;
  @ApiPropertyOptional({ nullable: true, description: 'Average CSAT, 1–5' }) csatAverage: number | null;
  @ApiProperty({ example: { '1': 0, '2': 1, '3': 2, '4': 5, '5': 12 } }) csatDistribution: Record<string, number>;
  @ApiPropertyOptional({ nullable: true, description: 'Average CES, 1 (little effort) – 7' }) cesAverage: number | null;
  @ApiProperty({ example: { '1': 8, '2': 3, '3': 1, '4': 0, '5': 0, '6': 0, '7': 0 } }) cesDistribution: Record<string, number>;
}

export class ResolveTimeDto {
  @ApiPropertyOptional({ nullable: true }) medianHours: number | null;
  @ApiPropertyOptional({ nullable: true }) p90Hours: number | null;
}

export class ExceptionTypeMetricsDto {
  @ApiProperty() opened: number;
  @ApiProperty() resolved: number;
  @ApiProperty({ type: ResolveTimeDto }) timeToResolve: ResolveTimeDto;
}

export class FirstContactDto {
  @ApiProperty({ description: 'Resolved in the window by an agent (at least one touch)' }) agentResolved: number;
  @ApiProperty({ description: 'Of those, resolved with one touch and not reopened within 7 days' }) firstContact: number;
  @ApiPropertyOptional({ nullable: true }) rate: number | null;
}

export class ProactiveDto {
  @ApiProperty({ description: 'Exceptions opened in the window' }) opened: number;
  @ApiProperty({ description: 'Of those, the consignee was told before any reply from them' }) proactive: number;
  @ApiPropertyOptional({ nullable: true }) share: number | null;
}

export class ExceptionMetricsDto {
  @ApiProperty() opened: number;
  @ApiProperty() resolved: number;
  @ApiProperty({ type: ResolveTimeDto }) timeToResolve: ResolveTimeDto;
  @ApiProperty({ description: 'Every exception type, zeros included', additionalProperties: { $ref: '#/components/schemas/ExceptionTypeMetricsDto' } })
  byType: Record<string, ExceptionTypeMetricsDto>;
  @ApiProperty({ type: FirstContactDto }) firstContactResolution: FirstContactDto;
  @ApiProperty({ type: ProactiveDto }) proactive: ProactiveDto;
}

export class WismoMetricsDto {
  @ApiProperty({ description: 'Shipments booked in the window' }) shipments: number;
  @ApiProperty({ description: 'Consignee replies received in the window' }) replies: number;
  @ApiProperty({ description: '"Where is my order?" replies among them' }) wismoReplies: number;
  @ApiPropertyOptional({ nullable: true }) per1000Shipments: number | null;
}

export class ChannelMetricsDto {
  @ApiProperty({ description: 'Messages meant to go out (not skipped)' }) attempted: number;
  @ApiProperty({ description: 'Confirmed delivered by the provider' }) delivered: number;
  @ApiProperty({ description: 'Accepted by the provider, no delivery report (yet)' }) sent: number;
  @ApiProperty({ description: 'Failed, undelivered or dead-lettered' }) failed: number;
  @ApiProperty() pending: number;
  @ApiProperty() skipped: number;
  @ApiPropertyOptional({ nullable: true, description: '(delivered + sent) / (delivered + sent + failed)' }) deliveryRate: number | null;
}

export class GroupMetricsDto {
  @ApiProperty({ type: SurveyMetricsDto }) surveys: SurveyMetricsDto;
  @ApiProperty({ type: ExceptionMetricsDto }) exceptions: ExceptionMetricsDto;
  @ApiProperty({ type: WismoMetricsDto }) wismo: WismoMetricsDto;
  @ApiProperty({ description: 'email, sms, webhook', additionalProperties: { $ref: '#/components/schemas/ChannelMetricsDto' } })
  messages: Record<string, ChannelMetricsDto>;
}

export class MetricsGroupDto extends GroupMetricsDto {
  @ApiProperty({ example: 'DE', description: 'The group: a country, a retailer id, a lane (GB-DE) or a day; `unknown` when a row has none' }) key: string;
  @ApiPropertyOptional({ nullable: true, example: 'Acme Outdoor', description: "The retailer's name when grouped by retailer" }) label: string | null;
}

export class CxMetricsDto {
  @ApiProperty() from: string;
  @ApiProperty() to: string;
  @ApiProperty({ enum: GROUP_BYS }) groupBy: GroupBy;
  @ApiProperty({ type: GroupMetricsDto }) totals: GroupMetricsDto;
  @ApiProperty({ type: [MetricsGroupDto] }) groups: MetricsGroupDto[];
}
