import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { AuditModule } from '../audit/audit.module';
import { RetailerSettingsController } from './retailer-settings.controller';
import { RetailerEntity } from './retailer.entity';
import { RetailersAdminController } from './retailers.admin.controller';
import { RetailersService } from './retailers.service';

@Module({
  imports: [TypeOrmModule.forFeature([RetailerEntity]), AuditModule],
  controllers: [RetailersAdminController, RetailerSettingsController],
  providers: [RetailersService],
  exports: [RetailersService],
})
export class RetailersModule {}
