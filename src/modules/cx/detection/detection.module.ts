import { Module } from '@nestjs/common';
import { CountryRulesCoreModule } from '../../country-rules/country-rules.module';
import { CxCoreModule } from '../cx-core.module';
import { EddLoop } from '../edd/edd.loop';
import { EddModule } from '../edd/edd.module';
import { DetectionRepository } from './detection.repository';
import { DetectionScheduler } from './detection.scheduler';
import { DetectionService } from './detection.service';

/** Proactive detection, without schedules (tests and benchmarks sweep by hand). */
@Module({
  imports: [CxCoreModule, CountryRulesCoreModule, EddModule],
  providers: [DetectionRepository, DetectionService],
  exports: [DetectionService, EddModule],
})
export class DetectionModule {}

/** The worker's part: the detection schedule and the estimated-delivery loop. Needs ScheduleModule.forRoot(). */
@Module({
  imports: [DetectionModule, EddModule],
  providers: [DetectionScheduler, EddLoop],
})
export class DetectionWorkerModule {}
