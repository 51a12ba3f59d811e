import { Injectable, Logger } from '@nestjs/common';
import { Cron, CronExpression } from '@nestjs/schedule';
import { PrivacyService } from './privacy.service';

/**
 * Strips consignee data past each retailer's retention, every hour, in batches. Batches claim shipments with
 * SKIP LOCKED, so any number of workers share the work without stripping one shipment twice.
 */
@Injectable()
export class RetentionJob {
  private readonly logger = new Logger(RetentionJob.name);
  private running = false;

  constructor(private readonly privacy: PrivacyService) {}

  @Cron(CronExpression.EVERY_HOUR, { name: 'pii-retention' })
  async run(): Promise<void> {
    if (this.running) return;
    this.running = true;
    try {
      await this.privacy.applyRetention();
    } catch (error) {
      this.logger.error({ error: (error as Error).message }, 'retention failed; retrying next hour');
    } finally {
      this.running = false;
    }
  }
}
