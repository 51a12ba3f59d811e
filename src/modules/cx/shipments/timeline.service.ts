import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { CX_EVENT_TYPES } from '../../shipments/journey';
import { CxErrors } from '../cx.errors';
import { TIMELINE_KINDS, TimelineDto, TimelineItemDto, TimelineKind } from './cx-shipments.dto';

interface Item {
  at: Date;
  kind: TimelineKind;
  summary: string;
  data: Record<string, unknown>;
}

/** One source of the 360 view: every row it returns for one shipment, as timeline items. */
type TimelineSection = (db: DataSource, shipmentId: string, ids: { exceptionIds: string[]; messageIds: string[] }) => Promise<Item[]>;

const iso = (d: Date | string | null | undefined) => (d ? new Date(d).toISOString() : null);

const scans: TimelineSection = async (db, id) => {
  const rows: Array<Record<string, unknown> & { occurred_at: Date; code: string; outcome: string; status_before: string; status_after: string }> = await db.query(
    `SELECT id::text, source, external_event_id, code, original_code, reason, occurred_at, received_at, location, description,
            outcome, late, status_before, status_after
       FROM tracking_events WHERE shipment_id = $1 ORDER BY occurred_at, id`,
    [id],
  );
  return rows.map((r) => ({
    at: r.occurred_at,
    kind: 'scan',
    summary: `Scan ${r.code}${r.reason ? ` (${r.reason as string})` : ''}: ${r.outcome}${r.late ? ', late' : ''}`,
    data: {
      id: r.id,
      source: r.source,
      externalEventId: r.external_event_id,
      code: r.code,
      originalCode: r.original_code,
      reason: r.reason,
      occurredAt: iso(r.occurred_at),
      receivedAt: iso(r.received_at as Date),
      location: r.location,
      description: r.description,
      outcome: r.outcome,
      late: r.late,
      statusBefore: r.status_before,
      statusAfter: r.status_after,
    },
  }));
};

const statusChanges: TimelineSection = async (db, id) => {
  const rows: Array<{ id: string; from_status: string | null; to_status: string; cause: string; tracking_event_id: string | null; occurred_at: Date; recorded_at: Date }> =
    await db.query(
      `SELECT id::text, from_status, to_status, cause, tracking_event_id::text, occurred_at, recorded_at
         FROM shipment_status_history WHERE shipment_id = $1 ORDER BY id`,
      [id],
    );
  return rows.map((r) => ({
    at: r.occurred_at,
    kind: 'status_change',
    summary: `${r.cause === 'override' ? 'Status OVERRIDE' : 'Status'} ${r.from_status ?? '∅'} → ${r.to_status} (${r.cause})`,
    data: {
      id: r.id,
      from: r.from_status,
      to: r.to_status,
      cause: r.cause,
      override: r.cause === 'override',
      trackingEventId: r.tracking_event_id,
      occurredAt: iso(r.occurred_at),
      recordedAt: iso(r.recorded_at),
    },
  }));
};

/** The verdict at booking, then each change of it when the consignee details were corrected. */
const verdicts: TimelineSection = async (db, id) => {
  const [booking]: Array<{ created_at: Date; compliance_status: string | null; compliance: { status?: string } | null }> = await db.query(
    `SELECT created_at, compliance_status, compliance FROM shipments WHERE id = $1`,
    [id],
  );
  const updates: Array<{ occurred_at: Date; payload: { compliance?: { from?: string | null; to?: string | null } } }> = await db.query(
    `SELECT occurred_at, payload FROM journey_events WHERE shipment_id = $1 AND type = 'shipment.consignee_updated' ORDER BY id`,
    [id],
  );
  const items: Item[] = [];
  const initial = (await db.query(
    `SELECT payload->'compliance' AS compliance FROM journey_events WHERE shipment_id = $1 AND type = 'shipment.booked' ORDER BY id LIMIT 1`,
    [id],
  )) as Array<{ compliance: { status?: string; issues?: unknown[] } | null }>;
  const atBooking = initial[0]?.compliance;
  if (atBooking || booking?.compliance_status) {
    items.push({
      at: booking.created_at,
      kind: 'verdict',
      summary: `Booking verdict: ${atBooking?.status ?? booking.compliance_status}`,
      data: { at: 'booking', status: atBooking?.status ?? booking.compliance_status, issues: atBooking?.issues ?? [], current: booking.compliance },
    });
  }
  for (const u of updates) {
    items.push({
      at: u.occurred_at,
      kind: 'verdict',
      summary: `Verdict after consignee update: ${u.payload.compliance?.from ?? '∅'} → ${u.payload.compliance?.to ?? '∅'}`,
      data: { at: 'consignee_updated', from: u.payload.compliance?.from ?? null, to: u.payload.compliance?.to ?? null },
    });
  }
  return items;
};

const messages: TimelineSection = async (db, id) => {
  const rows: Array<Record<string, unknown> & { id: string; created_at: Date; channel: string; template: string; status: string }> = await db.query(
    `SELECT id, channel, audience, recipient, template, milestone, status, skip_reason, deferred_reason, attempts, last_error_code,
            provider_message_id, sent_at, next_attempt_at, status_history, dedupe_key, created_at
       FROM messages WHERE shipment_id = $1 ORDER BY created_at, id`,
    [id],
  );
  return rows.map((r) => ({
    at: r.created_at,
    kind: 'message',
    summary: `Message ${r.template} by ${r.channel} to ${r.audience as string}: ${r.status}${r.skip_reason ? ` (${r.skip_reason as string})` : ''}`,
    data: {
      id: r.id,
      channel: r.channel,
      audience: r.audience,
      recipient: r.recipient,
      template: r.template,
      milestone: r.milestone,
      status: r.status,
      skipReason: r.skip_reason,
      deferredReason: r.deferred_reason,
      attempts: r.attempts,
      lastErrorCode: r.last_error_code,
      providerMessageId: r.provider_message_id,
      sentAt: iso(r.sent_at as Date | null),
      nextAttemptAt: iso(r.next_attempt_at as Date | null),
      statusHistory: r.status_history,
      resend: String(r.dedupe_key).includes(':resend:'),
      createdAt: iso(r.created_at),
    },
  }));
};

const exceptions: TimelineSection = async (db, id) => {
  const rows: Array<{ id: string; exception_id: string; type: string; severity: string; current_status: string; kind: string; actor: string; body: Record<string, unknown>; created_at: Date }> =
    await db.query(
      `SELECT ev.id::text, ev.exception_id, e.type, e.severity, e.status AS current_status, ev.kind, ev.actor, ev.body, ev.created_at
         FROM exceptions e JOIN exception_events ev ON ev.exception_id = e.id
        WHERE e.shipment_id = $1 ORDER BY ev.id`,
      [id],
    );
  return rows.map((r) => ({
    at: r.created_at,
    kind: 'exception',
    summary: `Exception ${r.type}: ${r.kind} by ${r.actor}`,
    data: {
      id: r.id,
      exceptionId: r.exception_id,
      exceptionType: r.type,
      severity: r.severity,
      currentStatus: r.current_status,
      event: r.kind,
      actor: r.actor,
      body: r.body,
    },
  }));
};

const replies: TimelineSection = async (db, id) => {
  const rows: Array<{ id: string; channel: string; body: string; received_at: Date }> = await db.query(
    `SELECT id, channel, body, received_at FROM customer_replies WHERE shipment_id = $1 ORDER BY received_at, id`,
    [id],
  );
  return rows.map((r) => ({ at: r.received_at, kind: 'customer_reply', summary: `Customer reply by ${r.channel}`, data: { id: r.id, channel: r.channel, body: r.body } }));
};

type Range = { from?: string; to?: string } | null | undefined;
const range = (r: Range) => (r?.from && r?.to ? { from: r.from, to: r.to } : null);

/**
 * What the desk sees of one CX journey event: its own facts, picked field by field so that an incident's
 * words to consignees or anything personal never reach the view.
 */
export function cxEventItem(type: string, p: Record<string, unknown>): { summary: string; data: Record<string, unknown> } {
  const incident = (p.incident ?? {}) as { id?: string; kind?: string; notifyConsignee?: boolean; estimatedDelivery?: Range };
  switch (type) {
    case 'shipment.delay_detected':
      return {
        summary: `Delay detected (${String(p.detector ?? 'delay')})`,
        data: { detector: p.detector ?? null, occurrenceKey: p.occurrenceKey ?? null, estimatedDelivery: range(p.estimatedDelivery as Range), previousEstimate: range(p.previousEstimate as Range), exceptionOpened: p.exceptionOpened ?? null },
      };
    case 'shipment.edd_revised':
      return {
        summary: `Estimated delivery revised (${String(p.change ?? 'revised')})`,
        data: { change: p.change ?? null, slipDays: p.slipDays ?? null, estimatedDelivery: range(p.estimatedDelivery as Range), previousEstimate: range(p.previousEstimate as Range), cause: p.cause ?? null },
      };
    case 'shipment.pickup_expiring':
      return { summary: 'Pickup expiring', data: { occurrenceKey: p.occurrenceKey ?? null, pickupBy: p.pickupBy ?? null } };
    case 'shipment.information_reminder':
      return { summary: 'Information still missing: consignee reminded', data: { occurrenceKey: p.occurrenceKey ?? null } };
    case 'shipment.incident_declared':
    case 'shipment.incident_resolved':
      return {
        summary: `Incident ${incident.kind ?? ''} ${type === 'shipment.incident_declared' ? 'declared' : 'resolved'}`.replace(/\s+/g, ' '),
        data: { incidentId: incident.id ?? null, incidentKind: incident.kind ?? null, notifyConsignee: incident.notifyConsignee ?? null, estimatedDelivery: range(incident.estimatedDelivery) },
      };
    case 'shipment.exception_resolved':
      return {
        summary: `Consignee told: ${String(p.exceptionType ?? 'exception')} resolved (${String(p.resolutionCode ?? '')})`,
        data: { exceptionId: p.exceptionId ?? null, exceptionType: p.exceptionType ?? null, resolutionCode: p.resolutionCode ?? null, resolution: p.resolution ?? null },
      };
    default:
      return { summary: type, data: {} };
  }
}

/** The CX desk's journey events, each an item of its own (the planner's messages for them are items too). */
const cxEvents: TimelineSection = async (db, id) => {
  const rows: Array<{ id: string; type: string; payload: Record<string, unknown>; occurred_at: Date }> = await db.query(
    `SELECT id::text, type, payload, occurred_at FROM journey_events WHERE shipment_id = $1 AND type = ANY($2::text[]) ORDER BY occurred_at, id`,
    [id, [...CX_EVENT_TYPES]],
  );
  return rows.map((r) => {
    const { summary, data } = cxEventItem(r.type, r.payload ?? {});
    return { at: r.occurred_at, kind: 'cx_event', summary, data: { id: r.id, type: r.type, ...data } };
  });
};

/**
 * The delivery survey: offered with the delivered message, then answered (scores and whether a comment was
 * left; the comment itself is the consignee's words and stays in the survey).
 */
const surveys: TimelineSection = async (db, id) => {
  const rows: Array<{ id: string; created_at: Date; expires_at: Date; used_at: Date | null; csat: number | null; ces: number | null; has_comment: boolean }> = await db.query(
    `SELECT id, created_at, expires_at, used_at, csat, ces, comment IS NOT NULL AS has_comment FROM surveys WHERE shipment_id = $1`,
    [id],
  );
  return rows.flatMap((r): Item[] => [
    { at: r.created_at, kind: 'survey', summary: 'Survey offered', data: { id: r.id, event: 'offered', expiresAt: iso(r.expires_at) } },
    ...(r.used_at
      ? [
          {
            at: r.used_at,
            kind: 'survey' as const,
            summary: `Survey answered: CSAT ${r.csat}/5, CES ${r.ces}/7${r.has_comment ? ', with a comment' : ''}`,
            data: { id: r.id, event: 'answered', csat: r.csat, ces: r.ces, hasComment: r.has_comment },
          },
        ]
      : []),
  ]);
};

/** Audit entries about the shipment, its exceptions and its messages (each by the audit log's target index). */
const audits: TimelineSection = async (db, id, ids) => {
  const rows: Array<{ id: string; actor: string; action: string; target_type: string; target_id: string; before: unknown; after: unknown; created_at: Date }> = await db.query(
    `SELECT id::text, actor, action, target_type, target_id, before, after, created_at FROM audit_log WHERE target_type = 'shipment' AND target_id = $1
     UNION ALL
     SELECT id::text, actor, action, target_type, target_id, before, after, created_at FROM audit_log WHERE target_type = 'exception' AND target_id = ANY($2::text[])
     UNION ALL
     SELECT id::text, actor, action, target_type, target_id, before, after, created_at FROM audit_log WHERE target_type = 'message' AND target_id = ANY($3::text[])`,
    [id, ids.exceptionIds, ids.messageIds],
  );
  return rows.map((r) => ({
    at: r.created_at,
    kind: 'audit',
    summary: `${r.action} by ${r.actor}`,
    data: { id: r.id, actor: r.actor, action: r.action, targetType: r.target_type, targetId: r.target_id, before: r.before, after: r.after },
  }));
};

/** The sections of the 360 view (items of the same instant are ordered by TIMELINE_KINDS, then by section). */
const SECTIONS: TimelineSection[] = [verdicts, scans, statusChanges, cxEvents, exceptions, messages, replies, surveys, audits];

const KIND_ORDER = new Map<TimelineKind, number>(TIMELINE_KINDS.map((k, i) => [k, i]));

/** The 360 view of one shipment: every record about it, in one stream ordered by time. */
@Injectable()
export class TimelineService {
  constructor(private readonly db: DataSource) {}

  async timeline(shipmentId: string): Promise<TimelineDto> {
    const [s]: Array<{ id: string; retailer_id: string; tracking_number: string; reference: string; status: string; destination_country: string; compliance_status: string | null; consignee: Record<string, unknown>; created_at: Date }> =
      await this.db.query(
        `SELECT id, retailer_id, tracking_number, reference, status, destination_country, compliance_status, consignee, created_at FROM shipments WHERE id = $1`,
        [shipmentId],
      );
    if (!s) throw CxErrors.shipmentNotFound();
    const [exceptionIds, messageIds] = await Promise.all([
      this.db.query(`SELECT id::text FROM exceptions WHERE shipment_id = $1`, [shipmentId]) as Promise<Array<{ id: string }>>,
      this.db.query(`SELECT id::text FROM messages WHERE shipment_id = $1`, [shipmentId]) as Promise<Array<{ id: string }>>,
    ]);
    const ids = { exceptionIds: exceptionIds.map((r) => r.id), messageIds: messageIds.map((r) => r.id) };
    const sections = await Promise.all(SECTIONS.map((section) => section(this.db, shipmentId, ids)));
    const items = sections
      .flatMap((section, index) => section.map((item, seq) => ({ item, index, seq })))
      .sort(
        (a, b) =>
          new Date(a.item.at).getTime() - new Date(b.item.at).getTime() ||
          KIND_ORDER.get(a.item.kind)! - KIND_ORDER.get(b.item.kind)! ||
          a.index - b.index ||
          a.seq - b.seq,
      )
      .map(({ item }): TimelineItemDto => ({ at: new Date(item.at).toISOString(), kind: item.kind, summary: item.summary, data: item.data }));
    return {
      shipment: {
        id: s.id,
        retailerId: s.retailer_id,
        trackingNumber: s.tracking_number,
        reference: s.reference,
        status: s.status,
        destinationCountry: s.destination_country,
        complianceStatus: s.compliance_status,
        consignee: s.consignee,
        createdAt: new Date(s.created_at).toISOString(),
      },
      items,
    };
  }
}
