import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { RetailerEntity } from './retailer.entity';
import { RetailersAdminController } from './retailers.admin.controller';
import { RetailersService } from './retailers.service';

@Module({
  imports: [TypeOrmModule.forFeature([RetailerEntity])],
  controllers: [RetailersAdminController],
  providers: [RetailersService],
  exports: [RetailersService],
})
export class RetailersModule {}
