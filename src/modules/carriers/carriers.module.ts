import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { AuditModule } from '../audit/audit.module';
import { CarrierEntity } from './carrier.entity';
import { CarriersAdminController } from './carriers.admin.controller';
import { CarriersService } from './carriers.service';

@Module({
  imports: [TypeOrmModule.forFeature([CarrierEntity]), AuditModule],
  controllers: [CarriersAdminController],
  providers: [CarriersService],
})
export class CarriersModule {}
