import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { DataSource, Repository } from 'typeorm';
import { AuditLog } from '../audit/audit.repository';
import { UpdateRetailerSettingsDto } from './retailer-settings.dto';
import { AppError } from '../../common/errors/app-error';
import { RetailerEntity } from './retailer.entity';
import { CreateRetailerDto, UpdateRetailerDto } from './retailers.dto';

export const RetailerErrors = {
  notFound: () => new AppError('RETAILER_NOT_FOUND', 404, 'Retailer not found.'),
};

@Injectable()
export class RetailersService {
  constructor(
    @InjectRepository(RetailerEntity) private readonly retailers: Repository<RetailerEntity>,
    private readonly db: DataSource,
    private readonly audit: AuditLog,
  ) {}

  create(dto: CreateRetailerDto & { isDemo?: boolean }): Promise<RetailerEntity> {
    return this.retailers.save(
      this.retailers.create({ name: dto.name, returnWindowDays: dto.returnWindowDays ?? 30, isDemo: dto.isDemo ?? false }),
    );
  }

  async get(id: string): Promise<RetailerEntity> {
    const retailer = await this.retailers.findOne({ where: { id } });
    if (!retailer) throw RetailerErrors.notFound();
    return retailer;
  }

  list(): Promise<RetailerEntity[]> {
    return this.retailers.find({ order: { createdAt: 'ASC' } });
  }

  async update(id: string, dto: UpdateRetailerDto): Promise<RetailerEntity> {
    const retailer = await this.get(id);
    Object.assign(retailer, Object.fromEntries(Object.entries(dto).filter(([, v]) => v !== undefined)));
    return this.retailers.save(retailer);
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
