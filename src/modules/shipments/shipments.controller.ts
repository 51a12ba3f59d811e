import { Body, Controller, Get, HttpCode, Param, Patch, Post, Query } from '@nestjs/common';
import {
  ApiBearerAuth,
  ApiCreatedResponse,
  ApiHeader,
  ApiOkResponse,
  ApiOperation,
  ApiTags,
} from '@nestjs/swagger';
import { ApiErrors } from '../../common/http/error-responses.decorator';
import { UuidParamPipe } from '../../common/http/uuid-param.pipe';
import { Auth, RetailerId } from '../auth/principal';
import { CreateShipmentDto } from './dto/create-shipment.dto';
import { ListShipmentsQuery } from './dto/list-shipments.query';
import { PatchConsigneeDto } from './dto/patch-consignee.dto';
import {
  ReturnResponseDto,
  ShipmentListResponseDto,
  ShipmentResponseDto,
  TimelineResponseDto,
} from './dto/shipment-response.dto';
import { ShipmentsService } from './shipments.service';

export const IdempotencyKeyHeader = () =>
  ApiHeader({
    name: 'Idempotency-Key',
    required: false,
    description: 'Makes the POST safe to retry: the same key and body replay the first response (with Idempotent-Replayed: true) for 24 h',
  });

@ApiTags('shipments')
@ApiBearerAuth('retailer')
@Auth('retailer')
@Controller('v1/shipments')
export class ShipmentsController {
  constructor(private readonly shipments: ShipmentsService) {}

  @Post()
  @IdempotencyKeyHeader()
  @ApiOperation({ summary: 'Book a shipment', description: 'Passage assigns a tracking number with a check character.' })
  @ApiCreatedResponse({ type: ShipmentResponseDto })
  @ApiErrors(400, 401, 403, 409, 422)
  book(@RetailerId() retailerId: string, @Body() dto: CreateShipmentDto): Promise<ShipmentResponseDto> {
    return this.shipments.book(retailerId, dto);
  }

  @Get()
  @ApiOperation({ summary: 'List your shipments, newest first, with cursor pagination' })
  @ApiOkResponse({ type: ShipmentListResponseDto })
  @ApiErrors(400, 401, 403)
  list(@RetailerId() retailerId: string, @Query() query: ListShipmentsQuery): Promise<ShipmentListResponseDto> {
    return this.shipments.list(retailerId, { ...query, limit: query.limit ?? 25 });
  }

  @Get(':id')
  @ApiOperation({ summary: 'Get a shipment' })
  @ApiOkResponse({ type: ShipmentResponseDto })
  @ApiErrors(400, 401, 403, 404)
  get(@RetailerId() retailerId: string, @Param('id', UuidParamPipe) id: string): Promise<ShipmentResponseDto> {
    return this.shipments.get(retailerId, id);
  }

  @Patch(':id/consignee')
  @ApiOperation({
    summary: 'Supply or correct consignee details',
    description:
      'For a `needs_information` verdict (e.g. a missing CPF for Brazil): the shipment is re-evaluated under the rules of ' +
      'its booking date. The destination country cannot change (422 `DESTINATION_CHANGE_NOT_ALLOWED`); after delivery ' +
      'nothing can (409 `SHIPMENT_CLOSED`).',
  })
  @ApiOkResponse({ type: ShipmentResponseDto })
  @ApiErrors(400, 401, 403, 404, 409, 422)
  patchConsignee(
    @RetailerId() retailerId: string,
    @Param('id', UuidParamPipe) id: string,
    @Body() dto: PatchConsigneeDto,
  ): Promise<ShipmentResponseDto> {
    return this.shipments.patchConsignee(retailerId, id, dto);
  }

  @Get(':id/events')
  @ApiOperation({
    summary: "The shipment's timeline in occurrence order",
    description: 'Each event says whether it moved the status on arrival (`applied`) and whether it arrived out of order (`late`).',
  })
  @ApiOkResponse({ type: TimelineResponseDto })
  @ApiErrors(400, 401, 403, 404)
  events(@RetailerId() retailerId: string, @Param('id', UuidParamPipe) id: string): Promise<TimelineResponseDto> {
    return this.shipments.timeline(retailerId, id);
  }

  @Post(':id/cancel')
  @HttpCode(200)
  @IdempotencyKeyHeader()
  @ApiOperation({ summary: 'Cancel a shipment before it is collected', description: 'Otherwise 409 `SHIPMENT_NOT_CANCELLABLE`.' })
  @ApiOkResponse({ type: ShipmentResponseDto })
  @ApiErrors(400, 401, 403, 404, 409, 422)
  cancel(@RetailerId() retailerId: string, @Param('id', UuidParamPipe) id: string): Promise<ShipmentResponseDto> {
    return this.shipments.cancel(retailerId, id);
  }

  @Post(':id/returns')
  @IdempotencyKeyHeader()
  @ApiOperation({
    summary: 'Open the return leg',
    description:
      'Allowed once the shipment is delivered and within your return window (default 30 days). ' +
      '409 `RETURN_NOT_ALLOWED`, `RETURN_WINDOW_CLOSED` or `RETURN_ALREADY_OPEN` otherwise.',
  })
  @ApiCreatedResponse({ type: ReturnResponseDto })
  @ApiErrors(400, 401, 403, 404, 409, 422)
  openReturn(@RetailerId() retailerId: string, @Param('id', UuidParamPipe) id: string): Promise<ReturnResponseDto> {
    return this.shipments.openReturn(retailerId, id);
  }
}
