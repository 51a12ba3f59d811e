import { Inject, Injectable } from '@nestjs/common';
import { APP_CONFIG, AppConfig } from '../../config/app-config';
import { PlannerService } from '../notifications/planner/planner.service';
import { PollingLoop } from './polling-loop';

const BATCH = 200;

/** Runs the planner continuously: straight on while batches come back full, otherwise every poll interval. */
@Injectable()
export class PlanLoop extends PollingLoop {
  protected readonly failure = 'planning failed';

  constructor(
    private readonly planner: PlannerService,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {
    super();
  }

  protected async round() {
    const summary = await this.planner.planOnce(BATCH);
    if (summary.events > 0) this.logger.debug(summary, 'planned');
    return { full: summary.events >= BATCH };
  }

  protected pollMs(): number {
    return this.config.notifications.dispatch.pollMs;
  }
}
