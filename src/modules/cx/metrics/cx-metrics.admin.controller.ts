import { Controller, Get, Header, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiExtraModels, ApiOkResponse, ApiOperation, ApiProduces, ApiTags } from '@nestjs/swagger';
import { ApiErrors } from '../../../common/http/error-responses.decorator';
import { ANY_ADMIN_ROLE, Auth, Roles } from '../../auth/principal';
import { ChannelMetricsDto, CxMetricsDto, CxMetricsQueryDto, ExceptionTypeMetricsDto } from './cx-metrics.dto';
import { CxMetricsService } from './cx-metrics.service';
import { metricsCsv } from './metrics-csv';

const DESCRIPTION =
  'Over `[from, to)` (default: the last 30 days), per group and in total: CSAT average and distribution, CES average and ' +
  'response rate of the surveys issued; exceptions opened and resolved by type with median and p90 hours to resolve; ' +
  'first-contact resolution (of exceptions an agent resolved, those resolved with one touch and not reopened within 7 days); ' +
  'proactive share (of exceptions opened, those where the consignee was told before any reply from them); WISMO replies ' +
  'per 1,000 shipments booked; message delivery per channel.';

@ApiTags('admin: CX metrics')
@ApiBearerAuth('admin')
@Auth('admin')
@Roles(...ANY_ADMIN_ROLE)
@ApiExtraModels(ExceptionTypeMetricsDto, ChannelMetricsDto)
@Controller('v1/admin')
export class CxMetricsAdminController {
  constructor(private readonly metrics: CxMetricsService) {}

  @Get('metrics')
  @ApiOperation({ summary: 'CX metrics: CSAT, CES, first-contact resolution, proactive share, WISMO, delivery, by country, retailer, lane or day', description: DESCRIPTION })
  @ApiOkResponse({ type: CxMetricsDto })
  @ApiErrors(400, 401, 403)
  get(@Query() q: CxMetricsQueryDto): Promise<CxMetricsDto> {
    return this.metrics.compute(q);
  }

  @Get('metrics.csv')
  @Header('Content-Type', 'text/csv; charset=utf-8')
  @Header('Content-Disposition', 'attachment; filename="cx-metrics.csv"')
  @ApiOperation({ summary: 'The CX metrics as CSV: a row per group (totals first), a column per metric', description: DESCRIPTION })
  @ApiProduces('text/csv', 'application/json')
  @ApiOkResponse({ description: 'CSV', schema: { type: 'string' } })
  @ApiErrors(400, 401, 403)
  async csv(@Query() q: CxMetricsQueryDto): Promise<string> {
    return metricsCsv(await this.metrics.compute(q));
  }
}
