import { isDeepStrictEqual } from 'node:util';
import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { DataSource, Repository } from 'typeorm';
import { AuditLog } from '../audit/audit.repository';
import { ApiKeyService, IssuedKey } from '../auth/api-key.service';
import { UpdateRetailerSettingsDto } from './retailer-settings.dto';
import { AppError, CommonErrors } from '../../common/errors/app-error';
import { RetailerEntity } from './retailer.entity';
import { CreateRetailerDto, UpdateRetailerDto } from './retailers.dto';

/** What an operator may change on a retailer, as the audit records it. */
const adminState = (r: RetailerEntity) => ({ name: r.name, returnWindowDays: r.returnWindowDays });

export const RetailerErrors = {
  notFound: () => new AppError('RETAILER_NOT_FOUND', 404, 'Retailer not found.'),
};

@Injectable()
export class RetailersService {
  constructor(
    @InjectRepository(RetailerEntity) private readonly retailers: Repository<RetailerEntity>,
    private readonly db: DataSource,
    private readonly audit: AuditLog,
    private readonly keys: ApiKeyService,
  ) {}

  /** Creates a retailer with its audit entry, in one transaction; `actor` is `seed` for the demo retailer. */
  create(actor: string, dto: CreateRetailerDto & { isDemo?: boolean }): Promise<RetailerEntity> {
    return this.db.transaction(async (tx) => {
      const repo = tx.getRepository(RetailerEntity);
      const retailer = await repo.save(repo.create({ name: dto.name, returnWindowDays: dto.returnWindowDays ?? 30, isDemo: dto.isDemo ?? false }));
      await this.audit.record(tx, { actor, action: 'retailer.created', targetType: 'retailer', targetId: retailer.id, retailerId: retailer.id, after: adminState(retailer) });
      return retailer;
    });
  }

  async get(id: string): Promise<RetailerEntity> {
    const retailer = await this.retailers.findOne({ where: { id } });
    if (!retailer) throw RetailerErrors.notFound();
    return retailer;
  }

  list(): Promise<RetailerEntity[]> {
    return this.retailers.find({ order: { createdAt: 'ASC' } });
  }

  /** An operator's change, under a row lock, audited before and after when it changes anything. */
  async update(actor: string, id: string, dto: UpdateRetailerDto): Promise<RetailerEntity> {
    return this.db.transaction(async (tx) => {
      const repo = tx.getRepository(RetailerEntity);
      const retailer = await repo.findOne({ where: { id }, lock: { mode: 'pessimistic_write' } });
      if (!retailer) throw RetailerErrors.notFound();
      const before = adminState(retailer);
      Object.assign(retailer, Object.fromEntries(Object.entries(dto).filter(([, v]) => v !== undefined)));
      if (isDeepStrictEqual(before, adminState(retailer))) return retailer;
      const saved = await repo.save(retailer);
      await this.audit.record(tx, { actor, action: 'retailer.updated', targetType: 'retailer', targetId: id, retailerId: id, before, after: adminState(saved) });
      return saved;
    });
  }

  /** Issues a retailer API key with its audit entry (its id and prefix, never the key). */
  async issueKey(actor: string, id: string, name?: string): Promise<IssuedKey> {
    return this.db.transaction(async (tx) => {
      if (!(await tx.getRepository(RetailerEntity).exists({ where: { id } }))) throw RetailerErrors.notFound();
      const issued = await this.keys.issueRetailerKey(id, name, tx);
      const { entity } = issued;
      await this.audit.record(tx, { actor, action: 'retailer.api_key_issued', targetType: 'retailer', targetId: id, retailerId: id, after: { keyId: entity.id, name: entity.name, prefix: entity.prefix } });
      return issued;
    });
  }

  /** Revokes a retailer API key with its audit entry; it stops working on this instance once committed. */
  async revokeKey(actor: string, id: string, keyId: string): Promise<void> {
    const key = await this.db.transaction(async (tx) => {
      const revoked = await this.keys.revoke(tx, keyId, { retailerId: id });
      if (!revoked) throw CommonErrors.notFound('API key');
      const state = { keyId, name: revoked.name, prefix: revoked.prefix };
      await this.audit.record(tx, { actor, action: 'retailer.api_key_revoked', targetType: 'retailer', targetId: id, retailerId: id, before: { ...state, revoked: false }, after: { ...state, revoked: true } });
      return revoked;
    });
    this.keys.evict(key);
  }

  /** Changes a retailer's own settings under a row lock, with an audit entry of before and after. */
  async updateSettings(id: string, dto: UpdateRetailerSettingsDto): Promise<RetailerEntity> {
    return this.db.transaction(async (tx) => {
      const repo = tx.getRepository(RetailerEntity);
      const retailer = await repo.findOne({ where: { id }, lock: { mode: 'pessimistic_write' } });
      if (!retailer) throw RetailerErrors.notFound();
      const before = { registrations: retailer.registrations, returnWindowDays: retailer.returnWindowDays };
      const registrations: Record<string, string> = { ...retailer.registrations };
      for (const [scheme, value] of Object.entries(dto.registrations ?? {})) {
        if (value === null) delete registrations[scheme];
        else if (value !== undefined) registrations[scheme] = value;
      }
      retailer.registrations = registrations;
      if (dto.returnWindowDays !== undefined) retailer.returnWindowDays = dto.returnWindowDays;
      const saved = await repo.save(retailer);
      await this.audit.record(tx, {
        actor: `retailer:${id}`,
        action: 'retailer.settings_updated',
        targetType: 'retailer',
        targetId: id,
        retailerId: id,
        before,
        after: { registrations: saved.registrations, returnWindowDays: saved.returnWindowDays },
      });
      return saved;
    });
  }

  findDemo(): Promise<RetailerEntity | null> {
    return this.retailers.findOne({ where: { isDemo: true } });
  }
}
