import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { Clock } from '../../../common/clock/clock';
import { AuditLog } from '../../audit/audit.repository';
import { ApiKeyEntity } from '../../auth/api-key.entity';
import { ApiKeyService } from '../../auth/api-key.service';
import { IssuedApiKeyResponseDto, toApiKeyResponse } from '../../auth/dto/api-key.dto';
import { AdminRole } from '../../auth/principal';
import { CxErrors } from '../cx.errors';
import { AdminUserDto, CreatedAdminUserDto, RevokedTokensDto } from './admin-users.dto';
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

/** What the audit records of a user: never a token, only ids and prefixes. */
const auditState = (u: AdminUserRow) => ({ name: u.name, role: u.role, disabled: u.disabled_at !== null });

/**
 * Admin users and their tokens. A token is an admin API key linked to the user: only its SHA-256 is stored,
 * it is shown once, and it carries the user's role. Every change is audited in its own transaction, and
 * evicts the user's cached principals on this instance once committed (others follow within the cache TTL).
 *
 * There is always at least one enabled admin user once one exists: the bootstrap ADMIN_TOKEN does not count,
 * as it is an operator's secret for first run and recovery that may well be unset in production.
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

  async get(id: string): Promise<AdminUserDto> {
    const user = await this.users.find(id);
    if (!user) throw CxErrors.adminUserNotFound();
    return toDto(user, await this.keys.listKeys({ adminUserId: id }));
  }

  /** Renames, changes the role of, disables or re-enables a user; refuses to leave no enabled admin. */
  async update(actor: string, id: string, dto: { role?: AdminRole; name?: string; disabled?: boolean }): Promise<AdminUserDto> {
    if (dto.role == null && dto.name == null && dto.disabled == null) throw CxErrors.emptyUserUpdate();
    const user = await this.db.transaction(async (tx) => {
      // The admins first, then the user: the same order in every change, so concurrent ones queue rather than deadlock.
      const admins = await this.users.lockEnabledAdmins(tx);
      const before = await this.users.findForUpdate(tx, id);
      if (!before) throw CxErrors.adminUserNotFound();
      const next = {
        name: dto.name ?? before.name,
        role: dto.role ?? before.role,
        disabledAt: dto.disabled == null ? before.disabled_at : dto.disabled ? (before.disabled_at ?? this.clock.now()) : null,
      };
      const wasAdmin = before.role === 'admin' && before.disabled_at === null;
      const staysAdmin = next.role === 'admin' && next.disabledAt === null;
      if (wasAdmin && !staysAdmin && admins.every((a) => a === id)) throw CxErrors.lastAdmin(next.role === 'admin' ? 'disabled' : 'role');
      if (next.name === before.name && next.role === before.role && next.disabledAt === before.disabled_at) return before;
      const after = await this.users.update(tx, id, next);
      await this.audit.record(tx, { actor, action: 'admin_user.updated', targetType: 'admin_user', targetId: id, before: auditState(before), after: auditState(after) });
      return after;
    });
    await this.keys.evictAdminUser(id);
    return toDto(user, await this.keys.listKeys({ adminUserId: id }));
  }

  async revokeToken(actor: string, userId: string, keyId: string): Promise<void> {
    const key = await this.db.transaction(async (tx) => {
      if (!(await this.users.find(userId, tx))) throw CxErrors.adminUserNotFound();
      const revoked = await this.keys.revoke(tx, keyId, { adminUserId: userId });
      if (!revoked) throw CxErrors.tokenNotFound();
      await this.audit.record(tx, {
        actor,
        action: 'admin_user.token_revoked',
        targetType: 'admin_user',
        targetId: userId,
        before: { tokenId: keyId, prefix: revoked.prefix, revoked: false },
        after: { tokenId: keyId, prefix: revoked.prefix, revoked: true },
      });
      return revoked;
    });
    this.keys.evict(key);
  }

  /** Revokes every active token of a user at once (a lost laptop, a leak). Allowed for the last admin too. */
  async revokeAllTokens(actor: string, userId: string): Promise<RevokedTokensDto> {
    const revoked = await this.db.transaction(async (tx) => {
      if (!(await this.users.find(userId, tx))) throw CxErrors.adminUserNotFound();
      const keys = await this.keys.revokeAllOfAdminUser(tx, userId);
      if (keys.length > 0) {
        const tokens = keys.map((k) => ({ tokenId: k.id, prefix: k.prefix }));
        await this.audit.record(tx, { actor, action: 'admin_user.tokens_revoked', targetType: 'admin_user', targetId: userId, before: { activeTokens: tokens }, after: { activeTokens: [] } });
      }
      return keys;
    });
    this.keys.evict(...revoked);
    return { revoked: revoked.map(toApiKeyResponse) };
  }
}
