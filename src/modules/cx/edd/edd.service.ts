import { Inject, Injectable } from '@nestjs/common';
import { DataSource, EntityManager } from 'typeorm';
import { Clock } from '../../../common/clock/clock';
import { APP_CONFIG, AppConfig } from '../../../config/app-config';
import type { RuleSetCatalog } from '../../country-rules/evaluate/verdict';
import { RulesCache } from '../../country-rules/rules-cache';
import { STATUS_EVENT_TYPE } from '../../shipments/journey';
import { classifyRevision, Estimate, estimateDelivery, ESTIMATED_STATUSES, isoOfDayNumber, localDayNumber, RevisionKind, TransitDays } from './edd';
import { CxJourneyEvent, insertJourneyEvents } from '../journey-event.writer';
import { EddRepository, EddShipment } from './edd.repository';
import { laneExpectation, LaneExpectation, rulesDay } from './lane-expectations';

export const EDD_REVISED = 'shipment.edd_revised';

/** Journey events after which the outlook may have changed: a move into a status that has an estimate. */
const TRIGGERS: ReadonlySet<string> = new Set([...ESTIMATED_STATUSES].map((s) => STATUS_EVENT_TYPE[s]));

/** How long a lane's observed transit times are reused before they are read again. */
export const OBSERVED_TTL_MS = 10 * 60_000;

export interface EddSummary {
  events: number;
  revised: Partial<Record<RevisionKind, number>>;
}

export interface ShipmentEstimate {
  estimate: Estimate | null;
  lane: LaneExpectation;
}

/**
 * The estimated delivery date: made from the lane's configured transit days until the lane has enough recent
 * deliveries, then from their observed median and P90. Revised by a loop over the journey-event outbox (its
 * own cursor, `journey_events.edd_processed_at`), never on the ingest path: a revision updates the shipment and
 * writes `shipment.edd_revised`, which the planner turns into a message only when it matters (milestones.ts).
 */
@Injectable()
export class EddService {
  private readonly observed = new Map<string, { at: number; transit: TransitDays | null }>();

  constructor(
    private readonly db: DataSource,
    private readonly repository: EddRepository,
    private readonly rules: RulesCache,
    private readonly clock: Clock,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  /** Looks at up to `limit` unprocessed journey events and revises the estimates of their shipments, in one transaction. */
  async processOnce(limit = 200): Promise<EddSummary> {
    // Before the transaction: a stale rules cache reads through the pool, which may have only one connection (embedded).
    const { catalog } = await this.rules.get();
    return this.db.transaction(async (tx) => {
      const summary: EddSummary = { events: 0, revised: {} };
      const events = await this.repository.claimEvents(tx, limit);
      summary.events = events.length;
      if (events.length === 0) return summary;
      const now = this.clock.now();
      const causes = new Map<string, { id: string; type: string }>();
      for (const e of events) if (TRIGGERS.has(e.type)) causes.set(e.shipment_id, { id: e.id, type: e.type });

      // Read the lanes' observed times before locking any shipment, so that no lock waits on that query.
      await this.warm(tx, await this.repository.shipments(tx, [...causes.keys()], { lock: false }), now);
      const shipments = await this.repository.shipments(tx, [...causes.keys()], { lock: true });

      const writes: Array<{ id: string; from: Date; to: Date }> = [];
      const journey: CxJourneyEvent[] = [];
      for (const s of shipments) {
        const { estimate, lane } = await this.estimate(tx, s, now, catalog);
        if (!estimate) continue;
        const previous = s.estimated_delivery_from && s.estimated_delivery_to ? { from: new Date(s.estimated_delivery_from), to: new Date(s.estimated_delivery_to) } : null;
        const change = classifyRevision(previous, estimate, { status: s.status, now, timeZone: lane.timeZone });
        if (change.kind === 'unchanged') continue;
        summary.revised[change.kind] = (summary.revised[change.kind] ?? 0) + 1;
        writes.push({ id: s.id, from: estimate.from, to: estimate.to });
        journey.push({
          shipmentId: s.id,
          retailerId: s.retailer_id,
          type: EDD_REVISED,
          occurredAt: now,
          payload: {
            ...eddPayloadBase(s),
            change: change.kind,
            slipDays: change.slipDays,
            estimatedDelivery: estimatePayload(estimate),
            previousEstimate: previous ? { from: previous.from.toISOString(), to: previous.to.toISOString() } : null,
            timeZone: lane.timeZone,
            cause: causes.get(s.id),
            occurredAt: now.toISOString(),
          },
        });
      }
      await this.repository.writeEstimates(tx, writes, now);
      await insertJourneyEvents(tx, journey);
      await this.repository.markProcessed(tx, events.map((e) => e.id), now);
      return summary;
    });
  }

  /** The estimate for one shipment at `now` (observed times must have been warmed, or are read through `db`). */
  async estimate(db: EntityManager, s: EddShipment, now: Date, catalog: RuleSetCatalog): Promise<ShipmentEstimate> {
    const lane = laneExpectation(catalog, s.destination_country, s.origin_country, rulesDay(now));
    if (!ESTIMATED_STATUSES.has(s.status)) return { estimate: null, lane };
    const transit = await this.transitFor(db, s.destination_country, s.origin_country, lane, now);
    const estimate = estimateDelivery({
      status: s.status,
      createdAt: new Date(s.created_at),
      firstScanAt: s.first_scan_at ? new Date(s.first_scan_at) : null,
      statusChangedAt: new Date(s.status_changed_at),
      transit,
      customsHoldHours: lane.customsHoldHours,
      timeZone: lane.timeZone,
      now,
    });
    return { estimate, lane };
  }

  /** Reads, in one statement, the observed times of every lane among `shipments` that is not cached (or is stale). */
  async warm(db: EntityManager, shipments: ReadonlyArray<Pick<EddShipment, 'destination_country' | 'origin_country'>>, now: Date): Promise<void> {
    const lanes = new Map<string, { destination: string; origin: string }>();
    for (const s of shipments) {
      const key = laneKey(s.destination_country, s.origin_country);
      if (!lanes.has(key) && !this.cached(key, now)) lanes.set(key, { destination: s.destination_country, origin: s.origin_country });
    }
    await this.readObserved(db, [...lanes.values()], now);
  }

  /** Observed times once the lane has `EDD_MIN_SAMPLES` deliveries in the window, else the lane's configured days. */
  async transitFor(db: EntityManager, destination: string, origin: string, lane: LaneExpectation, now: Date): Promise<TransitDays> {
    const key = laneKey(destination, origin);
    if (!this.cached(key, now)) await this.readObserved(db, [{ destination, origin }], now);
    const observed = this.observed.get(key)?.transit;
    return observed ?? { p50: lane.transitDaysP50, p90: lane.transitDaysP90, basis: 'configured', samples: 0 };
  }

  private cached(key: string, now: Date): boolean {
    const cached = this.observed.get(key);
    return cached !== undefined && now.getTime() >= cached.at && now.getTime() - cached.at < OBSERVED_TTL_MS;
  }

  private async readObserved(db: EntityManager, lanes: Array<{ destination: string; origin: string }>, now: Date): Promise<void> {
    if (lanes.length === 0) return;
    const since = new Date(now.getTime() - this.config.edd.windowDays * 86_400_000);
    if (this.observed.size > 10_000) this.observed.clear();
    for (const stats of await this.repository.observedTransit(db, lanes, since, now)) {
      const transit: TransitDays | null =
        stats.samples >= this.config.edd.minSamples && stats.p50 !== null && stats.p90 !== null
          ? { p50: stats.p50, p90: stats.p90, basis: 'observed', samples: stats.samples }
          : null;
      this.observed.set(laneKey(stats.destination, stats.origin), { at: now.getTime(), transit });
    }
  }
}

const laneKey = (destination: string, origin: string) => `${destination}|${origin}`;

/** The fields every CX journey event about a shipment carries (no consignee data). */
export function eddPayloadBase(s: Pick<EddShipment, 'id' | 'retailer_id' | 'tracking_number' | 'status'>) {
  return { shipmentId: s.id, retailerId: s.retailer_id, trackingNumber: s.tracking_number, from: s.status, to: s.status };
}

export function estimatePayload(e: Estimate): { from: string; to: string; fromDate: string; toDate: string; basis?: string; samples?: number } {
  return { from: e.from.toISOString(), to: e.to.toISOString(), fromDate: e.fromDate, toDate: e.toDate, basis: e.basis, samples: e.samples };
}

/** A stored range in the same shape, its local days counted in `timeZone`. */
export function rangePayload(range: { from: Date; to: Date }, timeZone: string): ReturnType<typeof estimatePayload> {
  const day = (at: Date) => isoOfDayNumber(localDayNumber(at.getTime(), timeZone));
  return { from: range.from.toISOString(), to: range.to.toISOString(), fromDate: day(range.from), toDate: day(range.to) };
}
