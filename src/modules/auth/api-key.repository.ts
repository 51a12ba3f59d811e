import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { EntityManager, In, IsNull, Repository } from 'typeorm';
import { ApiKeyEntity, ApiKeyOwnerType } from './api-key.entity';

export interface ActiveKeyRow {
  id: string;
  owner_type: ApiKeyOwnerType;
  retailer_id: string | null;
  carrier_id: string | null;
  carrier_code: string | null;
  role: string | null;
  admin_user_id: string | null;
}

export interface KeyOwner {
  retailerId?: string;
  carrierId?: string;
  adminUserId?: string;
}

const ownerWhere = (owner: KeyOwner) =>
  owner.retailerId ? { retailerId: owner.retailerId } : owner.carrierId ? { carrierId: owner.carrierId } : { adminUserId: owner.adminUserId };

@Injectable()
export class ApiKeyRepository {
  constructor(@InjectRepository(ApiKeyEntity) private readonly keys: Repository<ApiKeyEntity>) {}

  async findActiveByHash(keyHash: string): Promise<ActiveKeyRow | undefined> {
    const rows: ActiveKeyRow[] = await this.keys.query(
      // A user's key carries the user's current role, and stops working when the user is disabled.
      `SELECT k.id, k.owner_type, k.retailer_id, k.carrier_id, c.code AS carrier_code, COALESCE(u.role, k.role) AS role, k.admin_user_id
         FROM api_keys k LEFT JOIN carriers c ON c.id = k.carrier_id LEFT JOIN admin_users u ON u.id = k.admin_user_id
        WHERE k.key_hash = $1 AND k.revoked_at IS NULL AND u.disabled_at IS NULL`,
      [keyHash],
    );
    return rows[0];
  }

  /** In the caller's transaction when `tx` is given (a key issued together with what it belongs to). */
  insert(key: Omit<ApiKeyEntity, 'id' | 'createdAt' | 'revokedAt'>, tx?: EntityManager): Promise<ApiKeyEntity> {
    const keys = tx ? tx.getRepository(ApiKeyEntity) : this.keys;
    return keys.save(keys.create({ ...key, revokedAt: null }));
  }

  listForOwner(owner: KeyOwner): Promise<ApiKeyEntity[]> {
    return this.keys.find({ where: ownerWhere(owner), order: { createdAt: 'ASC' } });
  }

  /**
   * Revokes a key only if it belongs to the given owner and is still active, in the caller's transaction;
   * returns the key as revoked. The row lock makes a concurrent second revocation find nothing.
   */
  async revoke(tx: EntityManager, keyId: string, owner: KeyOwner, at: Date): Promise<ApiKeyEntity | undefined> {
    const keys = tx.getRepository(ApiKeyEntity);
    const key = await keys.findOne({ where: { id: keyId, ...ownerWhere(owner), revokedAt: IsNull() }, lock: { mode: 'pessimistic_write' } });
    if (!key) return undefined;
    await keys.update({ id: key.id }, { revokedAt: at });
    return { ...key, revokedAt: at };
  }

  /** Revokes every active key of an admin user, in the caller's transaction; returns the keys it revoked. */
  async revokeAllOfAdminUser(tx: EntityManager, adminUserId: string, at: Date): Promise<ApiKeyEntity[]> {
    const keys = tx.getRepository(ApiKeyEntity);
    const active = await keys.find({ where: { adminUserId, revokedAt: IsNull() }, order: { createdAt: 'ASC' }, lock: { mode: 'pessimistic_write' } });
    if (active.length === 0) return [];
    await keys.update({ id: In(active.map((k) => k.id)) }, { revokedAt: at });
    return active.map((k) => ({ ...k, revokedAt: at }));
  }

  async hasAdminKeys(): Promise<boolean> {
    return (await this.keys.count({ where: { ownerType: 'admin', revokedAt: IsNull() } })) > 0;
  }
}
