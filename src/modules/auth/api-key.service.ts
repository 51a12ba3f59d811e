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

/** How long an instance trusts a looked-up key; documented on the admin-user routes. */
export const PRINCIPAL_CACHE_TTL_MS = 5_000;
const CACHE_MAX = 10_000;

@Injectable()
export class ApiKeyService {
  /**
   * Hash → principal, for PRINCIPAL_CACHE_TTL_MS, so that a hot key costs no query per request. The cache is per
   * instance: a revocation or a change to a user evicts it here at once, and other instances within the TTL.
   */
  private readonly cache = new Map<string, { principal: Principal | null; expiresAt: number }>();
  /** Bumped by every eviction, so that a lookup that read the database before a change cannot cache it after. */
  private generation = 0;
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
    const generation = this.generation;
    const row = await this.repository.findActiveByHash(hash);
    let principal: Principal | null = null;
    if (row?.owner_type === 'retailer' && row.retailer_id) {
      principal = { kind: 'retailer', keyId: row.id, retailerId: row.retailer_id };
    } else if (row?.owner_type === 'carrier' && row.carrier_id && row.carrier_code) {
      principal = { kind: 'carrier', keyId: row.id, carrierId: row.carrier_id, carrierCode: row.carrier_code };
    } else if (row?.owner_type === 'admin' && row.role) {
      principal = { kind: 'admin', keyId: row.id, role: row.role as AdminRole, ...(row.admin_user_id ? { userId: row.admin_user_id } : {}) };
    }
    if (generation !== this.generation) return principal;
    if (this.cache.size >= CACHE_MAX) this.cache.clear();
    this.cache.set(hash, { principal, expiresAt: now + PRINCIPAL_CACHE_TTL_MS });
    return principal;
  }

  /** In the caller's transaction when `tx` is given (a key issued together with its audit entry). */
  async issueRetailerKey(retailerId: string, name = 'default', tx?: EntityManager): Promise<IssuedKey> {
    return this.issue('retailer', { retailerId, carrierId: null, role: null, name, adminUserId: null }, tx);
  }

  async issueCarrierKey(carrierId: string, name = 'default', tx?: EntityManager): Promise<IssuedKey> {
    return this.issue('carrier', { retailerId: null, carrierId, role: null, name, adminUserId: null }, tx);
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

  /**
   * Revokes a key of the given owner in the caller's transaction (so that its audit entry commits with it).
   * Call `evict` with the result once the transaction has committed.
   */
  revoke(tx: EntityManager, keyId: string, owner: KeyOwner): Promise<ApiKeyEntity | undefined> {
    return this.repository.revoke(tx, keyId, owner, this.clock.now());
  }

  /** Revokes every active token of an admin user in the caller's transaction; `evict` them after commit. */
  revokeAllOfAdminUser(tx: EntityManager, adminUserId: string): Promise<ApiKeyEntity[]> {
    return this.repository.revokeAllOfAdminUser(tx, adminUserId, this.clock.now());
  }

  /** Forgets the cached principals of these keys, so that a committed revocation applies to the next request. */
  evict(...keys: Pick<ApiKeyEntity, 'keyHash'>[]): void {
    this.generation += 1;
    for (const key of keys) this.cache.delete(key.keyHash);
  }

  /**
   * Forgets the cached principals of all of a user's tokens, so that a committed change to the user (disabled,
   * re-enabled, new role) applies to their next request on this instance.
   */
  async evictAdminUser(adminUserId: string): Promise<void> {
    this.evict(...(await this.repository.listForOwner({ adminUserId })));
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
