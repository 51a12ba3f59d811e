import { Injectable, Logger } from '@nestjs/common';
import { Cron, CronExpression } from '@nestjs/schedule';
import { Clock } from '../../common/clock/clock';
import { IdempotencyRepository } from '../../common/idempotency/idempotency.repository';

/** Deletes idempotency keys past their retention (24 h by default), in bounded batches. */
@Injectable()
export class IdempotencySweeper {
  private readonly logger = new Logger(IdempotencySweeper.name);

  constructor(
    private readonly repository: IdempotencyRepository,
    private readonly clock: Clock,
  ) {}

  @Cron(CronExpression.EVERY_10_MINUTES, { name: 'idempotency-sweep' })
  async sweep(): Promise<number> {
    let total = 0;
    for (let deleted = -1; deleted !== 0 && total < 100_000; total += deleted) {
      deleted = await this.repository.deleteExpired(this.clock.now());
    }
    if (total > 0) this.logger.log({ deleted: total }, 'expired idempotency keys deleted');
    return total;
  }
}
