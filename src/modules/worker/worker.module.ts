import { Module } from '@nestjs/common';
import { ScheduleModule } from '@nestjs/schedule';
import { IdempotencyModule } from '../../common/idempotency/idempotency.module';
import { NotificationsModule } from '../notifications/notifications.module';
import { PlannerModule } from '../notifications/planner/planner.module';
import { DispatchLoop } from './dispatch-loop';
import { IdempotencySweeper } from './idempotency-sweeper';
import { PlanLoop } from './plan-loop';

/** The worker role: the planner, the message dispatcher and the schedules. */
@Module({
  imports: [ScheduleModule.forRoot(), IdempotencyModule, NotificationsModule, PlannerModule],
  providers: [IdempotencySweeper, PlanLoop, DispatchLoop],
})
export class WorkerModule {}
