import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { DataSource, QueryFailedError, Repository } from 'typeorm';
import { AppError, CommonErrors } from '../../common/errors/app-error';
import { AuditLog } from '../audit/audit.repository';
import { ApiKeyService, IssuedKey } from '../auth/api-key.service';
import { CarrierEntity } from './carrier.entity';
import { CreateCarrierDto } from './carriers.dto';

export const CarrierErrors = {
  notFound: () => new AppError('CARRIER_NOT_FOUND', 404, 'Carrier not found.'),
  codeTaken: (code: string) =>
    new AppError('CARRIER_CODE_EXISTS', 409, `A carrier with code "${code}" already exists.`, [
      { field: 'code', issue: 'is already used by another carrier' },
    ]),
};

@Injectable()
export class CarriersService {
  constructor(
    @InjectRepository(CarrierEntity) private readonly carriers: Repository<CarrierEntity>,
    private readonly db: DataSource,
    private readonly audit: AuditLog,
    private readonly keys: ApiKeyService,
  ) {}

  /** Registers a carrier with its audit entry, in one transaction. */
  async create(actor: string, dto: CreateCarrierDto): Promise<CarrierEntity> {
    try {
      return await this.db.transaction(async (tx) => {
        const repo = tx.getRepository(CarrierEntity);
        const carrier = await repo.save(repo.create(dto));
        await this.audit.record(tx, { actor, action: 'carrier.created', targetType: 'carrier', targetId: carrier.id, after: { code: carrier.code, name: carrier.name } });
        return carrier;
      });
    } catch (error) {
      if (error instanceof QueryFailedError && (error.driverError as { code?: string }).code === '23505') {
        throw CarrierErrors.codeTaken(dto.code);
      }
      throw error;
    }
  }

  async get(id: string): Promise<CarrierEntity> {
    const carrier = await this.carriers.findOne({ where: { id } });
    if (!carrier) throw CarrierErrors.notFound();
    return carrier;
  }

  list(): Promise<CarrierEntity[]> {
    return this.carriers.find({ order: { createdAt: 'ASC' } });
  }

  /** Issues a carrier API key with its audit entry (its id and prefix, never the key). */
  async issueKey(actor: string, id: string, name?: string): Promise<IssuedKey> {
    return this.db.transaction(async (tx) => {
      if (!(await tx.getRepository(CarrierEntity).exists({ where: { id } }))) throw CarrierErrors.notFound();
      const issued = await this.keys.issueCarrierKey(id, name, tx);
      const { entity } = issued;
      await this.audit.record(tx, { actor, action: 'carrier.api_key_issued', targetType: 'carrier', targetId: id, after: { keyId: entity.id, name: entity.name, prefix: entity.prefix } });
      return issued;
    });
  }

  /** Revokes a carrier API key with its audit entry; it stops working on this instance once committed. */
  async revokeKey(actor: string, id: string, keyId: string): Promise<void> {
    const key = await this.db.transaction(async (tx) => {
      const revoked = await this.keys.revoke(tx, keyId, { carrierId: id });
      if (!revoked) throw CommonErrors.notFound('API key');
      const state = { keyId, name: revoked.name, prefix: revoked.prefix };
      await this.audit.record(tx, { actor, action: 'carrier.api_key_revoked', targetType: 'carrier', targetId: id, before: { ...state, revoked: false }, after: { ...state, revoked: true } });
      return revoked;
    });
    this.keys.evict(key);
  }
}
