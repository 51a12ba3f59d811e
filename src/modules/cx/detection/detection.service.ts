import { Inject, Injectable, Logger } from '@nestjs/common';
import { DataSource, EntityManager, QueryFailedError, QueryRunner } from 'typeorm';
import { Clock } from '../../../common/clock/clock';
import { APP_CONFIG, AppConfig } from '../../../config/app-config';
import type { RuleSetCatalog } from '../../country-rules/evaluate/verdict';
import { RulesCache } from '../../country-rules/rules-cache';
import { Estimate } from '../edd/edd';
import { EddRepository } from '../edd/edd.repository';
import { eddPayloadBase, EddService, estimatePayload, rangePayload } from '../edd/edd.service';
import { laneTable, rulesDay } from '../edd/lane-expectations';
import { ExceptionsService } from '../exceptions/exceptions.service';
import { CxJourneyEvent, insertJourneyEvents } from '../journey-event.writer';
import { DetectedRow, DetectionRepository } from './detection.repository';
import { DELAY_DETECTED, DETECTORS, DetectorName, EFFECTS, PICKUP_EXPIRING } from './detectors';

/** The key of the session-level advisory lock a sweep holds (a fixed bigint no other lock in Passage uses). */
export const SWEEP_LOCK_KEY = '7301849950032711937';
export const SWEEP_NAME = 'cx-detection';
/** A sweep stops after this many rounds of one detector; the rest waits for the next sweep. */
const MAX_ROUNDS = 400;

class AlreadyRecorded extends Error {}

export type SweepResult =
  | { ran: true; fired: Record<DetectorName, number>; durationMs: number }
  /** `locked`: another instance is sweeping; `recent`: one finished less than half an interval ago. */
  | { ran: false; reason: 'locked' | 'recent' };

/**
 * Proactive detection. A sweep runs every detector over all shipments, once across all instances: it holds a
 * PostgreSQL advisory lock for its duration (`pg_try_advisory_lock`: a second instance skips instead of
 * waiting), and skips when another instance swept less than half an interval ago (`detection_sweeps`).
 *
 * Each detector works in batches. A batch reads its candidates (index-driven, already-detected occurrences
 * excluded), then in one transaction locks, in id order, those whose row is still the version it read (SKIP
 * LOCKED, so a scan being written is never waited on), records a detection per occurrence (unique key: once per
 * occurrence, whoever sweeps), opens the exceptions (ExceptionsService.openMany), moves a delay's
 * estimate later, and writes a journey event per detection for the planner, which then tells the consignee and
 * the retailer (consent, quiet hours and dedupe all apply there). A batch costs about seven statements, whatever
 * its size. All of a sweep runs on the connection that holds the lock.
 */
@Injectable()
export class DetectionService {
  private readonly logger = new Logger(DetectionService.name);

  constructor(
    private readonly db: DataSource,
    private readonly repository: DetectionRepository,
    private readonly rules: RulesCache,
    private readonly exceptions: ExceptionsService,
    private readonly edd: EddService,
    private readonly eddRepository: EddRepository,
    private readonly clock: Clock,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  async sweep(options: { detectors?: readonly DetectorName[] } = {}): Promise<SweepResult> {
    // Before taking a connection: a stale rules cache reads through the pool, which may have only one (embedded).
    const { catalog } = await this.rules.get();
    const runner = this.db.createQueryRunner();
    await runner.connect();
    try {
      const [{ locked }]: Array<{ locked: boolean }> = await runner.query(`SELECT pg_try_advisory_lock($1::bigint) AS locked`, [SWEEP_LOCK_KEY]);
      if (!locked) return { ran: false, reason: 'locked' };
      try {
        const startedAt = this.clock.now();
        const last = await this.repository.lastSweep(runner.manager, SWEEP_NAME);
        const spacingMs = (this.config.detection.intervalSeconds * 1000) / 2;
        const since = last?.finished_at ? startedAt.getTime() - new Date(last.finished_at).getTime() : Infinity;
        if (spacingMs > 0 && since >= 0 && since < spacingMs) {
          return { ran: false, reason: 'recent' };
        }
        await this.repository.startSweep(runner.manager, SWEEP_NAME, startedAt);
        const t0 = performance.now();
        const fired = Object.fromEntries(DETECTORS.map((d) => [d, 0])) as Record<DetectorName, number>;
        for (const detector of options.detectors ?? DETECTORS) fired[detector] = await this.runDetector(runner, detector, startedAt, catalog);
        const durationMs = performance.now() - t0;
        await this.repository.finishSweep(runner.manager, SWEEP_NAME, this.clock.now(), durationMs, fired);
        if (Object.values(fired).some((n) => n > 0)) this.logger.log({ fired, durationMs: Math.round(durationMs) }, 'detection sweep');
        return { ran: true, fired, durationMs };
      } finally {
        await runner.query(`SELECT pg_advisory_unlock($1::bigint)`, [SWEEP_LOCK_KEY]);
      }
    } finally {
      await runner.release();
    }
  }

  /** Runs one detector to the end (or MAX_ROUNDS batches); returns how many occurrences it recorded. */
  private async runDetector(runner: QueryRunner, detector: DetectorName, now: Date, catalog: RuleSetCatalog): Promise<number> {
    const lanes = laneTable(catalog, rulesDay(now));
    const limit = this.config.detection.batchSize;
    let fired = 0;
    for (let round = 0; round < MAX_ROUNDS; round++) {
      const candidates = await this.repository.candidates(runner.manager, detector, { now, lanes, limit });
      if (candidates.length === 0) break;
      if (EFFECTS[detector].revisesEstimate) await this.edd.warm(runner.manager, candidates, now);
      const recorded = await this.fireBatch(runner, detector, candidates, now, catalog);
      fired += recorded;
      // A short batch was the last; a batch that recorded nothing met only busy or changed shipments.
      if (candidates.length < limit || recorded === 0) break;
    }
    return fired;
  }

  private async fireBatch(runner: QueryRunner, detector: DetectorName, candidates: DetectedRow[], now: Date, catalog: RuleSetCatalog): Promise<number> {
    const tx = runner.manager;
    await runner.startTransaction();
    try {
      const unchanged = await this.repository.lockUnchanged(tx, candidates);
      const rows = candidates.filter((c) => unchanged.has(c.id));
      const effect = EFFECTS[detector];
      const opened = await this.exceptions.openMany(
        tx,
        rows.map((row) => ({
          shipmentId: row.id,
          retailerId: row.retailer_id,
          type: effect.exceptionType(row.status),
          severity: effect.severity,
          occurrenceKey: `${detector}:${row.occurrence_key}`,
          note: describe(detector, row),
        })),
        { source: 'detector', actor: `detector:${detector}`, at: now },
      );
      const exceptions = new Map(opened.map((o) => [o.shipmentId, o]));
      const events: CxJourneyEvent[] = [];
      const estimates: Array<{ id: string; from: Date; to: Date }> = [];
      for (const row of rows) {
        const outlook = effect.revisesEstimate ? await this.newEstimate(tx, row, now, catalog, effect.revisesEstimate) : null;
        if (outlook?.revised) estimates.push({ id: row.id, from: outlook.revised.from, to: outlook.revised.to });
        events.push(this.journeyEvent(detector, row, now, outlook, exceptions.get(row.id)?.created ?? false));
      }
      await this.eddRepository.writeEstimates(tx, estimates, now);
      const eventIds = await insertJourneyEvents(tx, events);
      // Last, with what it caused: the unique occurrence key is the guard. An occurrence recorded meanwhile (by a
      // sweeper that somehow held no lock) rolls the whole batch back, so nothing above is written twice.
      const recorded = await this.repository.record(
        tx,
        detector,
        rows.map((row) => ({ ...row, exceptionId: exceptions.get(row.id)?.id ?? null, journeyEventId: eventIds.get(row.id) ?? null })),
        now,
      );
      if (recorded !== rows.length) throw new AlreadyRecorded();
      await runner.commitTransaction();
      return rows.length;
    } catch (error) {
      await runner.rollbackTransaction();
      // Contention with a concurrent writer: nothing was recorded, so the next round or sweep finds the same occurrences.
      const code = error instanceof QueryFailedError ? (error.driverError as { code?: string }).code : undefined;
      if (error instanceof AlreadyRecorded || code === '40P01' || code === '40001') {
        this.logger.warn({ detector, code: code ?? 'already_recorded' }, 'detection batch rolled back; the next round retries it');
        return 0;
      }
      throw error;
    }
  }

  /**
   * A delay's outlook: for a missed estimate, the estimate as it stands now (never in the past); for a silence or
   * a long hold, that estimate only when it is later than the current one (a delay never brings the date forward).
   * `revised` is null when the current estimate stays; `shown` is what the consignee is told, as local days.
   */
  private async newEstimate(
    tx: EntityManager,
    row: DetectedRow,
    now: Date,
    catalog: RuleSetCatalog,
    when: 'always' | 'when_later',
  ): Promise<{ revised: Estimate | null; shown: ReturnType<typeof estimatePayload> | null }> {
    const { estimate, lane } = await this.edd.estimate(tx, row, now, catalog);
    const current = row.estimated_delivery_from && row.estimated_delivery_to ? { from: new Date(row.estimated_delivery_from), to: new Date(row.estimated_delivery_to) } : null;
    const revised = estimate && (when === 'always' || !current || estimate.to.getTime() > current.to.getTime()) ? estimate : null;
    if (revised) return { revised, shown: estimatePayload(revised) };
    return { revised: null, shown: current ? rangePayload(current, lane.timeZone) : null };
  }

  private journeyEvent(
    detector: DetectorName,
    row: DetectedRow,
    now: Date,
    outlook: { shown: ReturnType<typeof estimatePayload> | null } | null,
    exceptionCreated: boolean,
  ): CxJourneyEvent {
    const effect = EFFECTS[detector];
    const previous = row.estimated_delivery_from && row.estimated_delivery_to
      ? { from: new Date(row.estimated_delivery_from).toISOString(), to: new Date(row.estimated_delivery_to).toISOString() }
      : null;
    const payload = {
      ...eddPayloadBase(row),
      detector,
      occurrenceKey: row.occurrence_key,
      detectedAt: now.toISOString(),
      details: row.details,
      exceptionOpened: exceptionCreated,
    };
    if (effect.eventType === DELAY_DETECTED) {
      return {
        shipmentId: row.id,
        retailerId: row.retailer_id,
        type: DELAY_DETECTED,
        occurredAt: now,
        payload: {
          ...payload,
          occurredAt: now.toISOString(),
          estimatedDelivery: outlook?.shown ?? null,
          previousEstimate: previous,
        },
      };
    }
    if (effect.eventType === PICKUP_EXPIRING) {
      // The deadline rides in the payload: milestones.ts hands it to the message (the kind's default is the event's time + 7 days).
      return {
        shipmentId: row.id,
        retailerId: row.retailer_id,
        type: PICKUP_EXPIRING,
        occurredAt: now,
        payload: { ...payload, occurredAt: now.toISOString(), pickupBy: new Date(String(row.details.pickupBy)).toISOString() },
      };
    }
    return {
      shipmentId: row.id,
      retailerId: row.retailer_id,
      type: effect.eventType,
      occurredAt: now,
      payload: {
        ...payload,
        occurredAt: now.toISOString(),
        compliance: { status: 'needs_information', issues: (row.extra?.issues as unknown[] | undefined) ?? [] },
      },
    };
  }
}

/** The system note on the exception: what was seen, in the desk's words (no consignee data). */
function describe(detector: DetectorName, row: DetectedRow): string {
  const d = row.details as Record<string, string | number>;
  switch (detector) {
    case 'scan_gap':
      return `No scan for ${d.silentHours} h while ${row.status} (the lane allows ${d.allowedHours} h).`;
    case 'edd_missed':
      return `The estimated delivery (by ${String((d.missedEstimate as unknown as { to: string }).to).slice(0, 10)}) was missed.`;
    case 'customs_hold_overdue':
      return `Held by customs since ${String(d.heldSince).slice(0, 16).replace('T', ' ')} UTC, longer than the lane's ${d.allowedHours} h.`;
    case 'pickup_expiring':
      return `Waiting at a pickup point; it goes back after ${String(d.pickupBy).slice(0, 16).replace('T', ' ')} UTC.`;
    case 'information_overdue':
      return `Information the destination needs is still missing ${d.dueHours} h after booking.`;
  }
}
