import { Injectable, Logger } from '@nestjs/common';
import { DataSource, EntityManager } from 'typeorm';
import { Clock } from '../../common/clock/clock';
import { MetricsService } from '../metrics/metrics.service';
import { EventCode, JourneyStatus, notableEventType, STATUS_EVENT_TYPE, STATUS_RANK } from './journey';
import { decideShipmentJourney, needsReplay } from './journey-decision';
import {
  eventKey,
  HistoryRow,
  JourneyEventRow,
  JourneyRepository,
  LockedShipment,
  NewEventRow,
  ShipmentUpdateRow,
  TrackingEventFields,
} from './journey.repository';

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

class RetryableConflict extends Error {}
class MoveRefused extends Error {
  constructor(readonly status: JourneyStatus) {
    super('event would not move the shipment');
  }
}
const MAX_ATTEMPTS = 8;

/**
 * Applies events to shipments: ingest → transition → outbox, in one transaction per batch.
 *
 * Shipments are locked in id order, duplicates are dropped by the (source, event id) key, the pure
 * decision runs, and then the guarded update, the status history and the journey-event outbox rows are
 * written together. Nothing is written unless all of it is.
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

  /** `scope.retailerId`: only that retailer's shipments can be touched; others are `unknown_shipment`. */
  async apply(drafts: JourneyEventDraft[], scope: { retailerId?: string } = {}): Promise<JourneyEventResult[]> {
    if (drafts.length === 0) return [];
    for (let attempt = 1; ; attempt++) {
      try {
        return await this.db.transaction((tx) => this.applyInTransaction(tx, drafts, scope));
      } catch (error) {
        if (error instanceof MoveRefused) return drafts.map(() => ({ result: 'rejected', status: error.status }));
        if (!(error instanceof RetryableConflict || isSerializationFailure(error)) || attempt >= MAX_ATTEMPTS) throw error;
        this.logger.debug({ attempt }, 'journey transition conflict; retrying');
      }
    }
  }

  private async applyInTransaction(
    tx: EntityManager,
    drafts: JourneyEventDraft[],
    scope: { retailerId?: string },
  ): Promise<JourneyEventResult[]> {
    const now = this.clock.now();
    const byTrackingNumber = drafts[0].trackingNumber !== undefined;
    const refs = [...new Set(drafts.map((d) => (byTrackingNumber ? d.trackingNumber : d.shipmentId) ?? ''))];
    const locked = await this.repository.lockShipmentsAndFindDuplicates(
      tx,
      byTrackingNumber ? { trackingNumbers: refs, retailerId: scope.retailerId } : { shipmentIds: refs, retailerId: scope.retailerId },
      drafts,
    );
    const shipments = new Map<string, LockedShipment>();
    for (const s of locked.shipments) shipments.set(byTrackingNumber ? s.tracking_number : s.id, s);

    type Fresh = TrackingEventFields & { key: string; draft: JourneyEventDraft; requireMove?: boolean };
    const results = new Map<JourneyEventDraft, JourneyEventResult>();
    const fresh = new Map<string, Fresh[]>();
    const seenInBatch = new Set<string>();
    for (const draft of drafts) {
      const key = eventKey(draft.source, draft.externalEventId);
      const shipment = shipments.get((byTrackingNumber ? draft.trackingNumber : draft.shipmentId) ?? '');
      if (!shipment) results.set(draft, { result: 'unknown_shipment' });
      else if (locked.existing.has(key) || seenInBatch.has(key)) results.set(draft, { result: 'duplicate' });
      else {
        seenInBatch.add(key);
        const { trackingNumber: _tn, ...fields } = draft;
        const list = fresh.get(shipment.id) ?? [];
        list.push({ ...fields, shipmentId: shipment.id, key, draft });
        fresh.set(shipment.id, list);
      }
    }
    const shipmentsById = new Map(locked.shipments.map((s) => [s.id, s]));

    const replayIds = [...fresh.entries()]
      .filter(([id, events]) => needsReplay(this.state(shipmentsById.get(id)!), events))
      .map(([id]) => id);
    const histories = new Map<string, { code: EventCode; occurredAt: Date; key: string }[]>();
    if (replayIds.length > 0) {
      for (const row of await this.repository.loadHistory(tx, replayIds)) {
        const list = histories.get(row.shipment_id) ?? [];
        list.push({ code: row.code, occurredAt: new Date(row.occurred_at), key: eventKey(row.source, row.external_event_id) });
        histories.set(row.shipment_id, list);
      }
    }

    const eventRows: NewEventRow[] = [];
    const updates: ShipmentUpdateRow[] = [];
    const history: HistoryRow[] = [];
    const outbox: JourneyEventRow[] = [];

    for (const [shipmentId, events] of fresh) {
      const shipment = shipmentsById.get(shipmentId)!;
      const decision = decideShipmentJourney(this.state(shipment), events, histories.get(shipmentId) ?? []);
      for (const d of decision.events) {
        const { key: _key, draft, requireMove, ...row } = d.event;
        // Decided under the row lock, so a concurrent scan cannot slip between the check and the write.
        if (requireMove && !d.applied) throw new MoveRefused(shipment.status);
        eventRows.push({
          ...row,
          retailerId: shipment.retailer_id,
          outcome: d.applied ? 'applied' : 'recorded',
          late: d.late,
          statusBefore: d.statusBefore,
          statusAfter: d.statusAfter,
        });
        results.set(draft, {
          result: d.applied ? 'applied' : 'recorded',
          late: d.late,
          status: d.statusAfter,
          statusBefore: d.statusBefore,
        });
        const notable = notableEventType(d.event.code);
        if (notable) outbox.push(this.journeyEvent(shipment, notable, d.event, d.statusBefore, d.statusAfter));
      }
      for (const t of decision.transitions) {
        history.push({
          shipmentId,
          retailerId: shipment.retailer_id,
          fromStatus: t.from,
          toStatus: t.to,
          event: t.event,
          cause: t.replayed ? 'replay' : 'event',
          occurredAt: t.event.occurredAt,
        });
        outbox.push(this.journeyEvent(shipment, STATUS_EVENT_TYPE[t.to], t.event, t.from, t.to));
        this.metrics.transitions.inc({ to: t.to });
      }
      const lastOccurred = Math.max(...events.map((e) => e.occurredAt.getTime()));
      const changedBy = decision.statusChangedBy;
      updates.push({
        id: shipmentId,
        fromStatus: shipment.status,
        status: decision.status,
        rank: STATUS_RANK[decision.status],
        statusChangedAt: changedBy ? changedBy.occurredAt : null,
        lastEventOccurredAt: new Date(lastOccurred),
        deliveredAt: decision.status === 'delivered' && changedBy ? changedBy.occurredAt : null,
        returnRequestedAt: decision.status === 'return_requested' && changedBy ? changedBy.occurredAt : null,
      });
    }

    const { inserted, updated } = await this.repository.writeBatch(tx, { events: eventRows, updates, history, journeyEvents: outbox }, now);
    // A concurrent request stored one of these events after our duplicate check: start again.
    if (inserted !== eventRows.length) throw new RetryableConflict(`inserted ${inserted} of ${eventRows.length} events`);
    if (updated !== updates.length) throw new RetryableConflict(`guarded update matched ${updated} of ${updates.length} shipments`);
    return drafts.map((d) => results.get(d)!);
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

function isSerializationFailure(error: unknown): boolean {
  const code = (error as { driverError?: { code?: string }; code?: string })?.driverError?.code ?? (error as { code?: string })?.code;
  return code === '40001' || code === '40P01';
}
