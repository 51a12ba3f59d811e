import { Inject, Injectable } from '@nestjs/common';
import { APP_CONFIG, AppConfig } from '../../../config/app-config';
import { PollingLoop } from '../../worker/polling-loop';
import { EddService } from './edd.service';

const BATCH = 200;

/** Runs the estimated-delivery revisions continuously: straight on while batches come back full, else every EDD_POLL_MS. */
@Injectable()
export class EddLoop extends PollingLoop {
  protected readonly failure = 'estimated-delivery revision failed';

  constructor(
    private readonly edd: EddService,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {
    super();
  }

  protected async round() {
    const summary = await this.edd.processOnce(BATCH);
    if (Object.keys(summary.revised).length > 0) this.logger.debug(summary, 'estimated delivery revised');
    return { full: summary.events >= BATCH };
  }

  protected pollMs(): number {
    return this.config.edd.pollMs;
  }
}
