import { Injectable } from '@nestjs/common';
import { DataSource, EntityManager } from 'typeorm';

export interface AuditEntry {
  /** Who: `admin:<keyId>`, `retailer:<retailerId>`, `seed`, `system`. */
  actor: string;
  /** What, as `<resource>.<verb>`: `rule_set.version_created`, `fx_rate.created`, `retailer.settings_updated`. */
  action: string;
  targetType: string;
  targetId: string;
  retailerId?: string | null;
  before?: unknown;
  after?: unknown;
}

export interface StoredAuditEntry extends AuditEntry {
  id: string;
  createdAt: Date;
}

export interface AuditQuery {
  actor?: string;
  targetType?: string;
  targetId?: string;
  from?: Date;
  to?: Date;
  /** Keyset: entries older than this id. */
  beforeId?: string;
  limit: number;
}

interface AuditRow {
  id: string;
  actor: string;
  action: string;
  target_type: string;
  target_id: string;
  retailer_id: string | null;
  before: unknown;
  after: unknown;
  created_at: Date;
}

/**
 * The audit log: one immutable row per operator (or retailer settings) write, recorded in the transaction
 * of the write itself so that no change exists without its entry.
 */
@Injectable()
export class AuditLog {
  constructor(private readonly db: DataSource) {}

  async record(tx: EntityManager, entry: AuditEntry): Promise<void> {
    await tx.query(
      `INSERT INTO audit_log (actor, action, target_type, target_id, retailer_id, before, after)
       VALUES ($1, $2, $3, $4, $5, $6, $7)`,
      [
        entry.actor,
        entry.action,
        entry.targetType,
        entry.targetId,
        entry.retailerId ?? null,
        entry.before === undefined ? null : JSON.stringify(entry.before),
        entry.after === undefined ? null : JSON.stringify(entry.after),
      ],
    );
  }

  /** Newest first. */
  async list(q: AuditQuery): Promise<StoredAuditEntry[]> {
    const where: string[] = [];
    const params: unknown[] = [];
    const add = (sql: string, value: unknown) => {
      params.push(value);
      where.push(sql.replace('?', `$${params.length}`));
    };
    if (q.actor) add('actor = ?', q.actor);
    if (q.targetType) add('target_type = ?', q.targetType);
    if (q.targetId) add('target_id = ?', q.targetId);
    if (q.from) add('created_at >= ?', q.from);
    if (q.to) add('created_at < ?', q.to);
    if (q.beforeId) add('id < ?', q.beforeId);
    params.push(q.limit);
    const rows: AuditRow[] = await this.db.query(
      `SELECT * FROM audit_log ${where.length ? `WHERE ${where.join(' AND ')}` : ''} ORDER BY id DESC LIMIT $${params.length}`,
      params,
    );
    return rows.map((r) => ({
      id: String(r.id),
      actor: r.actor,
      action: r.action,
      targetType: r.target_type,
      targetId: r.target_id,
      retailerId: r.retailer_id,
      before: r.before,
      after: r.after,
      createdAt: r.created_at,
    }));
  }
}
