import { Injectable, Logger } from '@nestjs/common';
import { Cron, CronExpression } from '@nestjs/schedule';
import { IncidentsService } from './incidents.service';

/**
 * Takes parcels scanned into an open incident's scope since the last look, every minute. A sweep rather than a
 * hook in the scan path: ingest stays one straight line (no module calls back up it), a scan never waits on an
 * incident, and one query per open incident finds every newcomer, whatever scan brought it in. Any number of
 * workers may run it: each batch takes the incident's advisory lock, and a busy incident is skipped.
 */
@Injectable()
export class IncidentSweep {
  private readonly logger = new Logger(IncidentSweep.name);
  private running = false;

  constructor(private readonly incidents: IncidentsService) {}

  @Cron(CronExpression.EVERY_MINUTE, { name: 'incident-sweep' })
  async run(): Promise<void> {
    if (this.running) return;
    this.running = true;
    try {
      const { incidents, shipments } = await this.incidents.sweep();
      if (shipments > 0) this.logger.log({ incidents, shipments }, 'incident sweep took in shipments');
    } catch (error) {
      this.logger.error({ error: (error as Error).message }, 'incident sweep failed; retrying next minute');
    } finally {
      this.running = false;
    }
  }
}
