import { Inject, Injectable } from '@nestjs/common';
import { EntityManager } from 'typeorm';
import { APP_CONFIG, AppConfig } from '../../config/app-config';
import { Clock } from '../../common/clock/clock';
import { displayPrefix, generateSecret, safeEqualHex, sha256Hex } from '../../common/crypto/secrets';
import { ApiKeyEntity } from './api-key.entity';
import { ApiKeyRepository, KeyOwner } from './api-key.repository';
import { KEY_PREFIXES } from './key-prefixes';
import { AdminRole, Principal } from './principal';

export interface IssuedKey {
  entity: ApiKeyEntity;
  /** The secret itself, shown to the caller once and never stored. */
  secret: string;
}

const CACHE_TTL_MS = 5_000;
const CACHE_MAX = 10_000;

@Injectable()
export class ApiKeyService {
  /** Hash → principal, briefly, so that a hot key costs no query per request. Revocation evicts at once. */
  private readonly cache = new Map<string, { principal: Principal | null; expiresAt: number }>();
  private readonly bootstrapHash?: string;

  constructor(
    private readonly repository: ApiKeyRepository,
    private readonly clock: Clock,
    @Inject(APP_CONFIG) config: AppConfig,
  ) {
    this.bootstrapHash = config.auth.adminToken ? sha256Hex(config.auth.adminToken) : undefined;
  }

  async authenticate(secret: string): Promise<Principal | null> {
    const hash = sha256Hex(secret);
    if (this.bootstrapHash && safeEqualHex(hash, this.bootstrapHash)) {
      return { kind: 'admin', keyId: 'bootstrap', role: 'admin' };
    }
    const now = Date.now();
    const cached = this.cache.get(hash);
    if (cached && cached.expiresAt > now) return cached.principal;
    const row = await this.repository.findActiveByHash(hash);
    let principal: Principal | null = null;
    if (row?.owner_type === 'retailer' && row.retailer_id) {
      principal = { kind: 'retailer', keyId: row.id, retailerId: row.retailer_id };
    } else if (row?.owner_type === 'carrier' && row.carrier_id && row.carrier_code) {
      principal = { kind: 'carrier', keyId: row.id, carrierId: row.carrier_id, carrierCode: row.carrier_code };
    } else if (row?.owner_type === 'admin' && row.role) {
      principal = { kind: 'admin', keyId: row.id, role: row.role as AdminRole, ...(row.admin_user_id ? { userId: row.admin_user_id } : {}) };
    }
    if (this.cache.size >= CACHE_MAX) this.cache.clear();
    this.cache.set(hash, { principal, expiresAt: now + CACHE_TTL_MS });
    return principal;
  }

  async issueRetailerKey(retailerId: string, name = 'default'): Promise<IssuedKey> {
    return this.issue('retailer', { retailerId, carrierId: null, role: null, name, adminUserId: null });
  }

  async issueCarrierKey(carrierId: string, name = 'default'): Promise<IssuedKey> {
    return this.issue('carrier', { retailerId: null, carrierId, role: null, name, adminUserId: null });
  }

  async issueAdminKey(role: AdminRole, name: string): Promise<IssuedKey> {
    return this.issue('admin', { retailerId: null, carrierId: null, role, name, adminUserId: null });
  }

  /** A token for an admin user: an admin key linked to the user, whose role follows the user's. */
  async issueAdminUserKey(adminUserId: string, role: AdminRole, name: string, tx?: EntityManager): Promise<IssuedKey> {
    return this.issue('admin', { retailerId: null, carrierId: null, role, name, adminUserId }, tx);
  }

  listKeys(owner: KeyOwner): Promise<ApiKeyEntity[]> {
    return this.repository.listForOwner(owner);
  }

  async revoke(keyId: string, owner: KeyOwner): Promise<boolean> {
    const hash = await this.repository.revoke(keyId, owner, this.clock.now());
    if (hash) this.cache.delete(hash);
    return hash !== undefined;
  }

  /** Forgets cached principals, so that a change to a user (disabled, new role) applies to the next request. */
  evictCache(): void {
    this.cache.clear();
  }

  hasAdminKeys(): Promise<boolean> {
    return this.repository.hasAdminKeys();
  }

  private async issue(
    ownerType: keyof typeof KEY_PREFIXES,
    fields: { retailerId: string | null; carrierId: string | null; role: string | null; name: string; adminUserId: string | null },
    tx?: EntityManager,
  ): Promise<IssuedKey> {
    const secret = generateSecret(KEY_PREFIXES[ownerType]);
    const entity = await this.repository.insert({
      ownerType,
      ...fields,
      prefix: displayPrefix(secret, KEY_PREFIXES[ownerType]),
      keyHash: sha256Hex(secret),
    }, tx);
    return { entity, secret };
  }
}
