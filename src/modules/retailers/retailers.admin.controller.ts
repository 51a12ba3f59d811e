import { Body, Controller, Delete, Get, HttpCode, Param, Patch, Post } from '@nestjs/common';
import { ApiBearerAuth, ApiCreatedResponse, ApiNoContentResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { ApiErrors } from '../../common/http/error-responses.decorator';
import { UuidParamPipe } from '../../common/http/uuid-param.pipe';
import { ApiKeyService, PRINCIPAL_CACHE_TTL_MS } from '../auth/api-key.service';
import { ApiKeyResponseDto, CreateApiKeyDto, IssuedApiKeyResponseDto, toApiKeyResponse } from '../auth/dto/api-key.dto';
import { ANY_ADMIN_ROLE, Auth, auditActor, CurrentPrincipal, Principal, Roles } from '../auth/principal';
import { CreateRetailerDto, RetailerResponseDto, toRetailerResponse, UpdateRetailerDto } from './retailers.dto';
import { RetailersService } from './retailers.service';

@ApiTags('admin: retailers')
@ApiBearerAuth('admin')
@Auth('admin')
@Roles('admin')
@Controller('v1/admin/retailers')
export class RetailersAdminController {
  constructor(
    private readonly retailers: RetailersService,
    private readonly keys: ApiKeyService,
  ) {}

  @Post()
  @ApiOperation({ summary: 'Create a retailer', description: 'Audited.' })
  @ApiCreatedResponse({ type: RetailerResponseDto })
  @ApiErrors(400, 401, 403, 409, 422)
  async create(@CurrentPrincipal() principal: Principal, @Body() dto: CreateRetailerDto): Promise<RetailerResponseDto> {
    return toRetailerResponse(await this.retailers.create(auditActor(principal), dto));
  }

  @Roles(...ANY_ADMIN_ROLE)
  @Get()
  @ApiOperation({ summary: 'List retailers' })
  @ApiOkResponse({ type: [RetailerResponseDto] })
  @ApiErrors(401, 403)
  async list(): Promise<RetailerResponseDto[]> {
    return (await this.retailers.list()).map(toRetailerResponse);
  }

  @Roles(...ANY_ADMIN_ROLE)
  @Get(':id')
  @ApiOperation({ summary: 'Get a retailer' })
  @ApiOkResponse({ type: RetailerResponseDto })
  @ApiErrors(400, 401, 403, 404)
  async get(@Param('id', UuidParamPipe) id: string): Promise<RetailerResponseDto> {
    return toRetailerResponse(await this.retailers.get(id));
  }

  @Patch(':id')
  @ApiOperation({ summary: 'Update a retailer (name, return window)', description: 'Audited, before and after, when it changes anything.' })
  @ApiOkResponse({ type: RetailerResponseDto })
  @ApiErrors(400, 401, 403, 404)
  async update(@CurrentPrincipal() principal: Principal, @Param('id', UuidParamPipe) id: string, @Body() dto: UpdateRetailerDto): Promise<RetailerResponseDto> {
    return toRetailerResponse(await this.retailers.update(auditActor(principal), id, dto));
  }

  @Post(':id/api-keys')
  @ApiOperation({ summary: "Issue a retailer API key (returned once; only its hash is stored)", description: 'Audited with the key’s id and prefix, never the key.' })
  @ApiCreatedResponse({ type: IssuedApiKeyResponseDto })
  @ApiErrors(400, 401, 403, 404, 409, 422)
  async issueKey(@CurrentPrincipal() principal: Principal, @Param('id', UuidParamPipe) id: string, @Body() dto: CreateApiKeyDto): Promise<IssuedApiKeyResponseDto> {
    const { entity, secret } = await this.retailers.issueKey(auditActor(principal), id, dto.name);
    return { ...toApiKeyResponse(entity), key: secret };
  }

  @Roles(...ANY_ADMIN_ROLE)
  @Get(':id/api-keys')
  @ApiOperation({ summary: "List a retailer's API keys (never the keys themselves)" })
  @ApiOkResponse({ type: [ApiKeyResponseDto] })
  @ApiErrors(400, 401, 403, 404)
  async listKeys(@Param('id', UuidParamPipe) id: string): Promise<ApiKeyResponseDto[]> {
    await this.retailers.get(id);
    return (await this.keys.listKeys({ retailerId: id })).map(toApiKeyResponse);
  }

  @Delete(':id/api-keys/:keyId')
  @HttpCode(204)
  @ApiOperation({
    summary: 'Revoke a retailer API key',
    description: `Effective at once on the instance that answers, and on every instance within ${PRINCIPAL_CACHE_TTL_MS / 1000} s (each caches a looked-up key that long). Audited.`,
  })
  @ApiNoContentResponse()
  @ApiErrors(400, 401, 403, 404)
  revokeKey(@CurrentPrincipal() principal: Principal, @Param('id', UuidParamPipe) id: string, @Param('keyId', UuidParamPipe) keyId: string): Promise<void> {
    return this.retailers.revokeKey(auditActor(principal), id, keyId);
  }
}
