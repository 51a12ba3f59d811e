import { Injectable, Logger } from '@nestjs/common';
import { DataSource, EntityManager } from 'typeorm';
import { Clock } from '../../common/clock/clock';
import { MetricsService } from '../metrics/metrics.service';
import { EventCode, JourneyStatus, notableEventType, STATUS_EVENT_TYPE, STATUS_RANK } from './journey';
import { decideShipmentJourney, needsReplay } from './journey-decision';
import { eventKey, JourneyBatch, JourneyEventRow, JourneyRepository, ShipmentState, TrackingEventFields } from './journey.repository';

/**
 * One event to apply, naming its shipment by id (Passage's own events) or by tracking number (scans);
 * all events of one call name their shipments the same way.
 */
export interface JourneyEventDraft extends Omit<TrackingEventFields, 'shipmentId'> {
  shipmentId?: string;
  trackingNumber?: string;
  /** Write nothing unless this event moves the status (a retailer's cancel or return request). */
  requireMove?: boolean;
}

export type JourneyEventResult =
  | { result: 'applied' | 'recorded'; late: boolean; status: JourneyStatus; statusBefore: JourneyStatus }
  | { result: 'duplicate' }
  | { result: 'unknown_shipment' }
  /** A `requireMove` event that would not move the shipment: the whole call was rolled back. */
  | { result: 'rejected'; status: JourneyStatus };

class MoveRefused extends Error {
  constructor(readonly status: JourneyStatus) {
    super('event would not move the shipment');
  }
}
/** Optimistic attempts before falling back to locking the shipments; then locked attempts up to MAX_ATTEMPTS. */
const OPTIMISTIC_ATTEMPTS = 3;
const MAX_ATTEMPTS = 8;
type Fresh = TrackingEventFields & { key: string; draft: JourneyEventDraft; requireMove?: boolean };

/**
 * Applies events to shipments: ingest → transition → outbox. Each shipment's writes are atomic: its events,
 * its status update, its status history and its journey-event outbox rows land together or not at all.
 *
 * Optimistic first: read the shipments (no lock, no transaction), decide, and write everything in one
 * statement that commits on its own, guarded per shipment: a shipment is written only if it has not changed
 * since it was read (its `version`). Two round trips per call. The shipments the guard refused are read and
 * decided again, alone, while the others stay written; after OPTIMISTIC_ATTEMPTS rounds, the same read and
 * write run in a transaction that locks the remaining shipments in id order first, so a hot shipment cannot
 * starve a caller. Events are taken as new at first; when the write meets one already stored (its unique
 * (source, id)), the statement writes nothing and the next read also looks up the stored ones, which are
 * then answered `duplicate`.
 *
 * A call that fails part-way (a lost connection, MAX_ATTEMPTS conflicts) may have written some of its
 * shipments: `answered` (when given) holds what those events were answered, and calling again answers them
 * `duplicate`, as for any repeated event.
 */
@Injectable()
export class JourneyService {
  private readonly logger = new Logger(JourneyService.name);

  constructor(
    private readonly db: DataSource,
    private readonly repository: JourneyRepository,
    private readonly clock: Clock,
    private readonly metrics: MetricsService,
  ) {}

  /**
   * `scope.retailerId`: only that retailer's shipments can be touched; others are `unknown_shipment`.
   * `answered` is filled as events are answered, so that a caller can tell, after a failure, which were.
   */
  async apply(
    drafts: JourneyEventDraft[],
    scope: { retailerId?: string } = {},
    answered = new Map<JourneyEventDraft, JourneyEventResult>(),
  ): Promise<JourneyEventResult[]> {
    if (drafts.length === 0) return [];
    if (drafts.length > 1 && drafts.some((d) => d.requireMove)) throw new Error('an event that must move its shipment is applied alone');
    // Events are taken as new until the write's unique (source, id) says one is stored: repeats are the rare
    // case, and looking every event up first cost an index probe each, or, with a plan cached while
    // tracking_events was small, a scan of the whole table per write.
    let stored = false;
    let pending = drafts;
    for (let attempt = 1; pending.length > 0; attempt++) {
      if (attempt > MAX_ATTEMPTS) throw new Error(`journey write conflicted ${MAX_ATTEMPTS} times`);
      const lock = attempt > OPTIMISTIC_ATTEMPTS;
      const round = pending;
      try {
        const outcome = lock
          ? await this.db.transaction((tx) => this.attempt(tx, round, scope, { lock, stored }))
          : await this.attempt(this.db.manager, round, scope, { lock, stored });
        for (const [draft, result] of outcome.answered) answered.set(draft, result);
        pending = outcome.retry;
        if (outcome.refused > 0) this.metrics.journeyRetries.inc({ reason: 'shipment_changed' }, outcome.refused);
      } catch (error) {
        if (error instanceof MoveRefused) return drafts.map(() => ({ result: 'rejected', status: error.status }));
        if (!isRetryable(error) || attempt >= MAX_ATTEMPTS) throw error;
        const meetsStored = errorCode(error) === UNIQUE_VIOLATION;
        stored ||= meetsStored;
        this.metrics.journeyRetries.inc({ reason: meetsStored ? 'event_stored' : 'transient' });
      }
      if (pending.length > 0) this.logger.debug({ attempt, lock, left: pending.length }, 'journey transition conflict; retrying');
    }
    return drafts.map((d) => answered.get(d)!);
  }

  /**
   * One read-decide-write round over `drafts`. Answers the drafts whose shipment was written, or that name
   * no shipment, or repeat a stored event; returns as `retry` those whose shipment changed since it was read
   * (the guard refused it), with any repeat of theirs within the call: they are read and decided again.
   */
  private async attempt(
    db: EntityManager,
    drafts: JourneyEventDraft[],
    scope: { retailerId?: string },
    options: { lock: boolean; stored: boolean },
  ): Promise<{ answered: Map<JourneyEventDraft, JourneyEventResult>; retry: JourneyEventDraft[]; refused: number }> {
    const now = this.clock.now();
    const byTrackingNumber = drafts[0].trackingNumber !== undefined;
    const refs = [...new Set(drafts.map((d) => (byTrackingNumber ? d.trackingNumber : d.shipmentId) ?? ''))];
    const read = await this.repository.findShipmentsAndDuplicates(
      db,
      byTrackingNumber ? { trackingNumbers: refs, retailerId: scope.retailerId } : { shipmentIds: refs, retailerId: scope.retailerId },
      drafts,
      options,
    );
    const shipments = new Map<string, ShipmentState>();
    for (const s of read.shipments) shipments.set(byTrackingNumber ? s.tracking_number : s.id, s);

    const results = new Map<JourneyEventDraft, JourneyEventResult>();
    const fresh = new Map<string, Fresh[]>();
    /** The shipment whose write answers a draft: its own, or, for a repeat within the call, the first one's. */
    const writtenWith = new Map<JourneyEventDraft, string>();
    const seenInBatch = new Map<string, string>();
    for (const draft of drafts) {
      const key = eventKey(draft.source, draft.externalEventId);
      const shipment = shipments.get((byTrackingNumber ? draft.trackingNumber : draft.shipmentId) ?? '');
      const first = seenInBatch.get(key);
      if (!shipment) results.set(draft, { result: 'unknown_shipment' });
      else if (read.existing.has(key)) results.set(draft, { result: 'duplicate' });
      else if (first !== undefined) {
        results.set(draft, { result: 'duplicate' });
        writtenWith.set(draft, first);
      } else {
        seenInBatch.set(key, shipment.id);
        writtenWith.set(draft, shipment.id);
        const list = fresh.get(shipment.id);
        const event = freshEvent(draft, shipment.id, key);
        if (list) list.push(event);
        else fresh.set(shipment.id, [event]);
      }
    }
    if (fresh.size === 0) return { answered: results, retry: [], refused: 0 };
    const shipmentsById = new Map(read.shipments.map((s) => [s.id, s]));

    const replayIds = [...fresh.entries()]
      .filter(([id, events]) => needsReplay(this.state(shipmentsById.get(id)!), events))
      .map(([id]) => id);
    const histories = new Map<string, { code: EventCode; occurredAt: Date; key: string }[]>();
    if (replayIds.length > 0) {
      // Read after the shipments: if an event lands in between, the shipment's version moved and the guard fails.
      for (const row of await this.repository.loadHistory(db, replayIds)) {
        const list = histories.get(row.shipment_id) ?? [];
        list.push({ code: row.code, occurredAt: new Date(row.occurred_at), key: eventKey(row.source, row.external_event_id) });
        histories.set(row.shipment_id, list);
      }
    }

    const batch: JourneyBatch = { events: [], updates: [], history: [], journeyEvents: [] };
    const moves: { shipmentId: string; to: JourneyStatus }[] = [];
    for (const [shipmentId, events] of fresh) {
      const shipment = shipmentsById.get(shipmentId)!;
      const decision = decideShipmentJourney(this.state(shipment), events, histories.get(shipmentId) ?? []);
      let lastOccurred = Number.NEGATIVE_INFINITY;
      for (const d of decision.events) {
        const event = d.event;
        // A refusal stands on what was read: under the lock, or as of the read's snapshot (no later write is seen).
        if (event.requireMove && !d.applied) throw new MoveRefused(shipment.status);
        lastOccurred = Math.max(lastOccurred, event.occurredAt.getTime());
        batch.events.push({
          shipmentId,
          source: event.source,
          externalEventId: event.externalEventId,
          code: event.code,
          originalCode: event.originalCode,
          reason: event.reason,
          occurredAt: event.occurredAt,
          location: event.location,
          description: event.description,
          raw: event.raw,
          retailerId: shipment.retailer_id,
          outcome: d.applied ? 'applied' : 'recorded',
          late: d.late,
          statusBefore: d.statusBefore,
          statusAfter: d.statusAfter,
        });
        results.set(event.draft, {
          result: d.applied ? 'applied' : 'recorded',
          late: d.late,
          status: d.statusAfter,
          statusBefore: d.statusBefore,
        });
        const notable = notableEventType(event.code);
        if (notable) batch.journeyEvents.push(this.journeyEvent(shipment, notable, event, d.statusBefore, d.statusAfter));
      }
      for (const t of decision.transitions) {
        batch.history.push({
          shipmentId,
          retailerId: shipment.retailer_id,
          fromStatus: t.from,
          toStatus: t.to,
          event: t.event,
          cause: t.replayed ? 'replay' : 'event',
          occurredAt: t.event.occurredAt,
        });
        batch.journeyEvents.push(this.journeyEvent(shipment, STATUS_EVENT_TYPE[t.to], t.event, t.from, t.to));
        moves.push({ shipmentId, to: t.to });
      }
      const changedBy = decision.statusChangedBy;
      batch.updates.push({
        id: shipmentId,
        version: shipment.version,
        status: decision.status,
        rank: STATUS_RANK[decision.status],
        statusChangedAt: changedBy ? changedBy.occurredAt : null,
        lastEventOccurredAt: new Date(lastOccurred),
        deliveredAt: decision.status === 'delivered' && changedBy ? changedBy.occurredAt : null,
        returnRequestedAt: decision.status === 'return_requested' && changedBy ? changedBy.occurredAt : null,
      });
    }

    const { written, inserted } = await this.repository.writeBatch(db, batch, now);
    const expected = batch.events.reduce((n, e) => n + (written.has(e.shipmentId) ? 1 : 0), 0);
    // Cannot happen: a concurrent duplicate fails the statement instead. Refuse rather than report a half write.
    if (inserted !== expected) throw new Error(`inserted ${inserted} of ${expected} events`);
    for (const t of moves) if (written.has(t.shipmentId)) this.metrics.transitions.inc({ to: t.to });
    const retry = drafts.filter((d) => writtenWith.has(d) && !written.has(writtenWith.get(d)!));
    for (const draft of retry) results.delete(draft);
    return { answered: results, retry, refused: fresh.size - written.size };
  }

  private state(shipment: { status: JourneyStatus; last_event_occurred_at: Date | null }) {
    return {
      status: shipment.status,
      lastEventOccurredAt: shipment.last_event_occurred_at ? new Date(shipment.last_event_occurred_at) : null,
    };
  }

  private journeyEvent(
    shipment: { id: string; retailer_id: string; tracking_number: string },
    type: string,
    event: TrackingEventFields,
    from: JourneyStatus,
    to: JourneyStatus,
  ): JourneyEventRow {
    return {
      shipmentId: shipment.id,
      retailerId: shipment.retailer_id,
      type,
      occurredAt: event.occurredAt,
      event: { source: event.source, externalEventId: event.externalEventId },
      payload: {
        shipmentId: shipment.id,
        retailerId: shipment.retailer_id,
        trackingNumber: shipment.tracking_number,
        from,
        to,
        code: event.code,
        reason: event.reason,
        source: event.source,
        occurredAt: event.occurredAt.toISOString(),
      },
    };
  }
}

/** A fresh event as the decision sees it; built field by field (object spread is slow on this path). */
function freshEvent(draft: JourneyEventDraft, shipmentId: string, key: string): Fresh {
  return {
    shipmentId,
    source: draft.source,
    externalEventId: draft.externalEventId,
    code: draft.code,
    originalCode: draft.originalCode,
    reason: draft.reason,
    occurredAt: draft.occurredAt,
    location: draft.location,
    description: draft.description,
    raw: draft.raw,
    key,
    draft,
    requireMove: draft.requireMove,
  };
}

/**
 * Conflicts worth another attempt: serialization failures and deadlocks, and a unique violation (an event
 * with the same (source, id) is stored, earlier or concurrently; the next read looks stored events up).
 */
function isRetryable(error: unknown): boolean {
  const code = errorCode(error);
  return code === '40001' || code === '40P01' || code === UNIQUE_VIOLATION;
}

const UNIQUE_VIOLATION = '23505';

function errorCode(error: unknown): string | undefined {
  return (error as { driverError?: { code?: string }; code?: string })?.driverError?.code ?? (error as { code?: string })?.code;
}
