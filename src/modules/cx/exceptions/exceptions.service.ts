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

/**
 * Opens and resolves exceptions inside the caller's transaction, so that an exception exists exactly when
 * the write that caused it does. At most one exception is open per (shipment, type): a partial unique index
 * enforces it, and `open` inserts against it with ON CONFLICT DO NOTHING, so concurrent openers agree.
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
    const actor = input.actor ?? 'system';
    const severity = input.severity ?? DEFAULT_SEVERITY[input.type];
    const inserted: Array<{ id: string }> = await tx.query(
      `INSERT INTO exceptions (retailer_id, shipment_id, type, severity, status, source, destination_country, sla_due_at,
                               opened_at, occurrence_key, incident_id, created_at, updated_at)
       SELECT s.retailer_id, s.id, $3, $4, 'open', $5, s.destination_country, $6, $7, $8, $9, $7, $7
         FROM shipments s WHERE s.id = $1 AND s.retailer_id = $2
       ON CONFLICT (shipment_id, type) WHERE status <> 'resolved' DO NOTHING
       RETURNING id`,
      [
        input.shipmentId,
        input.retailerId,
        input.type,
        severity,
        input.source,
        this.slaDueAt(input.type, input.at),
        input.at,
        input.occurrenceKey ?? null,
        input.incidentId ?? null,
      ],
    );
    if (inserted.length > 0) {
      const id = inserted[0].id;
      await this.event(tx, id, 'opened', actor, {
        type: input.type,
        severity,
        source: input.source,
        ...(input.occurrenceKey ? { occurrenceKey: input.occurrenceKey } : {}),
        ...(input.incidentId ? { incidentId: input.incidentId } : {}),
        ...(input.note ? { note: input.note } : {}),
      }, input.at);
      return { id, created: true };
    }
    // A conflicting insert waited for the other opener to commit; this statement's snapshot sees its row.
    const existing: Array<{ id: string; incident_id: string | null }> = await tx.query(
      `SELECT id, incident_id FROM exceptions WHERE shipment_id = $1 AND retailer_id = $2 AND type = $3 AND status <> 'resolved'`,
      [input.shipmentId, input.retailerId, input.type],
    );
    if (existing.length === 0) throw new Error(`no shipment ${input.shipmentId} for retailer ${input.retailerId}`);
    const { id } = existing[0];
    if (input.incidentId && !existing[0].incident_id) {
      await tx.query(`UPDATE exceptions SET incident_id = $2, updated_at = $3 WHERE id = $1`, [id, input.incidentId, input.at]);
    }
    if (input.note || (input.incidentId && !existing[0].incident_id)) {
      await this.event(tx, id, 'system_note', actor, {
        ...(input.note ? { note: input.note } : {}),
        ...(input.incidentId && !existing[0].incident_id ? { incidentId: input.incidentId } : {}),
        ...(input.occurrenceKey ? { occurrenceKey: input.occurrenceKey } : {}),
        source: input.source,
      }, input.at);
    }
    return { id, created: false };
  }

  /**
   * Resolves the shipment's open exceptions of the given types (the journey moved past them), each with a
   * `resolved` event carrying the note. Returns how many it resolved.
   */
  async resolveOpen(tx: EntityManager, input: ResolveOpenInput): Promise<number> {
    if (input.types.length === 0) return 0;
    const rows: Array<{ n: number }> = await tx.query(
      `WITH resolved AS (
         UPDATE exceptions SET status = 'resolved', resolved_at = $3, resolution_code = $4, updated_at = $3
          WHERE shipment_id = $1 AND type = ANY($2::text[]) AND status <> 'resolved'
          RETURNING id
       ), logged AS (
         INSERT INTO exception_events (exception_id, kind, actor, body, created_at)
         SELECT id, 'resolved', $6, jsonb_build_object('resolutionCode', $4::text, 'note', $5::text, 'automatic', true), $3 FROM resolved
       )
       SELECT count(*)::int AS n FROM resolved`,
      [input.shipmentId, [...input.types], input.at, input.resolutionCode ?? 'auto_resolved', input.note, input.actor ?? 'system'],
    );
    return rows[0].n;
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
