import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { IsNull, Repository } from 'typeorm';
import { ApiKeyEntity, ApiKeyOwnerType } from './api-key.entity';

export interface ActiveKeyRow {
  id: string;
  owner_type: ApiKeyOwnerType;
  retailer_id: string | null;
  carrier_id: string | null;
  carrier_code: string | null;
  role: string | null;
}

@Injectable()
export class ApiKeyRepository {
  constructor(@InjectRepository(ApiKeyEntity) private readonly keys: Repository<ApiKeyEntity>) {}

  async findActiveByHash(keyHash: string): Promise<ActiveKeyRow | undefined> {
    const rows: ActiveKeyRow[] = await this.keys.query(
      `SELECT k.id, k.owner_type, k.retailer_id, k.carrier_id, c.code AS carrier_code, k.role
         FROM api_keys k LEFT JOIN carriers c ON c.id = k.carrier_id
        WHERE k.key_hash = $1 AND k.revoked_at IS NULL`,
      [keyHash],
    );
    return rows[0];
  }

  insert(key: Omit<ApiKeyEntity, 'id' | 'createdAt' | 'revokedAt'>): Promise<ApiKeyEntity> {
    return this.keys.save(this.keys.create({ ...key, revokedAt: null }));
  }

  listForOwner(owner: { retailerId?: string; carrierId?: string }): Promise<ApiKeyEntity[]> {
    return this.keys.find({
      where: owner.retailerId ? { retailerId: owner.retailerId } : { carrierId: owner.carrierId },
      order: { createdAt: 'ASC' },
    });
  }

  /** Revokes a key only if it belongs to the given owner; returns the hash of the key it revoked. */
  async revoke(keyId: string, owner: { retailerId?: string; carrierId?: string }, at: Date): Promise<string | undefined> {
    const where = owner.retailerId
      ? { id: keyId, retailerId: owner.retailerId, revokedAt: IsNull() }
      : { id: keyId, carrierId: owner.carrierId, revokedAt: IsNull() };
    const key = await this.keys.findOne({ where });
    if (!key) return undefined;
    await this.keys.update({ id: key.id }, { revokedAt: at });
    return key.keyHash;
  }

  async hasAdminKeys(): Promise<boolean> {
    return (await this.keys.count({ where: { ownerType: 'admin', revokedAt: IsNull() } })) > 0;
  }
}
