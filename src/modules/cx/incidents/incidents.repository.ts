import { Injectable } from '@nestjs/common';
import { DataSource, EntityManager } from 'typeorm';
import { ACTIVE_STATUSES_SQL, IncidentKind, IncidentScope, scopePredicate } from './incident-scope';

export interface IncidentRow {
  id: string;
  kind: IncidentKind;
  title: string;
  scope_type: IncidentScope['type'];
  scope: Record<string, unknown>;
  expected_delay_hours: number;
  messages: Record<string, string> | null;
  resolution_messages: Record<string, string> | null;
  status: 'open' | 'closed';
  declared_by: string;
  closed_by: string | null;
  shipments_count: number;
  exceptions_opened: number;
  consignees_notified: number;
  resolutions_notified: number;
  last_swept_at: Date | null;
  created_at: Date;
  closed_at: Date | null;
}

/** A shipment about to be taken into an incident, as the fan-out needs it. */
export interface FanOutShipment {
  id: string;
  retailer_id: string;
  tracking_number: string;
  status: string;
  email: string | null;
  phone: string | null;
  estimated_delivery_from: Date | null;
  estimated_delivery_to: Date | null;
}

export interface IncludedShipment {
  shipmentId: string;
  retailerId: string;
  contactHash: string | null;
  exceptionId: string | null;
  exceptionCreated: boolean;
  notified: boolean;
}

export interface IncidentPreview {
  shipments: number;
  consignees: number;
  retailers: number;
  sample: Array<{ id: string; trackingNumber: string; retailerId: string; status: string; destinationCountry: string }>;
}

/** An advisory-lock key per incident: one fan-out (declare, sweep, close) at a time across every instance. */
const LOCK_SQL = `hashtextextended('incident:' || $1::text, 0)`;

/** Incidents, the shipments they took in, and the set-based writes of a fan-out batch. */
@Injectable()
export class IncidentsRepository {
  constructor(private readonly db: DataSource) {}

  async insert(
    tx: EntityManager,
    i: { kind: IncidentKind; title: string; scope: IncidentScope; scopeView: object; expectedDelayHours: number; messages: Record<string, string> | null; declaredBy: string; at: Date },
  ): Promise<string> {
    const [{ id }]: Array<{ id: string }> = await tx.query(
      `INSERT INTO incidents (kind, title, scope_type, scope, expected_delay_hours, messages, declared_by, created_at, updated_at)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $8) RETURNING id`,
      [i.kind, i.title, i.scope.type, JSON.stringify(i.scopeView), i.expectedDelayHours, i.messages ? JSON.stringify(i.messages) : null, i.declaredBy, i.at],
    );
    return id;
  }

  async find(db: EntityManager | DataSource, id: string): Promise<IncidentRow | undefined> {
    const rows: IncidentRow[] = await db.query(`SELECT * FROM incidents WHERE id = $1`, [id]);
    return rows[0];
  }

  /** Newest first; keyset on (created_at, id). */
  list(q: { status?: 'open' | 'closed'; before?: { createdAt: Date; id: string }; limit: number }): Promise<IncidentRow[]> {
    return this.db.query(
      `SELECT * FROM incidents
        WHERE ($1::text IS NULL OR status = $1)
          AND ($2::timestamptz IS NULL OR (created_at, id) < ($2, $3::uuid))
        ORDER BY created_at DESC, id DESC LIMIT $4`,
      [q.status ?? null, q.before?.createdAt ?? null, q.before?.id ?? null, q.limit],
    );
  }

  openIds(): Promise<Array<{ id: string }>> {
    return this.db.query(`SELECT id FROM incidents WHERE status = 'open' ORDER BY created_at`);
  }

  /** Waits for the incident's lock (an agent's declare or close). */
  async lock(tx: EntityManager, id: string): Promise<void> {
    await tx.query(`SELECT pg_advisory_xact_lock(${LOCK_SQL})`, [id]);
  }

  /** Takes the incident's lock only if free (a sweep leaves a busy incident to whoever holds it). */
  async tryLock(tx: EntityManager, id: string): Promise<boolean> {
    const [{ locked }]: Array<{ locked: boolean }> = await tx.query(`SELECT pg_try_advisory_xact_lock(${LOCK_SQL}) AS locked`, [id]);
    return locked;
  }

  /** How many shipments and consignees a scope covers now, and a few of them. */
  async preview(scope: IncidentScope, since: Date): Promise<IncidentPreview> {
    const where = scopePredicate(scope, since, 1);
    const [counts]: Array<{ shipments: number; consignees: number; retailers: number }> = await this.db.query(
      `SELECT count(*)::int AS shipments,
              count(DISTINCT (s.retailer_id, coalesce(lower(s.consignee->>'email'), s.consignee->>'phone')))::int AS consignees,
              count(DISTINCT s.retailer_id)::int AS retailers
         FROM shipments s WHERE ${where.sql}`,
      where.params,
    );
    const sample: IncidentPreview['sample'] = await this.db.query(
      `SELECT s.id, s.tracking_number AS "trackingNumber", s.retailer_id AS "retailerId", s.status, s.destination_country AS "destinationCountry"
         FROM shipments s WHERE ${where.sql} ORDER BY s.id LIMIT 10`,
      where.params,
    );
    return { ...counts, sample };
  }

  /** Ids in scope, on their way, and not yet taken into the incident. */
  async candidates(incidentId: string, scope: IncidentScope, since: Date): Promise<string[]> {
    const where = scopePredicate(scope, since, 2);
    const rows: Array<{ id: string }> = await this.db.query(
      `SELECT s.id FROM shipments s
        WHERE ${where.sql}
          AND NOT EXISTS (SELECT 1 FROM incident_shipments i WHERE i.incident_id = $1 AND i.shipment_id = s.id)
        ORDER BY s.id`,
      [incidentId, ...where.params],
    );
    return rows.map((r) => r.id);
  }

  /** The batch's shipments, rechecked under the lock: still on their way and not yet in the incident. */
  loadBatch(tx: EntityManager, incidentId: string, ids: string[]): Promise<FanOutShipment[]> {
    return tx.query(
      `SELECT s.id, s.retailer_id, s.tracking_number, s.status, s.consignee->>'email' AS email, s.consignee->>'phone' AS phone,
              s.estimated_delivery_from, s.estimated_delivery_to
         FROM shipments s
        WHERE s.id = ANY($2::uuid[]) AND s.status IN ${ACTIVE_STATUSES_SQL}
          AND NOT EXISTS (SELECT 1 FROM incident_shipments i WHERE i.incident_id = $1 AND i.shipment_id = s.id)
        ORDER BY s.id`,
      [incidentId, ids],
    );
  }

  /** Consignees of this incident already told, among these contact hashes: `${retailerId}|${hash}`. */
  async notifiedContacts(tx: EntityManager, incidentId: string, hashes: string[]): Promise<Set<string>> {
    if (hashes.length === 0) return new Set();
    const rows: Array<{ retailer_id: string; contact_hash: string }> = await tx.query(
      `SELECT retailer_id, contact_hash FROM incident_shipments
        WHERE incident_id = $1 AND notified_at IS NOT NULL AND contact_hash = ANY($2::text[])`,
      [incidentId, hashes],
    );
    return new Set(rows.map((r) => `${r.retailer_id}|${r.contact_hash}`));
  }

  /** Retailers that already have shipments in the incident (and so had their notice). */
  async retailersIncluded(tx: EntityManager, incidentId: string, retailerIds: string[]): Promise<Set<string>> {
    const rows: Array<{ retailer_id: string }> = await tx.query(
      `SELECT DISTINCT retailer_id FROM incident_shipments WHERE incident_id = $1 AND retailer_id = ANY($2::uuid[])`,
      [incidentId, retailerIds],
    );
    return new Set(rows.map((r) => r.retailer_id));
  }

  async include(tx: EntityManager, incidentId: string, rows: IncludedShipment[], at: Date): Promise<void> {
    await tx.query(
      `INSERT INTO incident_shipments (incident_id, shipment_id, retailer_id, contact_hash, exception_id, exception_created, included_at, notified_at)
       SELECT $1, r.shipment_id, r.retailer_id, r.contact_hash, r.exception_id, r.exception_created, $2, CASE WHEN r.notified THEN $2::timestamptz END
         FROM jsonb_to_recordset($3::jsonb) AS r(shipment_id uuid, retailer_id uuid, contact_hash text, exception_id uuid, exception_created boolean, notified boolean)`,
      [
        incidentId,
        at,
        JSON.stringify(
          rows.map((r) => ({
            shipment_id: r.shipmentId,
            retailer_id: r.retailerId,
            contact_hash: r.contactHash,
            exception_id: r.exceptionId,
            exception_created: r.exceptionCreated,
            notified: r.notified,
          })),
        ),
      ],
    );
  }

  async addProgress(tx: EntityManager, id: string, p: { shipments: number; exceptions: number; notified: number }, at: Date): Promise<void> {
    await tx.query(
      `UPDATE incidents SET shipments_count = shipments_count + $2, exceptions_opened = exceptions_opened + $3,
              consignees_notified = consignees_notified + $4, last_swept_at = $5, updated_at = $5
        WHERE id = $1`,
      [id, p.shipments, p.exceptions, p.notified, at],
    );
  }

  async markSwept(id: string, at: Date): Promise<void> {
    await this.db.query(`UPDATE incidents SET last_swept_at = $2 WHERE id = $1`, [id, at]);
  }

  /** Closes an open incident; false when it is not open. */
  async close(tx: EntityManager, id: string, c: { by: string; messages: Record<string, string> | null; at: Date }): Promise<boolean> {
    const rows: unknown[] = await tx.query(
      `WITH closed AS (
         UPDATE incidents SET status = 'closed', closed_at = $2, closed_by = $3, resolution_messages = $4, updated_at = $2
          WHERE id = $1 AND status = 'open' RETURNING id)
       SELECT id FROM closed`,
      [id, c.at, c.by, c.messages ? JSON.stringify(c.messages) : null],
    );
    return rows.length === 1;
  }

  /**
   * The resolution notice, set-based: a journey event for each consignee told of the incident whose parcel is
   * still on its way. Returns how many.
   */
  async writeResolutions(tx: EntityManager, incident: IncidentRow, messages: Record<string, string> | null, at: Date): Promise<number> {
    const notice = { id: incident.id, kind: incident.kind, messages, notifyConsignee: true };
    const [{ n }]: Array<{ n: number }> = await tx.query(
      `WITH targets AS (
         SELECT i.shipment_id, s.retailer_id, s.tracking_number, s.status
           FROM incident_shipments i JOIN shipments s ON s.id = i.shipment_id
          WHERE i.incident_id = $1 AND i.notified_at IS NOT NULL AND i.resolution_notified_at IS NULL
            AND s.status IN ${ACTIVE_STATUSES_SQL}
       ), events AS (
         INSERT INTO journey_events (shipment_id, retailer_id, type, payload, occurred_at)
         SELECT shipment_id, retailer_id, 'shipment.incident_resolved',
                jsonb_build_object('shipmentId', shipment_id, 'retailerId', retailer_id, 'trackingNumber', tracking_number,
                                   'from', status, 'to', status, 'code', NULL, 'reason', $3::text, 'source', 'incident',
                                   'occurredAt', $4::text, 'incident', $2::jsonb),
                $5
           FROM targets
       ), marked AS (
         UPDATE incident_shipments i SET resolution_notified_at = $5 FROM targets t
          WHERE i.incident_id = $1 AND i.shipment_id = t.shipment_id
       )
       SELECT count(*)::int AS n FROM targets`,
      [incident.id, JSON.stringify(notice), incident.kind, at.toISOString(), at],
    );
    await tx.query(`UPDATE incidents SET resolutions_notified = resolutions_notified + $2 WHERE id = $1`, [incident.id, n]);
    return n;
  }

  /** Consignee messages planned for the incident's notice, by status. */
  async messageCounts(incidentId: string): Promise<Record<string, number>> {
    const rows: Array<{ status: string; n: number }> = await this.db.query(
      `SELECT m.status, count(*)::int AS n
         FROM incident_shipments i
         JOIN messages m ON m.shipment_id = i.shipment_id AND m.audience = 'consignee' AND m.milestone = 'incident:' || i.incident_id::text
        WHERE i.incident_id = $1 AND i.notified_at IS NOT NULL
        GROUP BY m.status`,
      [incidentId],
    );
    return Object.fromEntries(rows.map((r) => [r.status, r.n]));
  }
}
