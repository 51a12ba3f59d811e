import { Inject, Injectable, Logger, OnApplicationBootstrap, OnApplicationShutdown } from '@nestjs/common';
import { APP_CONFIG, AppConfig } from '../../config/app-config';
import { PlannerService } from '../notifications/planner/planner.service';

const BATCH = 200;

/** Runs the planner continuously: straight on while batches come back full, otherwise every poll interval. */
@Injectable()
export class PlanLoop implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger(PlanLoop.name);
  private running = false;
  private current?: Promise<void>;
  private timer?: NodeJS.Timeout;

  constructor(
    private readonly planner: PlannerService,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  onApplicationBootstrap(): void {
    this.running = true;
    this.schedule(0);
  }

  async onApplicationShutdown(): Promise<void> {
    this.running = false;
    clearTimeout(this.timer);
    await this.current;
  }

  private schedule(delayMs: number): void {
    if (!this.running) return;
    this.timer = setTimeout(() => {
      this.current = this.tick();
    }, delayMs);
  }

  private async tick(): Promise<void> {
    let full = false;
    try {
      const summary = await this.planner.planOnce(BATCH);
      full = summary.events >= BATCH;
      if (summary.events > 0) this.logger.debug(summary, 'planned');
    } catch (error) {
      this.logger.error({ error: (error as Error).message }, 'planning failed; retrying after the poll interval');
    }
    this.schedule(full ? 0 : this.config.notifications.dispatch.pollMs);
  }
}
