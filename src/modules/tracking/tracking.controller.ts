import { Body, Controller, Get, HttpCode, Param, Post, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiBody, ApiOkResponse, ApiOperation, ApiQuery, ApiTags } from '@nestjs/swagger';
import { ApiErrors } from '../../common/http/error-responses.decorator';
import { Auth, CurrentPrincipal, Principal } from '../auth/principal';
import { IdempotencyKeyHeader } from '../shipments/shipments.controller';
import { PublicTrackingDto } from './dto/public-tracking.dto';
import { TrackingEventBatchDto, TrackingEventBatchResponseDto } from './dto/tracking-event.dto';
import { IngestionService } from './ingestion.service';
import { PublicTrackingService } from './public-tracking.service';

@ApiTags('tracking')
@Controller('v1')
export class TrackingController {
  constructor(
    private readonly ingestion: IngestionService,
    private readonly publicTracking: PublicTrackingService,
  ) {}

  @Post('tracking-events')
  @HttpCode(200)
  @Auth('carrier', 'retailer')
  @ApiBearerAuth('carrier')
  @ApiBearerAuth('retailer')
  @IdempotencyKeyHeader()
  @ApiOperation({
    summary: 'Push carrier scans (1–1000 per request)',
    description:
      'Each item gets its own result: `applied`, `recorded` (stored, status unchanged), `duplicate`, ' +
      '`unknown_tracking_number` or `invalid` (with codes and fields). One bad item never fails the batch. ' +
      'Idempotent on (your source, eventId). Carrier keys may post for any shipment; retailer keys for their own.',
  })
  @ApiBody({ type: TrackingEventBatchDto })
  @ApiOkResponse({ type: TrackingEventBatchResponseDto })
  @ApiErrors(400, 401, 403, 409, 422)
  // Undecorated type: the ingestion service validates the body itself (plain-code fast path, else the same
  // ValidationPipe), so that the global pipe does not run class-transformer over every item first.
  ingest(@CurrentPrincipal() principal: Principal, @Body() body: unknown): Promise<TrackingEventBatchResponseDto> {
    return this.ingestion.ingest(principal, body);
  }

  @Get('track/:trackingNumber')
  @ApiOperation({
    summary: 'Public tracking (no key)',
    description:
      'Status, estimated delivery and milestones, with destination city and country only. The consignee\'s name and ' +
      'address are included only when `postcode` matches theirs; a wrong postcode simply gets the view without them. Rate-limited per client IP.',
  })
  @ApiQuery({ name: 'postcode', required: false })
  @ApiOkResponse({ type: PublicTrackingDto })
  @ApiErrors(404)
  track(@Param('trackingNumber') trackingNumber: string, @Query('postcode') postcode?: string): Promise<PublicTrackingDto> {
    return this.publicTracking.track(trackingNumber, typeof postcode === 'string' ? postcode : undefined);
  }
}
