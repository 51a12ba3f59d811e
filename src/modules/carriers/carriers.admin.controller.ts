import { Body, Controller, Delete, Get, HttpCode, Param, Post } from '@nestjs/common';
import { ApiBearerAuth, ApiCreatedResponse, ApiNoContentResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { ApiErrors } from '../../common/http/error-responses.decorator';
import { UuidParamPipe } from '../../common/http/uuid-param.pipe';
import { ApiKeyService, PRINCIPAL_CACHE_TTL_MS } from '../auth/api-key.service';
import { ApiKeyResponseDto, CreateApiKeyDto, IssuedApiKeyResponseDto, toApiKeyResponse } from '../auth/dto/api-key.dto';
import { ANY_ADMIN_ROLE, Auth, auditActor, CurrentPrincipal, Principal, Roles } from '../auth/principal';
import { CarrierResponseDto, CreateCarrierDto, toCarrierResponse } from './carriers.dto';
import { CarriersService } from './carriers.service';

@ApiTags('admin: carriers')
@ApiBearerAuth('admin')
@Auth('admin')
@Roles('admin')
@Controller('v1/admin/carriers')
export class CarriersAdminController {
  constructor(
    private readonly carriers: CarriersService,
    private readonly keys: ApiKeyService,
  ) {}

  @Post()
  @ApiOperation({ summary: 'Register a carrier or hub integration', description: 'Audited.' })
  @ApiCreatedResponse({ type: CarrierResponseDto })
  @ApiErrors(400, 401, 403, 409, 422)
  async create(@CurrentPrincipal() principal: Principal, @Body() dto: CreateCarrierDto): Promise<CarrierResponseDto> {
    return toCarrierResponse(await this.carriers.create(auditActor(principal), dto));
  }

  @Roles(...ANY_ADMIN_ROLE)
  @Get()
  @ApiOperation({ summary: 'List carriers' })
  @ApiOkResponse({ type: [CarrierResponseDto] })
  @ApiErrors(401, 403)
  async list(): Promise<CarrierResponseDto[]> {
    return (await this.carriers.list()).map(toCarrierResponse);
  }

  @Roles(...ANY_ADMIN_ROLE)
  @Get(':id')
  @ApiOperation({ summary: 'Get a carrier' })
  @ApiOkResponse({ type: CarrierResponseDto })
  @ApiErrors(400, 401, 403, 404)
  async get(@Param('id', UuidParamPipe) id: string): Promise<CarrierResponseDto> {
    return toCarrierResponse(await this.carriers.get(id));
  }

  @Post(':id/api-keys')
  @ApiOperation({
    summary: 'Issue a carrier API key, which may post scans for any shipment (returned once)',
    description: 'Audited with the key’s id and prefix, never the key.',
  })
  @ApiCreatedResponse({ type: IssuedApiKeyResponseDto })
  @ApiErrors(400, 401, 403, 404, 409, 422)
  async issueKey(@CurrentPrincipal() principal: Principal, @Param('id', UuidParamPipe) id: string, @Body() dto: CreateApiKeyDto): Promise<IssuedApiKeyResponseDto> {
    const { entity, secret } = await this.carriers.issueKey(auditActor(principal), id, dto.name);
    return { ...toApiKeyResponse(entity), key: secret };
  }

  @Roles(...ANY_ADMIN_ROLE)
  @Get(':id/api-keys')
  @ApiOperation({ summary: "List a carrier's API keys" })
  @ApiOkResponse({ type: [ApiKeyResponseDto] })
  @ApiErrors(400, 401, 403, 404)
  async listKeys(@Param('id', UuidParamPipe) id: string): Promise<ApiKeyResponseDto[]> {
    await this.carriers.get(id);
    return (await this.keys.listKeys({ carrierId: id })).map(toApiKeyResponse);
  }

  @Delete(':id/api-keys/:keyId')
  @HttpCode(204)
  @ApiOperation({
    summary: 'Revoke a carrier API key',
    description: `Effective at once on the instance that answers, and on every instance within ${PRINCIPAL_CACHE_TTL_MS / 1000} s (each caches a looked-up key that long). Audited.`,
  })
  @ApiNoContentResponse()
  @ApiErrors(400, 401, 403, 404)
  revokeKey(@CurrentPrincipal() principal: Principal, @Param('id', UuidParamPipe) id: string, @Param('keyId', UuidParamPipe) keyId: string): Promise<void> {
    return this.carriers.revokeKey(auditActor(principal), id, keyId);
  }
}
