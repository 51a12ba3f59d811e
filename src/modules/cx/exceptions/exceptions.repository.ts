import { Injectable } from '@nestjs/common';
import { DataSource, EntityManager } from 'typeorm';
import { ExceptionStatus, ExceptionType } from './exception-types';
import { ExceptionSort } from './exceptions.dto';

export interface ExceptionRow {
  id: string;
  retailer_id: string;
  shipment_id: string;
  tracking_number: string;
  type: ExceptionType;
  severity: string;
  status: ExceptionStatus;
  assignee_id: string | null;
  source: string;
  destination_country: string | null;
  sla_due_at: Date;
  opened_at: Date;
  first_touch_at: Date | null;
  touches: number;
  resolved_at: Date | null;
  resolution_code: string | null;
  reopened_count: number;
  last_reopened_at: Date | null;
  incident_id: string | null;
  consignee_notified_at: Date | null;
  occurrence_key: string | null;
}

export interface ExceptionEventRow {
  id: string;
  kind: string;
  actor: string;
  body: Record<string, unknown>;
  created_at: Date;
}

export interface ExceptionFilter {
  types?: ExceptionType[];
  /** `unresolved`: anything but resolved (the default). */
  status: ExceptionStatus | 'unresolved';
  country?: string;
  retailerId?: string;
  assigneeId?: string;
  openedBefore?: Date;
  slaBreached?: boolean;
  incidentId?: string;
  sort: ExceptionSort;
  order: 'asc' | 'desc';
  after?: { value: Date; id: string };
  limit: number;
  now: Date;
}

/**
 * Columns an agent action may change. Every action but routing is a touch (first-contact resolution counts
 * them; the first one is the response time): `touch: false` for an assignment, which moves the case to
 * someone without acting on it.
 */
export interface ExceptionChange {
  touch?: boolean;
  status?: ExceptionStatus;
  assigneeId?: string | null;
  resolvedAt?: Date | null;
  resolutionCode?: string | null;
  reopened?: boolean;
}

const SELECT = `SELECT e.id, e.retailer_id, e.shipment_id, s.tracking_number, e.type, e.severity, e.status, e.assignee_id, e.source,
                       e.destination_country, e.sla_due_at, e.opened_at, e.first_touch_at, e.touches, e.resolved_at, e.resolution_code,
                       e.reopened_count, e.last_reopened_at, e.incident_id, e.consignee_notified_at, e.occurrence_key
                  FROM exceptions e JOIN shipments s ON s.id = e.shipment_id`;

/**
 * One page of the queue, keyset-paginated on (sort column, id). Each filter leads one of the indexes of the
 * migration (status, retailer, assignee, incident, type, country, and the partial indexes of unresolved ones).
 */
export function listQuery(f: ExceptionFilter): { sql: string; params: unknown[] } {
  const where: string[] = [];
  const params: unknown[] = [];
  const p = (value: unknown) => {
    params.push(value);
    return `$${params.length}`;
  };
  if (f.status === 'unresolved') where.push(`e.status <> 'resolved'`);
  else where.push(`e.status = ${p(f.status)}`);
  // One type as an equality, so that its ordered index can serve the page.
  if (f.types?.length === 1) where.push(`e.type = ${p(f.types[0])}`);
  else if (f.types?.length) where.push(`e.type = ANY(${p(f.types)}::text[])`);
  if (f.country) where.push(`e.destination_country = ${p(f.country)}`);
  if (f.retailerId) where.push(`e.retailer_id = ${p(f.retailerId)}`);
  if (f.assigneeId) where.push(`e.assignee_id = ${p(f.assigneeId)}`);
  if (f.incidentId) where.push(`e.incident_id = ${p(f.incidentId)}`);
  if (f.openedBefore) where.push(`e.opened_at < ${p(f.openedBefore)}`);
  if (f.slaBreached !== undefined) {
    where.push(`e.status <> 'resolved'`, `e.sla_due_at ${f.slaBreached ? '<' : '>='} ${p(f.now)}`);
  }
  const dir = f.order === 'desc' ? 'DESC' : 'ASC';
  if (f.after) where.push(`(e.${f.sort}, e.id) ${f.order === 'desc' ? '<' : '>'} (${p(f.after.value)}, ${p(f.after.id)}::uuid)`);
  const sql = `${SELECT} WHERE ${where.join(' AND ')} ORDER BY e.${f.sort} ${dir}, e.id ${dir} LIMIT ${p(f.limit)}`;
  return { sql, params };
}

/** The desk's reads and agent writes on exceptions (opening and auto-resolution live in ExceptionsService). */
@Injectable()
export class ExceptionsRepository {
  constructor(private readonly db: DataSource) {}

  async list(f: ExceptionFilter): Promise<ExceptionRow[]> {
    const { sql, params } = listQuery(f);
    return this.db.query(sql, params);
  }

  async find(id: string, db: EntityManager = this.db.manager, lock = false): Promise<ExceptionRow | undefined> {
    const rows: ExceptionRow[] = await db.query(`${SELECT} WHERE e.id = $1${lock ? ' FOR UPDATE OF e' : ''}`, [id]);
    return rows[0];
  }

  events(exceptionId: string): Promise<ExceptionEventRow[]> {
    return this.db.query(`SELECT id::text, kind, actor, body, created_at FROM exception_events WHERE exception_id = $1 ORDER BY id`, [exceptionId]);
  }

  /** Applies an agent's change, counting it as a touch unless it is only routing. */
  async change(tx: EntityManager, id: string, c: ExceptionChange, at: Date): Promise<void> {
    const sets = c.touch === false ? ['updated_at = $2'] : ['touches = touches + 1', 'first_touch_at = COALESCE(first_touch_at, $2)', 'updated_at = $2'];
    const params: unknown[] = [id, at];
    const set = (column: string, value: unknown) => {
      params.push(value);
      sets.push(`${column} = $${params.length}`);
    };
    if (c.status !== undefined) set('status', c.status);
    if (c.assigneeId !== undefined) set('assignee_id', c.assigneeId);
    if (c.resolvedAt !== undefined) set('resolved_at', c.resolvedAt);
    if (c.resolutionCode !== undefined) set('resolution_code', c.resolutionCode);
    if (c.reopened) sets.push('reopened_count = reopened_count + 1', 'last_reopened_at = $2');
    await tx.query(`UPDATE exceptions SET ${sets.join(', ')} WHERE id = $1`, params);
  }

  async activeAdminUser(tx: EntityManager, id: string): Promise<boolean> {
    const rows: unknown[] = await tx.query(`SELECT 1 FROM admin_users WHERE id = $1 AND disabled_at IS NULL`, [id]);
    return rows.length > 0;
  }
}
