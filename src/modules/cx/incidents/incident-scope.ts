import { ErrorDetail } from '../../../common/errors/app-error';
import { SUPPORTED_LOCALES } from '../../notifications/templates';
import { OUTBOUND_OPEN_STATUSES } from '../../shipments/journey';

export const INCIDENT_KINDS = [
  'flight_cancelled',
  'flight_delayed',
  'facility_closure',
  'weather',
  'strike',
  'customs_backlog',
  'carrier_outage',
  'other',
] as const;
export type IncidentKind = (typeof INCIDENT_KINDS)[number];

/**
 * Statuses of a parcel still on its way to the consignee: what an incident can delay (returns travel to the
 * retailer, and final statuses are past help). The SQL text is the predicate of the partial index
 * `shipments_active_destination_idx`, so that the planner can prove the index applies.
 */
export const ACTIVE_STATUSES = OUTBOUND_OPEN_STATUSES;
export const ACTIVE_STATUSES_SQL = `(${ACTIVE_STATUSES.map((s) => `'${s}'`).join(', ')})`;

/** A scan older than this before the declaration no longer places a parcel at a facility or on a manifest. */
export const SCAN_LOOKBACK_DAYS = 7;
/** An agent's message per locale: short enough for two SMS segments with the shop's name in front. */
export const MAX_MESSAGE_LENGTH = 280;

/**
 * What an incident covers. `country` is the destination country; `lane` is origin → destination country;
 * `facility` is where the parcel's latest scan was (`location.facility` of the scan, case-insensitive);
 * `manifest` is a manifest or flight reference a carrier put in any scan's `raw.manifest`.
 */
export type IncidentScope =
  | { type: 'facility'; facility: string }
  | { type: 'country'; country: string }
  | { type: 'lane'; origin: string; destination: string }
  | { type: 'manifest'; manifest: string }
  | { type: 'shipments'; shipmentIds: string[] };

export interface ScopeInput {
  facility?: string;
  country?: string;
  lane?: { origin: string; destination: string };
  manifest?: string;
  shipmentIds?: string[];
}

/** Exactly one way of naming the shipments; the issue names the field. */
export function toIncidentScope(input: ScopeInput): IncidentScope | ErrorDetail {
  const given = (['facility', 'country', 'lane', 'manifest', 'shipmentIds'] as const).filter((k) => input[k] !== undefined && input[k] !== null);
  if (given.length !== 1) {
    return { field: 'scope', issue: `must name exactly one of facility, country, lane, manifest, shipmentIds${given.length ? ` (got ${given.join(', ')})` : ''}` };
  }
  if (input.facility !== undefined) {
    const facility = input.facility.trim();
    return facility ? { type: 'facility', facility } : { field: 'scope.facility', issue: 'must not be blank' };
  }
  if (input.country !== undefined) return { type: 'country', country: input.country };
  if (input.lane !== undefined) {
    if (input.lane.origin === input.lane.destination) return { field: 'scope.lane', issue: 'origin and destination must differ' };
    return { type: 'lane', origin: input.lane.origin, destination: input.lane.destination };
  }
  if (input.manifest !== undefined) {
    const manifest = input.manifest.trim();
    return manifest ? { type: 'manifest', manifest } : { field: 'scope.manifest', issue: 'must not be blank' };
  }
  return { type: 'shipments', shipmentIds: [...new Set(input.shipmentIds!.map((id) => id.toLowerCase()))] };
}

/** Locale keys must be catalog locales and the words plain, non-empty and short. */
export function messagesIssues(messages: unknown, path: string): ErrorDetail[] {
  if (messages === undefined || messages === null) return [];
  if (typeof messages !== 'object' || Array.isArray(messages)) return [{ field: path, issue: 'must be an object of locale → text' }];
  const entries = Object.entries(messages as Record<string, unknown>);
  if (entries.length === 0) return [{ field: path, issue: 'must name at least one locale (or leave it out to use the standard message)' }];
  const issues: ErrorDetail[] = [];
  for (const [locale, text] of entries) {
    if (!(SUPPORTED_LOCALES as readonly string[]).includes(locale)) {
      issues.push({ field: `${path}.${locale}`, issue: `is not a supported locale (one of ${SUPPORTED_LOCALES.join(', ')})` });
    } else if (typeof text !== 'string' || text.trim() === '') {
      issues.push({ field: `${path}.${locale}`, issue: 'must be a non-empty string' });
    } else if (text.length > MAX_MESSAGE_LENGTH) {
      issues.push({ field: `${path}.${locale}`, issue: `must be at most ${MAX_MESSAGE_LENGTH} characters` });
    }
  }
  return issues;
}

/**
 * The predicate (on `shipments s`) for the shipments in scope and still on their way, with its parameters
 * numbered from `first`. Every branch starts from an index: the active-destination partial index, the
 * facility or manifest index on scans (bounded by `since`), or the primary key.
 */
export function scopePredicate(scope: IncidentScope, since: Date, first: number): { sql: string; params: unknown[] } {
  const p = (i: number) => `$${first + i}`;
  const active = `s.status IN ${ACTIVE_STATUSES_SQL}`;
  switch (scope.type) {
    case 'country':
      return { sql: `s.destination_country = ${p(0)} AND ${active}`, params: [scope.country] };
    case 'lane':
      return { sql: `s.destination_country = ${p(0)} AND (s.origin->>'country') = ${p(1)} AND ${active}`, params: [scope.destination, scope.origin] };
    case 'shipments':
      return { sql: `s.id = ANY(${p(0)}::uuid[]) AND ${active}`, params: [scope.shipmentIds] };
    case 'manifest':
      return {
        sql: `s.id IN (SELECT te.shipment_id FROM tracking_events te
                        WHERE te.raw->'raw' ? 'manifest' AND (te.raw->'raw'->>'manifest') = ${p(0)} AND te.occurred_at >= ${p(1)})
              AND ${active}`,
        params: [scope.manifest, since],
      };
    case 'facility':
      // At the facility now: scanned there lately, and that is the parcel's latest scan.
      return {
        sql: `s.id IN (SELECT te.shipment_id FROM tracking_events te
                        WHERE te.location ? 'facility' AND lower(te.location->>'facility') = ${p(0)} AND te.occurred_at >= ${p(1)})
              AND ${active}
              AND (SELECT lower(l.location->>'facility') FROM tracking_events l
                    WHERE l.shipment_id = s.id ORDER BY l.occurred_at DESC, l.id DESC LIMIT 1) = ${p(0)}`,
        params: [scope.facility.toLowerCase(), since],
      };
  }
}

/** The scope as stored and shown: the request's shape, normalised. */
export function scopeView(scope: IncidentScope): Record<string, unknown> {
  switch (scope.type) {
    case 'facility':
      return { facility: scope.facility };
    case 'country':
      return { country: scope.country };
    case 'lane':
      return { lane: { origin: scope.origin, destination: scope.destination } };
    case 'manifest':
      return { manifest: scope.manifest };
    case 'shipments':
      return { shipmentIds: scope.shipmentIds };
  }
}

export function scopeFromRow(type: IncidentScope['type'], view: Record<string, unknown>): IncidentScope {
  switch (type) {
    case 'facility':
      return { type, facility: String(view.facility) };
    case 'country':
      return { type, country: String(view.country) };
    case 'lane': {
      const lane = view.lane as { origin: string; destination: string };
      return { type, origin: lane.origin, destination: lane.destination };
    }
    case 'manifest':
      return { type, manifest: String(view.manifest) };
    case 'shipments':
      return { type, shipmentIds: view.shipmentIds as string[] };
  }
}
