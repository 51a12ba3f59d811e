import { Module } from '@nestjs/common';
import { ScheduleModule } from '@nestjs/schedule';
import { IdempotencyModule } from '../../common/idempotency/idempotency.module';
import { NotificationsModule } from '../notifications/notifications.module';
import { DispatchLoop } from './dispatch-loop';
import { IdempotencySweeper } from './idempotency-sweeper';

/** The worker role: the message dispatcher and the schedules. */
@Module({
  imports: [ScheduleModule.forRoot(), IdempotencyModule, NotificationsModule],
  providers: [IdempotencySweeper, DispatchLoop],
})
export class WorkerModule {}
