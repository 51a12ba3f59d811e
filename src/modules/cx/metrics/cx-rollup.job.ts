import { Injectable, Logger } from '@nestjs/common';
import { Cron, CronExpression } from '@nestjs/schedule';
import { CxRollupService } from './cx-rollup.service';

/** Brings the CX metrics' rollups up to date every five minutes (see CxRollupService). */
@Injectable()
export class CxRollupJob {
  private readonly logger = new Logger(CxRollupJob.name);
  private running = false;

  constructor(private readonly rollup: CxRollupService) {}

  @Cron(CronExpression.EVERY_5_MINUTES, { name: 'cx-rollup' })
  async run(): Promise<void> {
    if (this.running) return;
    this.running = true;
    try {
      await this.rollup.run();
    } catch (error) {
      this.logger.error({ error: (error as Error).message }, 'cx rollup failed; retrying in five minutes');
    } finally {
      this.running = false;
    }
  }
}
