import { Inject, Injectable, Logger, OnApplicationBootstrap, OnApplicationShutdown } from '@nestjs/common';
import { APP_CONFIG, AppConfig } from '../../config/app-config';
import { DispatcherService } from '../notifications/dispatch/dispatcher.service';

/** Runs the dispatcher continuously: straight on while batches come back full, otherwise every poll interval. */
@Injectable()
export class DispatchLoop implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger(DispatchLoop.name);
  private running = false;
  private current?: Promise<void>;
  private timer?: NodeJS.Timeout;

  constructor(
    private readonly dispatcher: DispatcherService,
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
    const { batchSize, pollMs } = this.config.notifications.dispatch;
    let full = false;
    try {
      const summary = await this.dispatcher.dispatchOnce();
      full = summary.claimed >= batchSize;
      if (summary.claimed > 0) this.logger.debug(summary, 'dispatched');
    } catch (error) {
      this.logger.error({ error: (error as Error).message }, 'dispatch failed; retrying after the poll interval');
    }
    this.schedule(full ? 0 : pollMs);
  }
}
