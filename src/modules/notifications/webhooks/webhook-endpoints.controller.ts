import { Body, Controller, Delete, Get, HttpCode, Param, Patch, Post, Query } from '@nestjs/common';
import {
  ApiAcceptedResponse,
  ApiBearerAuth,
  ApiCreatedResponse,
  ApiNoContentResponse,
  ApiOkResponse,
  ApiOperation,
  ApiTags,
} from '@nestjs/swagger';
import { Clock } from '../../../common/clock/clock';
import { ApiErrors } from '../../../common/http/error-responses.decorator';
import { UuidParamPipe } from '../../../common/http/uuid-param.pipe';
import { Auth, RetailerId } from '../../auth/principal';
import { WebhookDeliveryService } from './webhook-delivery.service';
import {
  CreateWebhookEndpointDto,
  ListWebhookDeliveriesQuery,
  toWebhookDeliveryResponse,
  toWebhookEndpointResponse,
  UpdateWebhookEndpointDto,
  WebhookDeliveryListResponseDto,
  WebhookDeliveryResponseDto,
  WebhookEndpointResponseDto,
  WebhookEndpointWithSecretResponseDto,
  WebhookPingResponseDto,
} from './webhook-endpoints.dto';
import { WebhookEndpointsService } from './webhook-endpoints.service';

const SIGNING =
  'Each delivery is a JSON POST with `Passage-Webhook-Id` (stable across retries and replays), `Passage-Timestamp` (Unix seconds) and ' +
  '`Passage-Signature: v1=<hex HMAC-SHA256 of "{timestamp}.{body}">`, one comma-separated entry per current secret.';

@ApiTags('webhooks')
@ApiBearerAuth('retailer')
@Auth('retailer')
@Controller('v1/webhook-endpoints')
export class WebhookEndpointsController {
  constructor(
    private readonly endpoints: WebhookEndpointsService,
    private readonly delivery: WebhookDeliveryService,
    private readonly clock: Clock,
  ) {}

  @Post()
  @ApiOperation({ summary: 'Register a webhook endpoint; its signing secret is in this response only', description: SIGNING })
  @ApiCreatedResponse({ type: WebhookEndpointWithSecretResponseDto })
  @ApiErrors(400, 401, 403, 409, 422)
  async create(@RetailerId() retailerId: string, @Body() dto: CreateWebhookEndpointDto): Promise<WebhookEndpointWithSecretResponseDto> {
    const { endpoint, secret } = await this.endpoints.create(retailerId, dto);
    return { ...toWebhookEndpointResponse(endpoint, this.clock.now()), secret };
  }

  @Get()
  @ApiOperation({ summary: 'List your webhook endpoints (never their secrets)' })
  @ApiOkResponse({ type: [WebhookEndpointResponseDto] })
  @ApiErrors(401, 403)
  async list(@RetailerId() retailerId: string): Promise<WebhookEndpointResponseDto[]> {
    const now = this.clock.now();
    return (await this.endpoints.list(retailerId)).map((e) => toWebhookEndpointResponse(e, now));
  }

  @Get(':id')
  @ApiOperation({ summary: 'Get a webhook endpoint, with its delivery health' })
  @ApiOkResponse({ type: WebhookEndpointResponseDto })
  @ApiErrors(400, 401, 403, 404)
  async get(@RetailerId() retailerId: string, @Param('id', UuidParamPipe) id: string): Promise<WebhookEndpointResponseDto> {
    return toWebhookEndpointResponse(await this.endpoints.get(retailerId, id), this.clock.now());
  }

  @Patch(':id')
  @ApiOperation({
    summary: 'Change a webhook endpoint',
    description: '`"enabled": true` re-enables a disabled endpoint and clears its failure state; `false` stops deliveries to it.',
  })
  @ApiOkResponse({ type: WebhookEndpointResponseDto })
  @ApiErrors(400, 401, 403, 404)
  async update(
    @RetailerId() retailerId: string,
    @Param('id', UuidParamPipe) id: string,
    @Body() dto: UpdateWebhookEndpointDto,
  ): Promise<WebhookEndpointResponseDto> {
    return toWebhookEndpointResponse(await this.endpoints.update(retailerId, id, dto), this.clock.now());
  }

  @Delete(':id')
  @HttpCode(204)
  @ApiOperation({ summary: 'Delete a webhook endpoint; deliveries still waiting for it are skipped' })
  @ApiNoContentResponse()
  @ApiErrors(400, 401, 403, 404)
  async remove(@RetailerId() retailerId: string, @Param('id', UuidParamPipe) id: string): Promise<void> {
    await this.endpoints.remove(retailerId, id);
  }

  @Post(':id/rotate-secret')
  @HttpCode(200)
  @ApiOperation({
    summary: 'Issue a new signing secret, shown once; the previous one keeps signing beside it for a while',
    description: 'For 24 h by default (`previousSecretExpiresAt`), every delivery carries a signature under each secret, so receivers can switch without dropping events.',
  })
  @ApiOkResponse({ type: WebhookEndpointWithSecretResponseDto })
  @ApiErrors(400, 401, 403, 404, 409, 422)
  async rotateSecret(@RetailerId() retailerId: string, @Param('id', UuidParamPipe) id: string): Promise<WebhookEndpointWithSecretResponseDto> {
    const { endpoint, secret } = await this.endpoints.rotateSecret(retailerId, id);
    return { ...toWebhookEndpointResponse(endpoint, this.clock.now()), secret };
  }

  @Post(':id/ping')
  @HttpCode(200)
  @ApiOperation({ summary: 'Send a signed `ping` event now and report how the endpoint answered', description: SIGNING })
  @ApiOkResponse({ type: WebhookPingResponseDto })
  @ApiErrors(400, 401, 403, 404, 409, 422)
  ping(@RetailerId() retailerId: string, @Param('id', UuidParamPipe) id: string): Promise<WebhookPingResponseDto> {
    return this.delivery.ping(retailerId, id);
  }

  @Get(':id/deliveries')
  @ApiOperation({ summary: "The endpoint's delivery log, newest first, with cursor pagination" })
  @ApiOkResponse({ type: WebhookDeliveryListResponseDto })
  @ApiErrors(400, 401, 403, 404)
  async deliveries(
    @RetailerId() retailerId: string,
    @Param('id', UuidParamPipe) id: string,
    @Query() query: ListWebhookDeliveriesQuery,
  ): Promise<WebhookDeliveryListResponseDto> {
    const page = await this.endpoints.deliveries(retailerId, id, { cursor: query.cursor, limit: query.limit ?? 25 });
    return { data: page.rows.map(toWebhookDeliveryResponse), nextCursor: page.nextCursor };
  }

  @Post(':id/deliveries/:messageId/replay')
  @HttpCode(202)
  @ApiOperation({
    summary: 'Send a delivery again, with the same Passage-Webhook-Id so receivers can dedupe it',
    description: 'Queues a new delivery, due now. 409 `WEBHOOK_ENDPOINT_DISABLED` while the endpoint is disabled.',
  })
  @ApiAcceptedResponse({ type: WebhookDeliveryResponseDto })
  @ApiErrors(400, 401, 403, 404, 409, 422)
  async replay(
    @RetailerId() retailerId: string,
    @Param('id', UuidParamPipe) id: string,
    @Param('messageId', UuidParamPipe) messageId: string,
  ): Promise<WebhookDeliveryResponseDto> {
    return toWebhookDeliveryResponse(await this.endpoints.replay(retailerId, id, messageId));
  }
}
