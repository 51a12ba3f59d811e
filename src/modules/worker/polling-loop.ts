import { Logger, OnApplicationBootstrap, OnApplicationShutdown } from '@nestjs/common';

/**
 * A worker loop over an outbox-like table: runs a round at start, straight on again while rounds come back
 * full, otherwise after the poll interval; a failed round is logged and retried after the interval. Shutdown
 * waits for the round in progress. Subclasses say what a round is; they share how it is driven.
 */
export abstract class PollingLoop implements OnApplicationBootstrap, OnApplicationShutdown {
  protected readonly logger = new Logger(this.constructor.name);
  private running = false;
  private current?: Promise<void>;
  private timer?: NodeJS.Timeout;

  /** One round; `full` when there may be more work waiting right now. */
  protected abstract round(): Promise<{ full: boolean }>;
  protected abstract pollMs(): number;
  /** What the log says when a round fails (never personal data: only the error message). */
  protected abstract readonly failure: string;

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
      ({ full } = await this.round());
    } catch (error) {
      this.logger.error({ error: (error as Error).message }, `${this.failure}; retrying after the poll interval`);
    }
    this.schedule(full ? 0 : this.pollMs());
  }
}
