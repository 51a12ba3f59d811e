import { Injectable } from '@nestjs/common';
import { DataSource, EntityManager } from 'typeorm';
import { Clock } from '../../../common/clock/clock';
import { AuditLog } from '../../audit/audit.repository';
import { CxErrors } from '../cx.errors';
import {
  AddNoteDto,
  AssignExceptionDto,
  ExceptionDetailDto,
  ExceptionDto,
  ExceptionListQueryDto,
  ExceptionPageDto,
  ReopenExceptionDto,
  ResolveExceptionDto,
} from './exceptions.dto';
import { ExceptionEventRow, ExceptionRow, ExceptionsRepository } from './exceptions.repository';
import { ExceptionsService } from './exceptions.service';
import { decodeKeysetCursor, encodeKeysetCursor } from '../../../common/http/keyset-cursor';

const iso = (d: Date | string | null) => (d === null ? null : new Date(d).toISOString());

export function toExceptionDto(r: ExceptionRow, now: Date): ExceptionDto {
  const due = new Date(r.sla_due_at).getTime();
  return {
    id: r.id,
    shipmentId: r.shipment_id,
    retailerId: r.retailer_id,
    trackingNumber: r.tracking_number,
    type: r.type,
    severity: r.severity,
    status: r.status,
    source: r.source,
    assigneeId: r.assignee_id,
    destinationCountry: r.destination_country,
    slaDueAt: iso(r.sla_due_at)!,
    slaBreached: (r.resolved_at ? new Date(r.resolved_at).getTime() : now.getTime()) > due,
    openedAt: iso(r.opened_at)!,
    firstTouchAt: iso(r.first_touch_at),
    touches: r.touches,
    resolvedAt: iso(r.resolved_at),
    resolutionCode: r.resolution_code,
    reopenedCount: r.reopened_count,
    lastReopenedAt: iso(r.last_reopened_at),
    incidentId: r.incident_id,
    consigneeNotifiedAt: iso(r.consignee_notified_at),
    occurrenceKey: r.occurrence_key,
  };
}

const toEventDto = (e: ExceptionEventRow) => ({ id: e.id, kind: e.kind, actor: e.actor, body: e.body, createdAt: iso(e.created_at)! });

/** What the audit log keeps of an exception: its workable state, never notes' text. */
const auditState = (r: Pick<ExceptionRow, 'status' | 'assignee_id' | 'resolution_code'>) => ({
  status: r.status,
  assigneeId: r.assignee_id,
  resolutionCode: r.resolution_code,
});

/**
 * The agent's side of exceptions: list, read, assign, note, resolve, reopen. Every write runs in one
 * transaction with its exception event and its audit entry. Notes, resolutions and reopenings count as
 * touches (for first-contact resolution and response time); an assignment is routing and does not.
 */
@Injectable()
export class ExceptionDeskService {
  constructor(
    private readonly db: DataSource,
    private readonly repository: ExceptionsRepository,
    private readonly exceptions: ExceptionsService,
    private readonly audit: AuditLog,
    private readonly clock: Clock,
  ) {}

  async list(q: ExceptionListQueryDto): Promise<ExceptionPageDto> {
    const now = this.clock.now();
    const limit = q.limit ?? 50;
    const sort = q.sort ?? 'opened_at';
    const rows = await this.repository.list({
      types: q.type,
      status: q.status ?? 'unresolved',
      country: q.country,
      retailerId: q.retailerId,
      assigneeId: q.assigneeId,
      incidentId: q.incidentId,
      openedBefore: q.olderThanHours !== undefined ? new Date(now.getTime() - q.olderThanHours * 3_600_000) : undefined,
      slaBreached: q.slaBreached,
      sort,
      order: q.order ?? 'asc',
      after: q.cursor ? keysetValue(q.cursor) : undefined,
      limit: limit + 1,
      now,
    });
    const page = rows.slice(0, limit);
    const last = page[page.length - 1];
    return {
      data: page.map((r) => toExceptionDto(r, now)),
      nextCursor: rows.length > limit ? encodeKeysetCursor(sort === 'opened_at' ? last.opened_at : last.sla_due_at, last.id) : null,
    };
  }

  async get(id: string): Promise<ExceptionDetailDto> {
    const row = await this.repository.find(id);
    if (!row) throw CxErrors.exceptionNotFound();
    const events = await this.repository.events(id);
    return { ...toExceptionDto(row, this.clock.now()), events: events.map(toEventDto) };
  }

  /** Assigning an open exception starts work on it (`in_progress`); it routes the case, so it is not a touch. */
  async assign(actor: string, id: string, dto: AssignExceptionDto): Promise<ExceptionDetailDto> {
    const assigneeId = dto.assigneeId ?? null;
    await this.write(id, async (tx, row, at) => {
      if (row.status === 'resolved') throw CxErrors.exceptionResolved();
      if (assigneeId && !(await this.repository.activeAdminUser(tx, assigneeId))) throw CxErrors.assigneeNotFound();
      const status = row.status === 'open' && assigneeId ? 'in_progress' : row.status;
      await this.repository.change(tx, id, { assigneeId, status, touch: false }, at);
      await this.exceptions.event(tx, id, 'assigned', actor, { from: row.assignee_id, to: assigneeId }, at);
      if (status !== row.status) await this.exceptions.event(tx, id, 'status', actor, { from: row.status, to: status }, at);
      return { action: 'exception.assigned', after: { ...auditState(row), assigneeId, status } };
    }, actor);
    return this.get(id);
  }

  async addNote(actor: string, id: string, dto: AddNoteDto): Promise<ExceptionDetailDto> {
    await this.write(id, async (tx, row, at) => {
      if (dto.status && row.status === 'resolved') throw CxErrors.exceptionResolved();
      const status = dto.status ?? row.status;
      await this.repository.change(tx, id, { status }, at);
      await this.exceptions.event(tx, id, 'note', actor, { note: dto.body }, at);
      if (status !== row.status) await this.exceptions.event(tx, id, 'status', actor, { from: row.status, to: status }, at);
      return { action: 'exception.note_added', after: { ...auditState(row), status, noteLength: dto.body.length } };
    }, actor);
    return this.get(id);
  }

  async resolve(actor: string, id: string, dto: ResolveExceptionDto): Promise<ExceptionDetailDto> {
    await this.write(id, async (tx, row, at) => {
      if (row.status === 'resolved') throw CxErrors.exceptionResolved();
      await this.repository.change(tx, id, { status: 'resolved', resolvedAt: at, resolutionCode: dto.resolutionCode }, at);
      await this.exceptions.event(tx, id, 'resolved', actor, { resolutionCode: dto.resolutionCode, note: dto.note, notifyConsignee: dto.notifyConsignee ?? false }, at);
      if (dto.notifyConsignee) {
        // Through the outbox: the planner tells the consignee (consent, quiet hours and dedupe apply). `resolution`
        // counts this exception's resolutions, so one resolved again after a reopen is news again, and a replay is not.
        await tx.query(
          `INSERT INTO journey_events (shipment_id, retailer_id, type, payload, occurred_at)
           SELECT s.id, s.retailer_id, 'shipment.exception_resolved',
                  jsonb_build_object('shipmentId', s.id, 'retailerId', s.retailer_id, 'trackingNumber', s.tracking_number,
                                     'from', s.status, 'to', s.status, 'exceptionId', $2::text, 'exceptionType', $3::text,
                                     'resolutionCode', $4::text, 'resolution', $6::int, 'occurredAt', $5::text),
                  $5::timestamptz
             FROM shipments s WHERE s.id = $1`,
          [row.shipment_id, id, row.type, dto.resolutionCode, at.toISOString(), row.reopened_count + 1],
        );
      }
      return {
        action: 'exception.resolved',
        after: { ...auditState(row), status: 'resolved', resolutionCode: dto.resolutionCode, notifyConsignee: dto.notifyConsignee ?? false },
      };
    }, actor);
    return this.get(id);
  }

  async reopen(actor: string, id: string, dto: ReopenExceptionDto): Promise<ExceptionDetailDto> {
    await this.write(id, async (tx, row, at) => {
      if (row.status !== 'resolved') throw CxErrors.exceptionNotResolved();
      try {
        await this.repository.change(tx, id, { status: 'open', resolvedAt: null, resolutionCode: null, reopened: true }, at);
      } catch (error) {
        const e = error as { driverError?: { code?: string }; code?: string };
        if ((e.driverError?.code ?? e.code) === '23505') throw CxErrors.exceptionAlreadyOpen();
        throw error;
      }
      await this.exceptions.event(tx, id, 'reopened', actor, { reopenedCount: row.reopened_count + 1, ...(dto.note ? { note: dto.note } : {}) }, at);
      return { action: 'exception.reopened', after: { ...auditState(row), status: 'open', resolutionCode: null, reopenedCount: row.reopened_count + 1 } };
    }, actor);
    return this.get(id);
  }

  /** Locks the exception, applies the change, and audits it with its state before and after. */
  private async write(
    id: string,
    apply: (tx: EntityManager, row: ExceptionRow, at: Date) => Promise<{ action: string; after: object }>,
    actor: string,
  ): Promise<void> {
    await this.db.transaction(async (tx) => {
      const row = await this.repository.find(id, tx, true);
      if (!row) throw CxErrors.exceptionNotFound();
      const at = this.clock.now();
      const { action, after } = await apply(tx, row, at);
      await this.audit.record(tx, {
        actor,
        action,
        targetType: 'exception',
        targetId: id,
        retailerId: row.retailer_id,
        before: { ...auditState(row), shipmentId: row.shipment_id, type: row.type },
        after,
      });
    });
  }
}

function keysetValue(cursor: string): { value: Date; id: string } {
  const { at, id } = decodeKeysetCursor(cursor, CxErrors.invalidCursor);
  return { value: at, id };
}
