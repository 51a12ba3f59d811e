import { Module } from '@nestjs/common';
import { ShipmentsModule } from '../shipments/shipments.module';
import { IngestionService } from './ingestion.service';
import { PublicTrackingService } from './public-tracking.service';
import { ScanCoalescer } from './scan.coalescer';
import { TrackingController } from './tracking.controller';
import { TrackingRepository } from './tracking.repository';

@Module({
  imports: [ShipmentsModule],
  controllers: [TrackingController],
  providers: [IngestionService, PublicTrackingService, ScanCoalescer, TrackingRepository],
})
export class TrackingModule {}
