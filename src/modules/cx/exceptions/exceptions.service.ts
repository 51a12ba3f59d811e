import { Inject, Injectable } from '@nestjs/common';
import { EntityManager } from 'typeorm';
import { APP_CONFIG, AppConfig } from '../../../config/app-config';
import { DEFAULT_SEVERITY, DEFAULT_SLA_HOURS, ExceptionSource, ExceptionType, Severity } from './exception-types';

export { EXCEPTION_TYPES, SEVERITIES, EXCEPTION_STATUSES, DEFAULT_SLA_HOURS } from './exception-types';
export type { ExceptionType, Severity, ExceptionStatus, ExceptionSource } from './exception-types';

export interface OpenExceptionInput {
  shipmentId: string;
  retailerId: string;
  type: ExceptionType;
  source: ExceptionSource;
  /** Defaults per type (DEFAULT_SEVERITY). */
  severity?: Severity;
  /** What this occurrence is (a detector's key, an incident, an event id), kept on the row. */
  occurrenceKey?: string;
  /** Links the exception to an incident; an exception already open gets the link if it has none. */
  incidentId?: string;
  /** A note recorded with the opening, or appended as a system note when one is already open. */
  note?: string;
  /** Who opens it: `system` (the default), `detector:<name>`, `admin:<userId>`, `inbound`. */
  actor?: string;
  at: Date;
}

export interface ResolveOpenInput {
  shipmentId: string;
  types: readonly ExceptionType[];
  note: string;
  at: Date;
  /** Defaults to `auto_resolved`. */
  resolutionCode?: string;
  actor?: string;
}

/** One exception to open in a batch (`openMany`). */
export interface OpenRow {
  shipmentId: string;
  /** The shipment must belong to this retailer, or the row is left out. */
  retailerId: string;
  type: ExceptionType;
  /** Defaults per type (DEFAULT_SEVERITY). */
  severity?: Severity;
  occurrenceKey?: string;
  /** This row's note; else the batch's. */
  note?: string;
}

export interface OpenManyOptions {
  source: ExceptionSource;
  /** `system` (the default), `detector:<name>`, `admin:<userId>`, `inbound`. */
  actor?: string;
  /** Recorded with each opening, or appended as a system note to an exception already open. */
  note?: string;
  /** Links every exception to the incident; one already open gets the link if it has none. */
  incidentId?: string;
  at: Date;
}

export interface OpenedException {
  shipmentId: string;
  type: ExceptionType;
  id: string;
  /** false: one was already open (it got the note, and the incident link if it had none). */
  created: boolean;
}

/** Which unresolved exceptions `resolveWhere` resolves: a shipment's of some types, or an incident's. */
export type ResolveScope = { shipmentId: string; types: readonly ExceptionType[] } | { incidentId: string };

export interface ResolveOptions {
  note: string;
  at: Date;
  /** Defaults to `auto_resolved`. */
  resolutionCode?: string;
  /** Defaults to `system`. */
  actor?: string;
}

/** The batch as a relation, for the statements of `openMany`. */
const OPEN_INPUT = `input AS (SELECT * FROM jsonb_to_recordset($1::jsonb) AS i(shipment_id uuid, retailer_id uuid, type text, severity text,
                                                                         sla_due_at timestamptz, occurrence_key text, note text))`;

/**
 * Opens and resolves exceptions inside the caller's transaction, so that an exception exists exactly when
 * the write that caused it does. At most one exception is open per (shipment, type): a partial unique index
 * enforces it, and `openMany` inserts against it with ON CONFLICT DO NOTHING, so concurrent openers agree.
 * Every writer of exceptions (the journey-event projector, inbound replies, the detectors, incidents) goes
 * through `openMany` and `resolveWhere`: a batch costs two statements at most, whatever its size.
 */
@Injectable()
export class ExceptionsService {
  private readonly slaHours: Readonly<Record<ExceptionType, number>>;

  constructor(@Inject(APP_CONFIG) config: AppConfig) {
    this.slaHours = { ...DEFAULT_SLA_HOURS, ...config.exceptions.slaHours };
  }

  slaDueAt(type: ExceptionType, openedAt: Date): Date {
    return new Date(openedAt.getTime() + this.slaHours[type] * 3_600_000);
  }

  /**
   * Opens an exception of `type` on the shipment, or returns the one already open (`created: false`), to
   * which the note is appended as a system note. Throws when the shipment does not exist for that retailer.
   */
  async open(tx: EntityManager, input: OpenExceptionInput): Promise<{ id: string; created: boolean }> {
    const [opened] = await this.openMany(
      tx,
      [{ shipmentId: input.shipmentId, retailerId: input.retailerId, type: input.type, severity: input.severity, occurrenceKey: input.occurrenceKey }],
      { source: input.source, actor: input.actor, note: input.note, incidentId: input.incidentId, at: input.at },
    );
    if (!opened) throw new Error(`no shipment ${input.shipmentId} for retailer ${input.retailerId}`);
    return { id: opened.id, created: opened.created };
  }

  /**
   * Opens an exception per row, set-based: the rows whose shipment belongs to their retailer get a new
   * exception with an `opened` entry; where one of that type is already open, it gets a `system_note` (when
   * there is a note, or it is linked to the incident now) and is returned with `created: false`. Rows whose
   * shipment is not the retailer's are left out of the result. One statement opens the batch; a second, only
   * when some were already open, notes them.
   */
  async openMany(tx: EntityManager, rows: readonly OpenRow[], o: OpenManyOptions): Promise<OpenedException[]> {
    // One row per (shipment, type), in id order: the order every batch locks in.
    const unique = new Map<string, OpenRow>();
    for (const r of rows) if (!unique.has(`${r.shipmentId}|${r.type}`)) unique.set(`${r.shipmentId}|${r.type}`, r);
    const batch = [...unique.values()].sort((a, b) => (a.shipmentId < b.shipmentId ? -1 : a.shipmentId > b.shipmentId ? 1 : a.type < b.type ? -1 : 1));
    if (batch.length === 0) return [];
    const input = (list: OpenRow[]) =>
      JSON.stringify(
        list.map((r) => ({
          shipment_id: r.shipmentId,
          retailer_id: r.retailerId,
          type: r.type,
          severity: r.severity ?? DEFAULT_SEVERITY[r.type],
          sla_due_at: this.slaDueAt(r.type, o.at),
          occurrence_key: r.occurrenceKey ?? null,
          note: r.note ?? o.note ?? null,
        })),
      );
    const actor = o.actor ?? 'system';
    const incidentId = o.incidentId ?? null;
    // $1 input, $2 source, $3 at, $4 incident, $5 actor. Null keys are left out of the log bodies.
    const created: Array<{ id: string; shipment_id: string; type: ExceptionType }> = await tx.query(
      `WITH ${OPEN_INPUT},
       ins AS (
         INSERT INTO exceptions (retailer_id, shipment_id, type, severity, status, source, destination_country, sla_due_at,
                                 opened_at, occurrence_key, incident_id, created_at, updated_at)
         SELECT s.retailer_id, s.id, i.type, i.severity, 'open', $2, s.destination_country, i.sla_due_at, $3, i.occurrence_key, $4::uuid, $3, $3
           FROM input i JOIN shipments s ON s.id = i.shipment_id AND s.retailer_id = i.retailer_id
         ON CONFLICT (shipment_id, type) WHERE status <> 'resolved' DO NOTHING
         RETURNING id, shipment_id, type
       ), logged AS (
         INSERT INTO exception_events (exception_id, kind, actor, body, created_at)
         SELECT ins.id, 'opened', $5,
                jsonb_strip_nulls(jsonb_build_object('type', i.type, 'severity', i.severity, 'source', $2::text, 'occurrenceKey', i.occurrence_key,
                                                     'incidentId', $4::text, 'note', i.note)), $3
           FROM ins JOIN input i ON i.shipment_id = ins.shipment_id AND i.type = ins.type
       )
       SELECT id::text, shipment_id::text, type FROM ins`,
      [input(batch), o.source, o.at, incidentId, actor],
    );
    const out: OpenedException[] = created.map((r) => ({ shipmentId: r.shipment_id, type: r.type, id: r.id, created: true }));
    if (created.length === batch.length) return out;
    const done = new Set(created.map((r) => `${r.shipment_id}|${r.type}`));
    const rest = batch.filter((r) => !done.has(`${r.shipmentId}|${r.type}`));
    // Already open (or opened meanwhile by a concurrent writer, whose commit this statement's snapshot sees).
    const existing: Array<{ id: string; shipment_id: string; type: ExceptionType }> = await tx.query(
      `WITH ${OPEN_INPUT},
       open AS (
         SELECT x.id, x.shipment_id, x.type, i.note, i.occurrence_key
           FROM input i JOIN exceptions x ON x.shipment_id = i.shipment_id AND x.retailer_id = i.retailer_id AND x.type = i.type
          WHERE x.status <> 'resolved'
       ), linked AS (
         UPDATE exceptions x SET incident_id = $4::uuid, updated_at = $3 FROM open
          WHERE $4::uuid IS NOT NULL AND x.id = open.id AND x.incident_id IS NULL
          RETURNING x.id
       ), noted AS (
         INSERT INTO exception_events (exception_id, kind, actor, body, created_at)
         SELECT open.id, 'system_note', $5,
                jsonb_strip_nulls(jsonb_build_object('note', open.note, 'incidentId', CASE WHEN linked.id IS NOT NULL THEN $4::text END,
                                                     'occurrenceKey', open.occurrence_key, 'source', $2::text)), $3
           FROM open LEFT JOIN linked ON linked.id = open.id
          WHERE open.note IS NOT NULL OR linked.id IS NOT NULL
       )
       SELECT id::text, shipment_id::text, type FROM open`,
      [input(rest), o.source, o.at, incidentId, actor],
    );
    return [...out, ...existing.map((r) => ({ shipmentId: r.shipment_id, type: r.type, id: r.id, created: false }))];
  }

  /**
   * Resolves the shipment's open exceptions of the given types (the journey moved past them), each with a
   * `resolved` event carrying the note. Returns how many it resolved.
   */
  resolveOpen(tx: EntityManager, input: ResolveOpenInput): Promise<number> {
    const { shipmentId, types, ...options } = input;
    return this.resolveWhere(tx, { shipmentId, types }, options);
  }

  /**
   * Resolves every unresolved exception in scope, in one statement, each with a `resolved` entry marked
   * automatic. Returns how many it resolved.
   */
  async resolveWhere(tx: EntityManager, scope: ResolveScope, o: ResolveOptions): Promise<number> {
    if ('types' in scope && scope.types.length === 0) return 0;
    // $1 at, $2 code, $3 note, $4 actor, then the scope's.
    const where = 'incidentId' in scope ? 'incident_id = $5' : 'shipment_id = $5 AND type = ANY($6::text[])';
    const scoped = 'incidentId' in scope ? [scope.incidentId] : [scope.shipmentId, [...scope.types]];
    const [{ n }]: Array<{ n: number }> = await tx.query(
      `WITH resolved AS (
         UPDATE exceptions SET status = 'resolved', resolved_at = $1, resolution_code = $2, updated_at = $1
          WHERE ${where} AND status <> 'resolved'
          RETURNING id
       ), logged AS (
         INSERT INTO exception_events (exception_id, kind, actor, body, created_at)
         SELECT id, 'resolved', $4, jsonb_build_object('resolutionCode', $2::text, 'note', $3::text, 'automatic', true), $1 FROM resolved
       )
       SELECT count(*)::int AS n FROM resolved`,
      [o.at, o.resolutionCode ?? 'auto_resolved', o.note, o.actor ?? 'system', ...scoped],
    );
    return n;
  }

  /** Appends one entry to an exception's log. */
  async event(tx: EntityManager, exceptionId: string, kind: string, actor: string, body: object, at: Date): Promise<void> {
    await tx.query(`INSERT INTO exception_events (exception_id, kind, actor, body, created_at) VALUES ($1, $2, $3, $4, $5)`, [
      exceptionId,
      kind,
      actor,
      JSON.stringify(body),
      at,
    ]);
  }
}
