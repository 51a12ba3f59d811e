import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { CountryRulesCoreModule } from '../country-rules/country-rules.module';
import { RetailersModule } from '../retailers/retailers.module';
import { TrackingEventEntity } from '../tracking/tracking-event.entity';
import { JourneyRepository } from './journey.repository';
import { JourneyService } from './journey.service';
import { ShipmentEntity } from './shipment.entity';
import { ShipmentRepository } from './shipment.repository';
import { ShipmentsController } from './shipments.controller';
import { ShipmentsService } from './shipments.service';

@Module({
  imports: [TypeOrmModule.forFeature([ShipmentEntity, TrackingEventEntity]), RetailersModule, CountryRulesCoreModule],
  controllers: [ShipmentsController],
  providers: [ShipmentsService, ShipmentRepository, JourneyService, JourneyRepository],
  exports: [JourneyService, ShipmentRepository],
})
export class ShipmentsModule {}
