import { Module } from '@nestjs/common';
import { CxCoreModule } from './cx-core.module';
import { IncidentSweep } from './incidents/incident-sweep';
import { IncidentsAdminController } from './incidents/incidents.admin.controller';
import { IncidentsRepository } from './incidents/incidents.repository';
import { IncidentsService } from './incidents/incidents.service';
import { CxMetricsAdminController } from './metrics/cx-metrics.admin.controller';
import { CxMetricsService } from './metrics/cx-metrics.service';
import { CxRollupJob } from './metrics/cx-rollup.job';
import { CxRollupService } from './metrics/cx-rollup.service';
import { PrivacyAdminController } from './privacy/privacy.admin.controller';
import { PrivacyRepository } from './privacy/privacy.repository';
import { PrivacyService } from './privacy/privacy.service';
import { RetentionJob } from './privacy/retention.job';
import { SurveysController } from './surveys/surveys.controller';
import { SurveysService } from './surveys/surveys.service';

/** Incident broadcasts, surveys, CX metrics and privacy, without controllers or schedules (the worker and tests share it). */
@Module({
  imports: [CxCoreModule],
  providers: [IncidentsRepository, IncidentsService, SurveysService, CxMetricsService, CxRollupService, PrivacyRepository, PrivacyService],
  exports: [IncidentsService, SurveysService, CxMetricsService, CxRollupService, PrivacyService],
})
export class CxOpsModule {}

/** The api role's part: the admin endpoints and the public survey page. */
@Module({
  imports: [CxOpsModule],
  controllers: [IncidentsAdminController, CxMetricsAdminController, PrivacyAdminController, SurveysController],
})
export class CxOpsApiModule {}

/** The worker's part: the incident sweep, the metrics' rollups and personal-data retention. Needs ScheduleModule.forRoot(). */
@Module({
  imports: [CxOpsModule],
  providers: [IncidentSweep, CxRollupJob, RetentionJob],
})
export class CxOpsWorkerModule {}
