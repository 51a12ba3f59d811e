import { Injectable } from '@nestjs/common';
import { plainToInstance } from 'class-transformer';
import { validateSync } from 'class-validator';
import { Clock } from '../../common/clock/clock';
import { createValidationPipe, findNulCharacters, toErrorDetails } from '../../common/http/validation';
import { Principal } from '../auth/principal';
import { MetricsService } from '../metrics/metrics.service';
import { canonicalEventCode, EVENT_DEFINITIONS } from '../shipments/journey';
import { JourneyEventDraft } from '../shipments/journey.service';
import { isValidTrackingNumber, normalizeTrackingNumber } from '../shipments/tracking-number';
import {
  TrackingEventBatchDto,
  TrackingEventBatchResponseDto,
  TrackingEventItemDto,
  TrackingEventResultDto,
  TrackingEventResultKind,
  TRACKING_EVENT_RESULTS,
} from './dto/tracking-event.dto';
import { acceptBatch, acceptItem, ItemScan, scanItem } from './dto/tracking-event.fast-path';
import { ScanCoalescer } from './scan.coalescer';

/** Events may not claim to have happened further ahead than this (carrier clocks drift, but not by days). */
const MAX_FUTURE_MS = 24 * 3_600_000;

type Invalid = { kind: 'invalid'; errors: { code: string; field: string; issue: string }[] };
type Parsed = { kind: 'ok'; item: TrackingEventItemDto; trackingNumber: string; draft: Omit<JourneyEventDraft, 'shipmentId' | 'trackingNumber'> };

/**
 * Carrier scan ingestion: validate each item on its own, resolve tracking numbers within what the
 * caller may touch, and hand the rest to the journey in one transaction.
 */
@Injectable()
export class IngestionService {
  constructor(
    private readonly coalescer: ScanCoalescer,
    private readonly clock: Clock,
    private readonly metrics: MetricsService,
  ) {}

  /** The same pipe as the global one: a body the fast path is not sure of goes through it as before. */
  private readonly batchPipe = createValidationPipe();

  /** `body`: the request body as parsed from JSON, not yet validated (see `events`). */
  async ingest(principal: Principal, body: unknown): Promise<TrackingEventBatchResponseDto> {
    const source = sourceOf(principal);
    const items = await this.events(body);
    const parsed = items.map(({ raw, scan }) => this.parse(raw, scan, source));
    const drafts: JourneyEventDraft[] = [];
    const draftIndex = new Map<number, number>();
    parsed.forEach((p, index) => {
      if (p.kind !== 'ok') return;
      draftIndex.set(index, drafts.length);
      drafts.push({ ...p.draft, trackingNumber: p.trackingNumber });
    });
    // Tracking numbers resolve inside the write, limited to what the caller may touch: a retailer's key
    // reaches only its own shipments (others read as unknown), a carrier's key any shipment. Concurrent
    // requests of the same scope are written together (ScanCoalescer).
    const applied = await this.coalescer.apply(drafts, { retailerId: principal.kind === 'retailer' ? principal.retailerId : undefined });

    const results: TrackingEventResultDto[] = parsed.map((p, index) => {
      const given = items[index].raw.eventId;
      const eventId = typeof given === 'string' ? given : undefined;
      if (p.kind === 'invalid') return { index, eventId, result: 'invalid', errors: p.errors };
      const outcome = applied[draftIndex.get(index)!];
      if (outcome.result === 'unknown_shipment') return { index, eventId, result: 'unknown_tracking_number' };
      if (outcome.result === 'duplicate') return { index, eventId, result: 'duplicate' };
      // Scans never set requireMove, so they are never rejected.
      if (outcome.result === 'rejected') throw new Error('a scan was rejected as if it required a move');
      return { index, eventId, result: outcome.result, status: outcome.status, late: outcome.late };
    });
    const summary = Object.fromEntries(TRACKING_EVENT_RESULTS.map((r) => [r, 0])) as Record<TrackingEventResultKind, number>;
    for (const r of results) summary[r.result]++;
    for (const [result, count] of Object.entries(summary)) if (count > 0) this.metrics.trackingEvents.inc({ result }, count);
    return { results, summary };
  }

  /**
   * The batch's events. A body the fast path is certainly sure of is taken as it is; any other goes through the
   * ValidationPipe exactly as a decorated @Body() would (its errors; prototype keys stripped from the items).
   */
  private async events(body: unknown): Promise<{ raw: Record<string, unknown>; scan: ItemScan }[]> {
    const events = acceptBatch(body);
    const scanned = events?.map((raw) => ({ raw, scan: scanItem(raw) }));
    if (scanned && !scanned.some(({ scan }) => scan.unsafeKey)) return scanned;
    const batch = (await this.batchPipe.transform(body, { type: 'body', metatype: TrackingEventBatchDto })) as TrackingEventBatchDto;
    return batch.events.map((raw) => ({ raw, scan: scanItem(raw) }));
  }

  private parse(raw: Record<string, unknown>, scan: ItemScan, source: string): Parsed | Invalid {
    const nul = scan.nul ? findNulCharacters(raw) : [];
    if (nul.length > 0) return { kind: 'invalid', errors: nul.map((d) => ({ code: 'VALIDATION_FAILED', ...d })) };
    let item = acceptItem(raw);
    if (!item) {
      item = plainToInstance(TrackingEventItemDto, raw);
      const errors = validateItem(item);
      if (errors.length > 0) {
        return { kind: 'invalid', errors: toErrorDetails(errors).map((d) => ({ code: 'VALIDATION_FAILED', ...d })) };
      }
    }
    const trackingNumber = normalizeTrackingNumber(item.trackingNumber);
    if (!isValidTrackingNumber(trackingNumber)) {
      return invalid('TRACKING_NUMBER_INVALID', 'trackingNumber', 'is not a Passage tracking number (its check character does not match)');
    }
    const code = canonicalEventCode(item.code);
    if (!code) return invalid('UNKNOWN_EVENT_CODE', 'code', 'is neither a canonical event code nor a known UPU EMSEVT code');
    const reasons = EVENT_DEFINITIONS[code].reasons;
    const reason = item.reason?.trim().toUpperCase() || null;
    if (reason && !reasons.includes(reason)) {
      return invalid(
        'UNKNOWN_EVENT_REASON',
        'reason',
        reasons.length ? `must be one of ${reasons.join(', ')} for ${code}` : `is not accepted for ${code}`,
      );
    }
    const occurredAt = new Date(item.occurredAt);
    if (Number.isNaN(occurredAt.getTime())) return invalid('VALIDATION_FAILED', 'occurredAt', 'is not a real date-time');
    if (occurredAt.getTime() > this.clock.now().getTime() + MAX_FUTURE_MS) {
      return invalid('EVENT_IN_FUTURE', 'occurredAt', 'is more than 24 hours in the future');
    }
    return {
      kind: 'ok',
      item,
      trackingNumber,
      draft: {
        source,
        externalEventId: item.eventId,
        code,
        originalCode: item.code.trim().toUpperCase(),
        reason,
        occurredAt,
        location: { country: item.location.country, city: item.location.city, facility: item.location.facility },
        description: item.description ?? null,
        raw: raw,
      },
    };
  }
}

/** The item's decorators, for what the fast path was not sure of. */
function validateItem(item: TrackingEventItemDto) {
  return validateSync(item, { whitelist: true, forbidNonWhitelisted: true, stopAtFirstError: true, validationError: { target: false, value: false } });
}

function invalid(code: string, field: string, issue: string): Invalid {
  return { kind: 'invalid', errors: [{ code, field, issue }] };
}

/** The namespace of a caller's event ids: a carrier's code, or the retailer posting its own scans. */
export function sourceOf(principal: Principal): string {
  switch (principal.kind) {
    case 'carrier':
      return principal.carrierCode;
    case 'retailer':
      return `retailer:${principal.retailerId}`;
    case 'admin':
      return 'admin';
  }
}
