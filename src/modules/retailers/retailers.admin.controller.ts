import { Body, Controller, Delete, Get, HttpCode, Param, Patch, Post } from '@nestjs/common';
import { ApiBearerAuth, ApiCreatedResponse, ApiNoContentResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { ApiErrors } from '../../common/http/error-responses.decorator';
import { UuidParamPipe } from '../../common/http/uuid-param.pipe';
import { ApiKeyService } from '../auth/api-key.service';
import { ApiKeyResponseDto, CreateApiKeyDto, IssuedApiKeyResponseDto, toApiKeyResponse } from '../auth/dto/api-key.dto';
import { ANY_ADMIN_ROLE, Auth, Roles } from '../auth/principal';
import { CommonErrors } from '../../common/errors/app-error';
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
  @ApiOperation({ summary: 'Create a retailer' })
  @ApiCreatedResponse({ type: RetailerResponseDto })
  @ApiErrors(400, 401, 403, 409, 422)
  async create(@Body() dto: CreateRetailerDto): Promise<RetailerResponseDto> {
    return toRetailerResponse(await this.retailers.create(dto));
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
  @ApiOperation({ summary: 'Update a retailer (name, return window)' })
  @ApiOkResponse({ type: RetailerResponseDto })
  @ApiErrors(400, 401, 403, 404)
  async update(@Param('id', UuidParamPipe) id: string, @Body() dto: UpdateRetailerDto): Promise<RetailerResponseDto> {
    return toRetailerResponse(await this.retailers.update(id, dto));
  }

  @Post(':id/api-keys')
  @ApiOperation({ summary: "Issue a retailer API key (returned once; only its hash is stored)" })
  @ApiCreatedResponse({ type: IssuedApiKeyResponseDto })
  @ApiErrors(400, 401, 403, 404, 409, 422)
  async issueKey(@Param('id', UuidParamPipe) id: string, @Body() dto: CreateApiKeyDto): Promise<IssuedApiKeyResponseDto> {
    await this.retailers.get(id);
    const { entity, secret } = await this.keys.issueRetailerKey(id, dto.name);
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
  @ApiOperation({ summary: 'Revoke a retailer API key, effective at once' })
  @ApiNoContentResponse()
  @ApiErrors(400, 401, 403, 404)
  async revokeKey(@Param('id', UuidParamPipe) id: string, @Param('keyId', UuidParamPipe) keyId: string): Promise<void> {
    if (!(await this.keys.revoke(keyId, { retailerId: id }))) throw CommonErrors.notFound('API key');
  }
}
