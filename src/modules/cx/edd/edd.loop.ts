import { Inject, Injectable, Logger, OnApplicationBootstrap, OnApplicationShutdown } from '@nestjs/common';
import { APP_CONFIG, AppConfig } from '../../../config/app-config';
import { EddService } from './edd.service';

const BATCH = 200;

/** Runs the estimated-delivery revisions continuously: straight on while batches come back full, else every EDD_POLL_MS. */
@Injectable()
export class EddLoop implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger(EddLoop.name);
  private running = false;
  private current?: Promise<void>;
  private timer?: NodeJS.Timeout;

  constructor(
    private readonly edd: EddService,
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
      const summary = await this.edd.processOnce(BATCH);
      full = summary.events >= BATCH;
      if (Object.keys(summary.revised).length > 0) this.logger.debug(summary, 'estimated delivery revised');
    } catch (error) {
      this.logger.error({ error: (error as Error).message }, 'estimated-delivery revision failed; retrying after the poll interval');
    }
    this.schedule(full ? 0 : this.config.edd.pollMs);
  }
}
