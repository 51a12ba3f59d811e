import { isIsoCountry } from '../../../common/http/validators';
import { ISO_WITH_OFFSET, TrackingEventItemDto } from './tracking-event.dto';

/**
 * Plain-code acceptance of what the class-validator rules of tracking-event.dto.ts certainly accept.
 *
 * Ingestion is the hottest path: class-transformer and class-validator cost more CPU per scan than the rest
 * of the validation (a third of the API's CPU at 100 events per request). These functions only ever say
 * "certainly valid" (and return what class-transformer would have built) or "not sure"; on "not sure" the
 * caller runs the decorators as before, so every error a client sees still comes from them, word for word.
 * tracking-event.fast-path.spec.ts checks that whatever is accepted here the decorators accept too, with the
 * same result.
 */

const ITEM_KEYS = new Set(['trackingNumber', 'eventId', 'code', 'reason', 'occurredAt', 'location', 'description', 'raw']);
const LOCATION_KEYS = new Set(['country', 'city', 'facility']);
/** Keys the ValidationPipe strips from a body (prototype pollution); a body holding one takes the slow path. */
const UNSAFE_KEYS = new Set(['__proto__', 'prototype', 'constructor']);

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** `length` counts UTF-16 units, never fewer than class-validator's characters: a string this short passes MaxLength. */
function shortString(value: unknown, max: number): value is string {
  return typeof value === 'string' && value.length <= max;
}

function optionalShortString(value: unknown, max: number): boolean {
  return value === undefined || value === null || shortString(value, max);
}

/** The events of a body that TrackingEventBatchDto certainly accepts as it is; undefined when not sure. */
export function acceptBatch(body: unknown): Record<string, unknown>[] | undefined {
  if (!isPlainObject(body)) return undefined;
  const keys = Object.keys(body);
  if (keys.length !== 1 || keys[0] !== 'events') return undefined;
  const events = body.events;
  if (!Array.isArray(events) || events.length < 1 || events.length > 1000) return undefined;
  for (const event of events) if (!isPlainObject(event)) return undefined;
  return events as Record<string, unknown>[];
}

/** What one walk over a received item finds: a NUL character anywhere, a key the pipe would have stripped. */
export interface ItemScan {
  nul: boolean;
  unsafeKey: boolean;
}

export function scanItem(value: unknown): ItemScan {
  const found: ItemScan = { nul: false, unsafeKey: false };
  const walk = (v: unknown): void => {
    if (typeof v === 'string') {
      if (v.includes('\u0000')) found.nul = true;
    } else if (Array.isArray(v)) {
      for (const item of v) walk(item);
    } else if (typeof v === 'object' && v !== null) {
      for (const key of Object.keys(v)) {
        if (UNSAFE_KEYS.has(key)) found.unsafeKey = true;
        if (key.includes('\u0000')) found.nul = true;
        walk((v as Record<string, unknown>)[key]);
      }
    }
  };
  walk(value);
  return found;
}

/**
 * The item TrackingEventItemDto's decorators certainly accept, as class-transformer would have built it
 * (the country trimmed and upper-cased); undefined when not sure.
 */
export function acceptItem(raw: Record<string, unknown>): TrackingEventItemDto | undefined {
  for (const key of Object.keys(raw)) if (!ITEM_KEYS.has(key)) return undefined;
  const { trackingNumber, eventId, code, reason, occurredAt, location, description } = raw;
  if (!shortString(trackingNumber, 40) || trackingNumber === '') return undefined;
  if (!shortString(eventId, 200) || eventId === '') return undefined;
  if (!shortString(code, 40) || code === '') return undefined;
  if (!optionalShortString(reason, 40) || !optionalShortString(description, 500)) return undefined;
  if (typeof occurredAt !== 'string' || !ISO_WITH_OFFSET.test(occurredAt)) return undefined;
  if (raw.raw !== undefined && raw.raw !== null && !isPlainObject(raw.raw)) return undefined;
  if (!isPlainObject(location)) return undefined;
  for (const key of Object.keys(location)) if (!LOCATION_KEYS.has(key)) return undefined;
  const country = typeof location.country === 'string' ? location.country.trim().toUpperCase() : location.country;
  if (!isIsoCountry(country)) return undefined;
  if (!optionalShortString(location.city, 100) || !optionalShortString(location.facility, 100)) return undefined;

  const item = { trackingNumber, eventId, code, occurredAt, location: { ...location, country } } as TrackingEventItemDto;
  // Only the keys the client sent, as class-transformer copies them.
  if ('reason' in raw) item.reason = reason as string;
  if ('description' in raw) item.description = description as string;
  if ('raw' in raw) item.raw = raw.raw as Record<string, unknown>;
  return item;
}
