import { Inject, Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { Clock } from '../../../common/clock/clock';
import { APP_CONFIG, AppConfig } from '../../../config/app-config';
import { JourneyStatus } from '../../shipments/journey';
import { PollingLoop } from '../../worker/polling-loop';
import { exceptionActions, mayAct, ProjectedEvent } from './exception-rules';
import { ExceptionsService } from './exceptions.service';

export interface ProjectionSummary {
  events: number;
  opened: number;
  resolved: number;
}

interface ClaimedEvent extends ProjectedEvent {
  id: string;
  shipment_id: string;
  retailer_id: string;
}

const BATCH = 500;

/**
 * Opens and resolves exceptions from the journey-event outbox. Each batch is claimed with FOR UPDATE SKIP
 * LOCKED and projected in one transaction with the exceptions it writes, so any number of workers can run it
 * and each event is projected once.
 */
@Injectable()
export class ExceptionProjector {
  constructor(
    private readonly db: DataSource,
    private readonly exceptions: ExceptionsService,
    private readonly clock: Clock,
  ) {}

  async projectOnce(limit = BATCH): Promise<ProjectionSummary> {
    return this.db.transaction(async (tx) => {
      const summary: ProjectionSummary = { events: 0, opened: 0, resolved: 0 };
      const events: ClaimedEvent[] = await tx.query(
        `SELECT id::text, shipment_id, retailer_id, type, payload
           FROM journey_events WHERE cx_processed_at IS NULL ORDER BY id LIMIT $1 FOR UPDATE SKIP LOCKED`,
        [limit],
      );
      summary.events = events.length;
      if (events.length === 0) return summary;
      const now = this.clock.now();

      const relevant = events.filter((e) => mayAct(e.type));
      const shipmentIds = [...new Set(relevant.map((e) => e.shipment_id))];
      const shipments = new Map<string, { status: JourneyStatus; complianceStatus: string | null }>();
      if (shipmentIds.length > 0) {
        const rows: Array<{ id: string; status: JourneyStatus; compliance_status: string | null }> = await tx.query(
          `SELECT id, status, compliance_status FROM shipments WHERE id = ANY($1::uuid[])`,
          [shipmentIds],
        );
        for (const r of rows) shipments.set(r.id, { status: r.status, complianceStatus: r.compliance_status });
      }

      for (const event of relevant) {
        const shipment = shipments.get(event.shipment_id);
        if (!shipment) continue;
        for (const action of exceptionActions(event, shipment)) {
          if (action.kind === 'open') {
            const { created } = await this.exceptions.open(tx, {
              shipmentId: event.shipment_id,
              retailerId: event.retailer_id,
              type: action.type,
              source: 'event',
              severity: action.severity,
              occurrenceKey: `journey_event:${event.id}`,
              note: action.note,
              at: now,
            });
            if (created) summary.opened += 1;
          } else {
            summary.resolved += await this.exceptions.resolveOpen(tx, {
              shipmentId: event.shipment_id,
              types: action.types,
              note: action.note,
              resolutionCode: action.resolutionCode,
              at: now,
            });
          }
        }
      }
      await tx.query(`UPDATE journey_events SET cx_processed_at = $2 WHERE id = ANY($1::bigint[])`, [events.map((e) => e.id), now]);
      return summary;
    });
  }
}

/** Runs the projector continuously in the worker: straight on while batches come back full, else every poll interval. */
@Injectable()
export class ExceptionProjectorLoop extends PollingLoop {
  protected readonly failure = 'exception projection failed';

  constructor(
    private readonly projector: ExceptionProjector,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {
    super();
  }

  protected async round() {
    const summary = await this.projector.projectOnce(BATCH);
    if (summary.opened + summary.resolved > 0) this.logger.debug(summary, 'exceptions projected');
    return { full: summary.events >= BATCH };
  }

  protected pollMs(): number {
    return this.config.notifications.dispatch.pollMs;
  }
}
