import { Module } from '@nestjs/common';
import { ScheduleModule } from '@nestjs/schedule';
import { IdempotencyModule } from '../../common/idempotency/idempotency.module';
import { IdempotencySweeper } from './idempotency-sweeper';

/** The worker role: schedules and (with the messaging issue) the outbox dispatcher. */
@Module({
  imports: [ScheduleModule.forRoot(), IdempotencyModule],
  providers: [IdempotencySweeper],
})
export class WorkerModule {}
