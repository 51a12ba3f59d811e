import { Module } from '@nestjs/common';
import { ScheduleModule } from '@nestjs/schedule';
import { IdempotencyModule } from '../../common/idempotency/idempotency.module';
import { CxCoreModule } from '../cx/cx-core.module';
import { CxOpsWorkerModule } from '../cx/cx-ops.module';
import { DetectionWorkerModule } from '../cx/detection/detection.module';
import { ExceptionProjectorLoop } from '../cx/exceptions/exception-projector';
import { NotificationsModule } from '../notifications/notifications.module';
import { PlannerModule } from '../notifications/planner/planner.module';
import { DispatchLoop } from './dispatch-loop';
import { IdempotencySweeper } from './idempotency-sweeper';
import { PlanLoop } from './plan-loop';

/** The worker role: the planner, the message dispatcher and the schedules. */
@Module({
  imports: [ScheduleModule.forRoot(), IdempotencyModule, NotificationsModule, PlannerModule, CxCoreModule, DetectionWorkerModule, CxOpsWorkerModule],
  providers: [IdempotencySweeper, PlanLoop, DispatchLoop, ExceptionProjectorLoop],
})
export class WorkerModule {}
