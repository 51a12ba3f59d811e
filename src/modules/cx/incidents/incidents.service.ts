import { Injectable, Logger } from '@nestjs/common';
import { DataSource, EntityManager } from 'typeorm';
import { Clock } from '../../../common/clock/clock';
import { CommonErrors, ErrorDetail } from '../../../common/errors/app-error';
import { AuditLog } from '../../audit/audit.repository';
import { contactHash } from '../../notifications/planner/contact-hash';
import type { IncidentNotice } from '../../notifications/planner/milestones';
import { ExceptionsService } from '../exceptions/exceptions.service';
import { CxJourneyEvent, insertJourneyEvents } from '../journey-event.writer';
import { IncidentScope, SCAN_LOOKBACK_DAYS, messagesIssues, scopeFromRow, scopeView, toIncidentScope } from './incident-scope';
import { CloseIncidentDto, DeclareIncidentDto, IncidentDto, IncidentPageDto, IncidentPreviewDto } from './incidents.dto';
import { IncidentErrors } from './incidents.errors';
import { IncidentRow, IncidentsRepository, IncludedShipment } from './incidents.repository';
import { decodeKeysetCursor, encodeKeysetCursor } from '../../../common/http/keyset-cursor';

const HOUR = 3_600_000;
/** Shipments per fan-out transaction: a few statements each, whatever the batch's size. */
export const FAN_OUT_BATCH = 1000;
/** Shipments a declaration takes in before it answers; a wider scope is finished by the worker's sweep. */
export const DECLARE_SYNC_LIMIT = 20_000;
/** Shipments one sweep takes into one incident. */
export const SWEEP_LIMIT = 20_000;

export const INCIDENT_DECLARED = 'shipment.incident_declared';

/**
 * Incident broadcasts: an agent declares an incident over a scope; Passage opens a delay exception on each
 * shipment in it, tells each consignee once (a journey event per shipment, so the planner applies consent,
 * quiet hours and dedupe; one shipment per consignee carries the notice), gives each retailer one notice,
 * and keeps taking in parcels scanned into the scope while the incident is open (the worker's sweep). Closing
 * resolves the incident's exceptions and tells the consignees who were told.
 *
 * Every fan-out batch runs in its own transaction under the incident's advisory lock, so a declaration, a
 * sweep on any number of workers, and a close never take one shipment in twice.
 */
@Injectable()
export class IncidentsService {
  private readonly logger = new Logger(IncidentsService.name);

  constructor(
    private readonly db: DataSource,
    private readonly repository: IncidentsRepository,
    private readonly exceptions: ExceptionsService,
    private readonly audit: AuditLog,
    private readonly clock: Clock,
  ) {}

  async preview(dto: DeclareIncidentDto): Promise<IncidentPreviewDto> {
    const { scope } = this.parse(dto);
    return this.repository.preview(scope, this.since(this.clock.now()));
  }

  async declare(actor: string, dto: DeclareIncidentDto): Promise<IncidentDto> {
    const { scope, messages } = this.parse(dto);
    const at = this.clock.now();
    const id = await this.db.transaction(async (tx) => {
      const view = scopeView(scope);
      const id = await this.repository.insert(tx, { kind: dto.kind, title: dto.title.trim(), scope, scopeView: view, expectedDelayHours: dto.expectedDelayHours, messages, declaredBy: actor, at });
      await this.audit.record(tx, {
        actor,
        action: 'incident.declared',
        targetType: 'incident',
        targetId: id,
        after: {
          kind: dto.kind,
          title: dto.title.trim(),
          // An explicit list can be long: the audit keeps its size; the incident keeps the list.
          scope: scope.type === 'shipments' ? { shipmentIds: scope.shipmentIds.length } : view,
          expectedDelayHours: dto.expectedDelayHours,
          messageLocales: messages ? Object.keys(messages) : null,
        },
      });
      return id;
    });
    try {
      await this.fanOut(id, { wait: true, limit: DECLARE_SYNC_LIMIT });
    } catch (error) {
      // The incident stands; the sweep takes in what this request did not.
      this.logger.error({ incidentId: id, error: (error as Error).message }, 'incident fan-out failed; the sweep will continue it');
    }
    return this.get(id);
  }

  async get(id: string): Promise<IncidentDto> {
    const row = await this.repository.find(this.db, id);
    if (!row) throw IncidentErrors.notFound();
    return this.toDto(row);
  }

  async list(q: { status?: 'open' | 'closed'; cursor?: string; limit?: number }): Promise<IncidentPageDto> {
    const limit = q.limit ?? 20;
    const cursor = q.cursor ? decodeKeysetCursor(q.cursor, IncidentErrors.invalidCursor) : undefined;
    const before = cursor && { createdAt: cursor.at, id: cursor.id };
    const rows = await this.repository.list({ status: q.status, before, limit: limit + 1 });
    const page = rows.slice(0, limit);
    const last = page[page.length - 1];
    return {
      data: await Promise.all(page.map((r) => this.toDto(r))),
      nextCursor: rows.length > limit ? encodeKeysetCursor(last.created_at, last.id) : null,
    };
  }

  async close(actor: string, id: string, dto: CloseIncidentDto): Promise<IncidentDto> {
    const issues = messagesIssues(dto.messages, 'messages');
    if (issues.length > 0) throw CommonErrors.validation(issues);
    const messages = trimmed(dto.messages);
    const at = this.clock.now();
    await this.db.transaction(async (tx) => {
      await this.repository.lock(tx, id);
      const incident = await this.repository.find(tx, id);
      if (!incident) throw IncidentErrors.notFound();
      if (!(await this.repository.close(tx, id, { by: actor, messages, at }))) throw IncidentErrors.closed();
      const resolved = await this.exceptions.resolveWhere(
        tx,
        { incidentId: id },
        { resolutionCode: 'incident_closed', note: dto.note?.trim() || `Incident closed: ${incident.title}`, actor, at },
      );
      const told = await this.repository.writeResolutions(tx, incident, messages, at);
      await this.audit.record(tx, {
        actor,
        action: 'incident.closed',
        targetType: 'incident',
        targetId: id,
        before: { status: 'open' },
        after: { status: 'closed', exceptionsResolved: resolved, consigneesTold: told, messageLocales: messages ? Object.keys(messages) : null },
      });
    });
    return this.get(id);
  }

  /** The worker's sweep: parcels scanned into an open incident's scope since are taken in like the first ones. */
  async sweep(): Promise<{ incidents: number; shipments: number }> {
    let shipments = 0;
    const open = await this.repository.openIds();
    for (const { id } of open) {
      shipments += await this.fanOut(id, { wait: false, limit: SWEEP_LIMIT });
      await this.repository.markSwept(id, this.clock.now());
    }
    return { incidents: open.length, shipments };
  }

  /**
   * Takes the incident's candidates in, batch by batch. `wait`: wait for the incident's lock (an agent's
   * request) or leave the incident to whoever holds it (a sweep). Returns how many shipments it took in.
   */
  async fanOut(id: string, opts: { wait: boolean; limit: number }): Promise<number> {
    const incident = await this.repository.find(this.db, id);
    if (!incident || incident.status !== 'open') return 0;
    const scope = scopeFromRow(incident.scope_type, incident.scope);
    const ids = (await this.repository.candidates(id, scope, this.since(new Date(incident.created_at)))).slice(0, opts.limit);
    let taken = 0;
    for (let i = 0; i < ids.length; i += FAN_OUT_BATCH) {
      const chunk = ids.slice(i, i + FAN_OUT_BATCH);
      const n = await this.db.transaction(async (tx) => {
        if (opts.wait) await this.repository.lock(tx, id);
        else if (!(await this.repository.tryLock(tx, id))) return -1;
        const current = await this.repository.find(tx, id);
        if (!current || current.status !== 'open') return -1;
        return this.takeIn(tx, current, chunk);
      });
      if (n < 0) break;
      taken += n;
    }
    if (taken > 0) this.logger.log({ incidentId: id, shipments: taken }, 'incident took in shipments');
    return taken;
  }

  /** One batch: exceptions, the incident's rows, the journey events that notify, the counters. */
  private async takeIn(tx: EntityManager, incident: IncidentRow, ids: string[]): Promise<number> {
    const at = this.clock.now();
    const shipments = await this.repository.loadBatch(tx, incident.id, ids);
    if (shipments.length === 0) return 0;
    const hashOf = (s: { email: string | null; phone: string | null }) => (s.email ? contactHash('email', s.email) : s.phone ? contactHash('sms', s.phone) : null);
    const hashes = [...new Set(shipments.map(hashOf).filter((h): h is string => h !== null))];
    const told = await this.repository.notifiedContacts(tx, incident.id, hashes);
    const noticed = await this.repository.retailersIncluded(tx, incident.id, [...new Set(shipments.map((s) => s.retailer_id))]);
    const actor = incident.declared_by;
    const opened = await this.exceptions.openMany(
      tx,
      shipments.map((s) => ({ shipmentId: s.id, retailerId: s.retailer_id, type: 'delay' as const, occurrenceKey: `incident:${incident.id}` })),
      { source: 'agent', actor, note: `Incident: ${incident.title}`, incidentId: incident.id, at },
    );
    const exceptionOf = new Map(opened.map((o) => [o.shipmentId, o]));

    const delay = incident.expected_delay_hours * HOUR;
    const shifted = (d: Date | null) => new Date(Math.max(d ? new Date(d).getTime() : at.getTime(), at.getTime()) + delay).toISOString();
    const rows: IncludedShipment[] = [];
    const events: CxJourneyEvent[] = [];
    let notified = 0;
    for (const s of shipments) {
      const hash = hashOf(s);
      const key = hash ? `${s.retailer_id}|${hash}` : null;
      const notify = key !== null && !told.has(key);
      if (notify) {
        told.add(key);
        notified += 1;
      }
      const firstOfRetailer = !noticed.has(s.retailer_id);
      noticed.add(s.retailer_id);
      const exception = exceptionOf.get(s.id);
      rows.push({
        shipmentId: s.id,
        retailerId: s.retailer_id,
        contactHash: hash,
        exceptionId: exception?.id ?? null,
        exceptionCreated: exception?.created ?? false,
        notified: notify,
      });
      const notice: IncidentNotice = {
        id: incident.id,
        kind: incident.kind,
        messages: incident.messages,
        estimatedDelivery: { from: shifted(s.estimated_delivery_from), to: shifted(s.estimated_delivery_to) },
        notifyConsignee: notify,
        retailerNotice: firstOfRetailer ? this.retailerNotice(incident) : null,
      };
      events.push({
        shipmentId: s.id,
        retailerId: s.retailer_id,
        type: INCIDENT_DECLARED,
        occurredAt: at,
        payload: {
          shipmentId: s.id,
          retailerId: s.retailer_id,
          trackingNumber: s.tracking_number,
          from: s.status,
          to: s.status,
          code: null,
          reason: incident.kind,
          source: 'incident',
          occurredAt: at.toISOString(),
          incident: notice,
        },
      });
    }
    await this.repository.include(tx, incident.id, rows, at);
    await insertJourneyEvents(tx, events);
    await this.repository.addProgress(tx, incident.id, { shipments: shipments.length, exceptions: opened.filter((o) => o.created).length, notified }, at);
    return shipments.length;
  }

  private retailerNotice(incident: IncidentRow): string {
    return (
      `Incident "${incident.title}" (${incident.kind.replace(/_/g, ' ')}): expect about ${incident.expected_delay_hours} hours of delay. ` +
      'Your shipments in its scope have a delay exception open, and Passage is telling their consignees.'
    );
  }

  private since(declaredAt: Date): Date {
    return new Date(declaredAt.getTime() - SCAN_LOOKBACK_DAYS * 24 * HOUR);
  }

  private parse(dto: DeclareIncidentDto): { scope: IncidentScope; messages: Record<string, string> | null } {
    const scope = toIncidentScope(dto.scope);
    const issues: ErrorDetail[] = [];
    if ('field' in scope) issues.push(scope);
    issues.push(...messagesIssues(dto.messages, 'messages'));
    if (issues.length > 0) throw CommonErrors.validation(issues);
    return { scope: scope as IncidentScope, messages: trimmed(dto.messages) };
  }

  private async toDto(r: IncidentRow): Promise<IncidentDto> {
    const counts = await this.repository.messageCounts(r.id);
    const n = (...statuses: string[]) => statuses.reduce((sum, s) => sum + (counts[s] ?? 0), 0);
    return {
      id: r.id,
      kind: r.kind,
      title: r.title,
      scope: r.scope,
      expectedDelayHours: r.expected_delay_hours,
      messages: r.messages,
      status: r.status,
      declaredBy: r.declared_by,
      declaredAt: new Date(r.created_at).toISOString(),
      closedBy: r.closed_by,
      closedAt: r.closed_at ? new Date(r.closed_at).toISOString() : null,
      progress: {
        shipments: r.shipments_count,
        exceptionsOpened: r.exceptions_opened,
        consigneesNotified: r.consignees_notified,
        resolutionsNotified: r.resolutions_notified,
        messages: {
          pending: n('pending', 'sending'),
          sent: n('sent'),
          delivered: n('delivered'),
          failed: n('failed', 'undelivered', 'dead'),
          skipped: n('skipped'),
        },
        lastSweptAt: r.last_swept_at ? new Date(r.last_swept_at).toISOString() : null,
      },
    };
  }
}

function trimmed(messages: Record<string, string> | undefined): Record<string, string> | null {
  if (!messages) return null;
  return Object.fromEntries(Object.entries(messages).map(([locale, text]) => [locale, text.trim()]));
}
