import { Injectable } from '@nestjs/common';
import { EntityManager } from 'typeorm';
import type { ConsigneeData, ItemData, NotifyData, OriginData } from '../../shipments/shipment.entity';
import type { JourneyStatus } from '../../shipments/journey';
import type { Registration } from '../../country-rules/rule-set/rule-set-content';
import type { JourneyEventPayload } from './milestones';
import type { NotificationSettings } from './notification-settings';

export interface UnplannedEvent {
  id: string;
  shipment_id: string;
  retailer_id: string;
  type: string;
  payload: JourneyEventPayload;
  occurred_at: Date;
}

export interface PlanningShipment {
  id: string;
  retailer_id: string;
  reference: string;
  tracking_number: string;
  status: JourneyStatus;
  incoterm: 'DDP' | 'DAP';
  origin: OriginData;
  destination_country: string;
  consignee: ConsigneeData;
  items: ItemData[];
  shipping: { value: number; currency: string } | null;
  notify: NotifyData;
  created_at: Date;
  estimated_delivery_from: Date | null;
  estimated_delivery_to: Date | null;
  return_requested_at: Date | null;
  retailer_name: string;
  registrations: Partial<Record<Registration, string>>;
  settings: Partial<NotificationSettings> | null;
}

export interface PlannedRow {
  retailerId: string;
  shipmentId: string;
  channel: 'email' | 'sms' | 'webhook';
  recipient: string;
  template: string;
  dedupeKey: string;
  status: 'pending' | 'skipped';
  skipReason: string | null;
  payload: object;
  maxAttempts: number;
  nextAttemptAt: Date;
  audience: 'consignee' | 'retailer' | 'webhook';
  milestone: string;
  milestoneRank: number;
  critical: boolean;
  locale: string | null;
  localDay: string | null;
  journeyEventId: string;
  deferredReason: string | null;
  smsEncoding: string | null;
  smsSegments: number | null;
}

export interface Supersession {
  shipmentId: string;
  channel: string;
  recipient: string;
  rank: number;
}

/** The planner's reads and writes, all inside the one transaction that plans a batch of journey events. */
@Injectable()
export class PlannerRepository {
  /** The oldest journey events not yet planned; SKIP LOCKED lets several workers plan side by side. */
  claimEvents(tx: EntityManager, limit: number): Promise<UnplannedEvent[]> {
    return tx.query(
      `SELECT id::text, shipment_id, retailer_id, type, payload, occurred_at
         FROM journey_events WHERE planned_at IS NULL ORDER BY id LIMIT $1 FOR UPDATE SKIP LOCKED`,
      [limit],
    );
  }

  loadShipments(tx: EntityManager, ids: string[]): Promise<PlanningShipment[]> {
    return tx.query(
      `SELECT s.id, s.retailer_id, s.reference, s.tracking_number, s.status, s.incoterm, s.origin, s.destination_country,
              s.consignee, s.items, s.shipping, s.notify, s.created_at, s.estimated_delivery_from, s.estimated_delivery_to,
              s.return_requested_at, r.name AS retailer_name, r.registrations,
              to_jsonb(ns) - 'retailer_id' - 'updated_at' AS settings
         FROM shipments s
         JOIN retailers r ON r.id = s.retailer_id
         LEFT JOIN retailer_notification_settings ns ON ns.retailer_id = s.retailer_id
        WHERE s.id = ANY($1::uuid[])`,
      [ids],
    );
  }

  /** Opt-outs among these contacts: `${retailerId}|${channel}|${hash}|${shipmentId or ''}`. */
  async optOuts(tx: EntityManager, hashes: string[]): Promise<Set<string>> {
    if (hashes.length === 0) return new Set();
    const rows: Array<{ retailer_id: string; channel: string; contact_hash: string; shipment_id: string | null }> = await tx.query(
      `SELECT retailer_id, channel, contact_hash, shipment_id FROM contact_preferences WHERE opted_out AND contact_hash = ANY($1::text[])`,
      [hashes],
    );
    return new Set(rows.map((r) => `${r.retailer_id}|${r.channel}|${r.contact_hash}|${r.shipment_id ?? ''}`));
  }

  /** SMS already owed to each shipment's consignee per local day (skipped ones do not count). */
  async smsCounts(tx: EntityManager, shipmentIds: string[]): Promise<Map<string, number>> {
    const rows: Array<{ shipment_id: string; local_day: string; n: number }> = await tx.query(
      `SELECT shipment_id, local_day::text AS local_day, count(*)::int AS n FROM messages
        WHERE shipment_id = ANY($1::uuid[]) AND channel = 'sms' AND audience = 'consignee' AND status <> 'skipped'
          AND local_day IS NOT NULL
        GROUP BY shipment_id, local_day`,
      [shipmentIds],
    );
    return new Map(rows.map((r) => [`${r.shipment_id}|${r.local_day}`, r.n]));
  }

  /** Messages still waiting whose news a later milestone has overtaken: only the latest is sent. */
  async supersede(tx: EntityManager, items: Supersession[]): Promise<number> {
    if (items.length === 0) return 0;
    const rows: Array<{ n: number }> = await tx.query(
      `WITH s AS (
         UPDATE messages m SET status = 'skipped', skip_reason = 'superseded', updated_at = now()
           FROM unnest($1::uuid[], $2::text[], $3::text[], $4::int[]) AS x(shipment_id, channel, recipient, rank)
          WHERE m.shipment_id = x.shipment_id AND m.channel = x.channel AND m.recipient = x.recipient
            AND m.audience = 'consignee' AND m.status = 'pending' AND m.milestone_rank < x.rank
          RETURNING 1)
       -- A bare UPDATE … RETURNING comes back from TypeORM as [rows, count]; counting over a CTE returns rows.
       SELECT count(*)::int AS n FROM s`,
      [items.map((i) => i.shipmentId), items.map((i) => i.channel), items.map((i) => i.recipient), items.map((i) => i.rank)],
    );
    return rows[0].n;
  }

  /** Inserts the planned rows; a dedupe key already present is a duplicate. Returns the keys inserted. */
  async insert(tx: EntityManager, rows: PlannedRow[]): Promise<Set<string>> {
    if (rows.length === 0) return new Set();
    const inserted: Array<{ dedupe_key: string }> = await tx.query(
      `INSERT INTO messages (retailer_id, shipment_id, channel, recipient, template, dedupe_key, status, skip_reason, payload,
                             max_attempts, next_attempt_at, audience, milestone, milestone_rank, critical, locale, local_day,
                             journey_event_id, deferred_reason, sms_encoding, sms_segments)
       SELECT retailer_id, shipment_id, channel, recipient, template, dedupe_key, status, skip_reason, payload,
              max_attempts, next_attempt_at, audience, milestone, milestone_rank, critical, locale, local_day,
              journey_event_id, deferred_reason, sms_encoding, sms_segments
         FROM jsonb_to_recordset($1::jsonb) AS r(retailer_id uuid, shipment_id uuid, channel text, recipient text, template text,
              dedupe_key text, status text, skip_reason text, payload jsonb, max_attempts int, next_attempt_at timestamptz,
              audience text, milestone text, milestone_rank int, critical boolean, locale text, local_day date,
              journey_event_id bigint, deferred_reason text, sms_encoding text, sms_segments int)
       ON CONFLICT (dedupe_key) DO NOTHING
       RETURNING dedupe_key`,
      [
        JSON.stringify(
          rows.map((r) => ({
            retailer_id: r.retailerId,
            shipment_id: r.shipmentId,
            channel: r.channel,
            recipient: r.recipient,
            template: r.template,
            dedupe_key: r.dedupeKey,
            status: r.status,
            skip_reason: r.skipReason,
            payload: r.payload,
            max_attempts: r.maxAttempts,
            next_attempt_at: r.nextAttemptAt.toISOString(),
            audience: r.audience,
            milestone: r.milestone,
            milestone_rank: r.milestoneRank,
            critical: r.critical,
            locale: r.locale,
            local_day: r.localDay,
            journey_event_id: r.journeyEventId,
            deferred_reason: r.deferredReason,
            sms_encoding: r.smsEncoding,
            sms_segments: r.smsSegments,
          })),
        ),
      ],
    );
    return new Set(inserted.map((r) => r.dedupe_key));
  }

  /** Records the duties a customs hold computed into its journey event, for whoever reads the event later. */
  async enrichEvent(tx: EntityManager, eventId: string, extra: object): Promise<void> {
    await tx.query(`UPDATE journey_events SET payload = payload || $2::jsonb WHERE id = $1`, [eventId, JSON.stringify(extra)]);
  }

  async markPlanned(tx: EntityManager, ids: string[], at: Date): Promise<void> {
    await tx.query(`UPDATE journey_events SET planned_at = $2 WHERE id = ANY($1::bigint[])`, [ids, at]);
  }
}
