import { Body, Controller, Delete, Get, HttpCode, Param, Post } from '@nestjs/common';
import { ApiBearerAuth, ApiCreatedResponse, ApiNoContentResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { ApiErrors } from '../../../common/http/error-responses.decorator';
import { UuidParamPipe } from '../../../common/http/uuid-param.pipe';
import { CreateApiKeyDto, IssuedApiKeyResponseDto } from '../../auth/dto/api-key.dto';
import { Auth, auditActor, CurrentPrincipal, Principal, Roles } from '../../auth/principal';
import { AdminUserListDto, CreateAdminUserDto, CreatedAdminUserDto } from './admin-users.dto';
import { AdminUsersService } from './admin-users.service';

@ApiTags('admin: users')
@ApiBearerAuth('admin')
@Auth('admin')
@Roles('admin')
@Controller('v1/admin/users')
export class AdminUsersAdminController {
  constructor(private readonly users: AdminUsersService) {}

  @Post()
  @ApiOperation({
    summary: 'Create an admin user (agent, supervisor or admin) with a first token, shown once',
    description: '409 `ADMIN_USER_EXISTS` when the email is taken. Audited.',
  })
  @ApiCreatedResponse({ type: CreatedAdminUserDto })
  @ApiErrors(400, 401, 403, 409, 422)
  create(@CurrentPrincipal() principal: Principal, @Body() dto: CreateAdminUserDto): Promise<CreatedAdminUserDto> {
    return this.users.create(auditActor(principal), dto);
  }

  @Get()
  @ApiOperation({ summary: 'List admin users with their tokens (never the tokens themselves)' })
  @ApiOkResponse({ type: AdminUserListDto })
  @ApiErrors(401, 403)
  async list(): Promise<AdminUserListDto> {
    return { data: await this.users.list() };
  }

  @Post(':id/tokens')
  @ApiOperation({ summary: 'Issue another token for an admin user (returned once; only its hash is stored)', description: 'Audited.' })
  @ApiCreatedResponse({ type: IssuedApiKeyResponseDto })
  @ApiErrors(400, 401, 403, 404, 422)
  issueToken(@CurrentPrincipal() principal: Principal, @Param('id', UuidParamPipe) id: string, @Body() dto: CreateApiKeyDto): Promise<IssuedApiKeyResponseDto> {
    return this.users.issueToken(auditActor(principal), id, dto.name);
  }

  @Delete(':id/tokens/:keyId')
  @HttpCode(204)
  @ApiOperation({ summary: 'Revoke an admin user’s token, effective at once', description: 'Audited.' })
  @ApiNoContentResponse()
  @ApiErrors(400, 401, 403, 404)
  revokeToken(@CurrentPrincipal() principal: Principal, @Param('id', UuidParamPipe) id: string, @Param('keyId', UuidParamPipe) keyId: string): Promise<void> {
    return this.users.revokeToken(auditActor(principal), id, keyId);
  }
}
