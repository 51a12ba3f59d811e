import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { QueryFailedError, Repository } from 'typeorm';
import { AppError } from '../../common/errors/app-error';
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
  constructor(@InjectRepository(CarrierEntity) private readonly carriers: Repository<CarrierEntity>) {}

  async create(dto: CreateCarrierDto): Promise<CarrierEntity> {
    try {
      return await this.carriers.save(this.carriers.create(dto));
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
}
