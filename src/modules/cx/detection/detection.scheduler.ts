import { Inject, Injectable, Logger, OnApplicationBootstrap, OnApplicationShutdown } from '@nestjs/common';
import { SchedulerRegistry } from '@nestjs/schedule';
import { APP_CONFIG, AppConfig } from '../../../config/app-config';
import { DetectionService } from './detection.service';

export const DETECTION_INTERVAL = 'cx-detection';

/**
 * Sweeps every DETECTION_INTERVAL_SECONDS (0: never) on @nestjs/schedule's registry, so that the interval is
 * configuration rather than a decorator constant. Every worker runs the timer; the sweep's advisory lock and its
 * `detection_sweeps` row make one of them do the work. A tick that finds the previous one still running skips.
 */
@Injectable()
export class DetectionScheduler implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger(DetectionScheduler.name);
  private current?: Promise<void>;

  constructor(
    private readonly detection: DetectionService,
    private readonly registry: SchedulerRegistry,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  onApplicationBootstrap(): void {
    const seconds = this.config.detection.intervalSeconds;
    if (seconds <= 0) return;
    this.registry.addInterval(DETECTION_INTERVAL, setInterval(() => this.tick(), seconds * 1000));
  }

  async onApplicationShutdown(): Promise<void> {
    if (this.registry.doesExist('interval', DETECTION_INTERVAL)) this.registry.deleteInterval(DETECTION_INTERVAL);
    await this.current;
  }

  private tick(): void {
    if (this.current) return;
    this.current = this.detection
      .sweep()
      .then(
        () => undefined,
        (error: unknown) => this.logger.error({ error: (error as Error).message }, 'detection sweep failed; the next tick retries'),
      )
      .finally(() => {
        this.current = undefined;
      });
  }
}
