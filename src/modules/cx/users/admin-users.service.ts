import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { Clock } from '../../../common/clock/clock';
import { AuditLog } from '../../audit/audit.repository';
import { ApiKeyEntity } from '../../auth/api-key.entity';
import { ApiKeyService } from '../../auth/api-key.service';
import { IssuedApiKeyResponseDto, toApiKeyResponse } from '../../auth/dto/api-key.dto';
import { AdminRole } from '../../auth/principal';
import { CxErrors } from '../cx.errors';
import { AdminUserDto, CreatedAdminUserDto } from './admin-users.dto';
import { AdminUserRow, AdminUsersRepository } from './admin-users.repository';

const toDto = (u: AdminUserRow, tokens: ApiKeyEntity[]): AdminUserDto => ({
  id: u.id,
  email: u.email,
  name: u.name,
  role: u.role,
  createdAt: new Date(u.created_at).toISOString(),
  disabledAt: u.disabled_at ? new Date(u.disabled_at).toISOString() : null,
  tokens: tokens.map(toApiKeyResponse),
});

/**
 * Admin users and their tokens. A token is an admin API key linked to the user: only its SHA-256 is stored,
 * it is shown once, and it carries the user's role. Every change is audited.
 */
@Injectable()
export class AdminUsersService {
  constructor(
    private readonly db: DataSource,
    private readonly users: AdminUsersRepository,
    private readonly keys: ApiKeyService,
    private readonly audit: AuditLog,
    private readonly clock: Clock,
  ) {}

  async create(actor: string, dto: { email: string; name: string; role: AdminRole }): Promise<CreatedAdminUserDto> {
    return this.db.transaction(async (tx) => {
      const user = await this.users.insert(tx, { ...dto, at: this.clock.now() });
      if (!user) throw CxErrors.adminUserExists();
      const { entity, secret } = await this.keys.issueAdminUserKey(user.id, user.role, 'default', tx);
      await this.audit.record(tx, {
        actor,
        action: 'admin_user.created',
        targetType: 'admin_user',
        targetId: user.id,
        after: { email: user.email, name: user.name, role: user.role, tokenId: entity.id },
      });
      return { ...toDto(user, [entity]), token: { ...toApiKeyResponse(entity), key: secret } };
    });
  }

  async list(): Promise<AdminUserDto[]> {
    const users = await this.users.list();
    const tokens = await Promise.all(users.map((u) => this.keys.listKeys({ adminUserId: u.id })));
    return users.map((u, i) => toDto(u, tokens[i]));
  }

  async issueToken(actor: string, userId: string, name = 'default'): Promise<IssuedApiKeyResponseDto> {
    return this.db.transaction(async (tx) => {
      const user = await this.users.find(userId, tx);
      if (!user || user.disabled_at) throw CxErrors.adminUserNotFound();
      const { entity, secret } = await this.keys.issueAdminUserKey(user.id, user.role, name, tx);
      await this.audit.record(tx, { actor, action: 'admin_user.token_issued', targetType: 'admin_user', targetId: user.id, after: { tokenId: entity.id, name } });
      return { ...toApiKeyResponse(entity), key: secret };
    });
  }

  async revokeToken(actor: string, userId: string, keyId: string): Promise<void> {
    if (!(await this.users.find(userId))) throw CxErrors.adminUserNotFound();
    if (!(await this.keys.revoke(keyId, { adminUserId: userId }))) throw CxErrors.tokenNotFound();
    await this.db.transaction((tx) =>
      this.audit.record(tx, {
        actor,
        action: 'admin_user.token_revoked',
        targetType: 'admin_user',
        targetId: userId,
        before: { tokenId: keyId, revoked: false },
        after: { tokenId: keyId, revoked: true },
      }),
    );
  }
}
