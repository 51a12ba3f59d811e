import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { Repository } from 'typeorm';
import { AppError } from '../../common/errors/app-error';
import { RetailerEntity } from './retailer.entity';
import { CreateRetailerDto, UpdateRetailerDto } from './retailers.dto';

export const RetailerErrors = {
  notFound: () => new AppError('RETAILER_NOT_FOUND', 404, 'Retailer not found.'),
};

@Injectable()
export class RetailersService {
  constructor(@InjectRepository(RetailerEntity) private readonly retailers: Repository<RetailerEntity>) {}

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

  findDemo(): Promise<RetailerEntity | null> {
    return this.retailers.findOne({ where: { isDemo: true } });
  }
}
