import { Inject, Injectable } from '@nestjs/common';
import { APP_CONFIG, AppConfig } from '../../config/app-config';
import { DispatcherService } from '../notifications/dispatch/dispatcher.service';
import { PollingLoop } from './polling-loop';

/** Runs the dispatcher continuously: straight on while batches come back full, otherwise every poll interval. */
@Injectable()
export class DispatchLoop extends PollingLoop {
  protected readonly failure = 'dispatch failed';

  constructor(
    private readonly dispatcher: DispatcherService,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {
    super();
  }

  protected async round() {
    const summary = await this.dispatcher.dispatchOnce();
    if (summary.claimed > 0) this.logger.debug(summary, 'dispatched');
    return { full: summary.claimed >= this.config.notifications.dispatch.batchSize };
  }

  protected pollMs(): number {
    return this.config.notifications.dispatch.pollMs;
  }
}
