import { Body, Controller, Delete, Get, HttpCode, Param, Patch, Post } from '@nestjs/common';
import { ApiBearerAuth, ApiCreatedResponse, ApiNoContentResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { ApiErrors } from '../../../common/http/error-responses.decorator';
import { UuidParamPipe } from '../../../common/http/uuid-param.pipe';
import { CreateApiKeyDto, IssuedApiKeyResponseDto } from '../../auth/dto/api-key.dto';
import { Auth, auditActor, CurrentPrincipal, Principal, Roles } from '../../auth/principal';
import { PRINCIPAL_CACHE_TTL_MS } from '../../auth/api-key.service';
import { AdminUserDto, AdminUserListDto, CreateAdminUserDto, CreatedAdminUserDto, RevokedTokensDto, UpdateAdminUserDto } from './admin-users.dto';
import { AdminUsersService } from './admin-users.service';

/** Where a change to a user or token takes effect, for the routes' descriptions. */
const TAKES_EFFECT =
  'Takes effect at once on the instance that answers; other instances cache a looked-up token for ' +
  `${PRINCIPAL_CACHE_TTL_MS / 1000} s, so it applies everywhere within that time.`;

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

  @Get(':id')
  @ApiOperation({ summary: 'Get an admin user with their tokens (never the tokens themselves)' })
  @ApiOkResponse({ type: AdminUserDto })
  @ApiErrors(400, 401, 403, 404)
  get(@Param('id', UuidParamPipe) id: string): Promise<AdminUserDto> {
    return this.users.get(id);
  }

  @Patch(':id')
  @ApiOperation({
    summary: 'Change an admin user’s role or name, or disable or re-enable them',
    description:
      'A new role applies to every token of the user; a disabled user’s tokens all answer 401 (they are kept, and work ' +
      `again when the user is re-enabled). ${TAKES_EFFECT} There is always at least one enabled admin user: a change that ` +
      'would demote or disable the last one, whoever makes it, answers 409 `LAST_ADMIN` (the bootstrap ADMIN_TOKEN does ' +
      'not count). A body that changes nothing answers 200 and is not audited; an empty body is a 400. Audited, before and after.',
  })
  @ApiOkResponse({ type: AdminUserDto })
  @ApiErrors(400, 401, 403, 404, 409)
  update(@CurrentPrincipal() principal: Principal, @Param('id', UuidParamPipe) id: string, @Body() dto: UpdateAdminUserDto): Promise<AdminUserDto> {
    return this.users.update(auditActor(principal), id, dto);
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
  @ApiOperation({ summary: 'Revoke an admin user’s token', description: `${TAKES_EFFECT} Audited (id and prefix, never the token).` })
  @ApiNoContentResponse()
  @ApiErrors(400, 401, 403, 404)
  revokeToken(@CurrentPrincipal() principal: Principal, @Param('id', UuidParamPipe) id: string, @Param('keyId', UuidParamPipe) keyId: string): Promise<void> {
    return this.users.revokeToken(auditActor(principal), id, keyId);
  }

  @Post(':id/tokens/revoke-all')
  @HttpCode(200)
  @ApiOperation({
    summary: 'Revoke every active token of an admin user (a lost laptop, a leaked token)',
    description:
      `${TAKES_EFFECT} The user stays enabled and may be issued a new token. Allowed for the last admin too: a leaked ` +
      'token must always be revocable (recover with another admin or the bootstrap ADMIN_TOKEN). Audited with the ' +
      'tokens’ ids and prefixes when any was active.',
  })
  @ApiOkResponse({ type: RevokedTokensDto })
  @ApiErrors(400, 401, 403, 404)
  revokeAllTokens(@CurrentPrincipal() principal: Principal, @Param('id', UuidParamPipe) id: string): Promise<RevokedTokensDto> {
    return this.users.revokeAllTokens(auditActor(principal), id);
  }
}
