import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { EntityManager, Repository } from 'typeorm';
import type { Verdict, VerdictStatus } from '../country-rules/evaluate/verdict';
import { TrackingEventEntity } from '../tracking/tracking-event.entity';
import { JourneyStatus } from './journey';
import { ConsigneeData, ShipmentEntity } from './shipment.entity';

export interface ConsigneeUpdate {
  id: string;
  retailerId: string;
  consignee: ConsigneeData;
  destinationCity: string;
  consigneePostcodeKey: string | null;
  complianceStatus: VerdictStatus | null;
  compliance: Verdict | null;
  previousComplianceStatus: VerdictStatus | null;
  /** The update is refused (undefined returned) when the shipment has meanwhile reached one of these. */
  closedStatuses: string[];
}

export interface ShipmentListQuery {
  retailerId: string;
  status?: JourneyStatus;
  reference?: string;
  updatedSince?: Date;
  after?: { createdAt: Date; id: string };
  limit: number;
}

/** Every read here is scoped by retailer, except the by-tracking-number lookups used by scans and public tracking. */
@Injectable()
export class ShipmentRepository {
  constructor(
    @InjectRepository(ShipmentEntity) private readonly shipments: Repository<ShipmentEntity>,
    @InjectRepository(TrackingEventEntity) private readonly events: Repository<TrackingEventEntity>,
  ) {}

  findForRetailer(retailerId: string, id: string): Promise<ShipmentEntity | null> {
    return this.shipments.findOne({ where: { id, retailerId } });
  }

  findByTrackingNumber(trackingNumber: string): Promise<ShipmentEntity | null> {
    return this.shipments.findOne({ where: { trackingNumber } });
  }

  /** Newest first, keyset-paginated on (created_at, id) so pages are stable while shipments change. */
  async list(q: ShipmentListQuery): Promise<ShipmentEntity[]> {
    const qb = this.shipments
      .createQueryBuilder('s')
      .where('s.retailer_id = :retailerId', { retailerId: q.retailerId })
      .orderBy('s.created_at', 'DESC')
      .addOrderBy('s.id', 'DESC')
      .limit(q.limit);
    if (q.status) qb.andWhere('s.status = :status', { status: q.status });
    if (q.reference) qb.andWhere('s.reference = :reference', { reference: q.reference });
    if (q.updatedSince) qb.andWhere('s.updated_at >= :updatedSince', { updatedSince: q.updatedSince });
    if (q.after) qb.andWhere('(s.created_at, s.id) < (:afterCreated, :afterId)', { afterCreated: q.after.createdAt, afterId: q.after.id });
    return qb.getMany();
  }

  insert(tx: EntityManager, shipment: Partial<ShipmentEntity>): Promise<ShipmentEntity> {
    return tx.getRepository(ShipmentEntity).save(tx.getRepository(ShipmentEntity).create(shipment));
  }

  timeline(shipmentId: string): Promise<TrackingEventEntity[]> {
    return this.events.find({ where: { shipmentId }, order: { occurredAt: 'ASC', id: 'ASC' } });
  }

  /**
   * Writes the new consignee and verdict, guarded on the status so that a concurrent delivery wins, with a
   * `shipment.consignee_updated` journey event (no personal data in it) in the same statement.
   */
  async updateConsignee(u: ConsigneeUpdate, at: Date): Promise<ShipmentEntity | undefined> {
    const rows: Array<{ id: string }> = await this.shipments.query(
      `WITH updated AS (
         UPDATE shipments
            SET consignee = $3, destination_city = $4, consignee_postcode_key = $5, compliance_status = $6,
                compliance = $7, updated_at = $8, version = version + 1
          WHERE id = $1 AND retailer_id = $2 AND status <> ALL($9::text[])
          RETURNING id, retailer_id, tracking_number
       ), event AS (
         INSERT INTO journey_events (shipment_id, retailer_id, type, payload, occurred_at)
         SELECT id, retailer_id, 'shipment.consignee_updated',
                jsonb_build_object('shipmentId', id, 'retailerId', retailer_id, 'trackingNumber', tracking_number,
                                   'compliance', jsonb_build_object('from', $10::text, 'to', $6::text)),
                $8
           FROM updated
       )
       -- A bare UPDATE … RETURNING comes back from TypeORM as [rows, count]; a SELECT over the CTE is rows.
       SELECT id FROM updated`,
      [
        u.id,
        u.retailerId,
        JSON.stringify(u.consignee),
        u.destinationCity,
        u.consigneePostcodeKey,
        u.complianceStatus,
        u.compliance === null ? null : JSON.stringify(u.compliance),
        at,
        u.closedStatuses,
        u.previousComplianceStatus,
      ],
    );
    return rows.length > 0 ? ((await this.findForRetailer(u.retailerId, u.id)) ?? undefined) : undefined;
  }

  async recordBooking(tx: EntityManager, s: ShipmentEntity): Promise<void> {
    await tx.query(
      `INSERT INTO shipment_status_history (shipment_id, retailer_id, from_status, to_status, cause, occurred_at)
       VALUES ($1, $2, NULL, 'booked', 'booking', $3)`,
      [s.id, s.retailerId, s.createdAt],
    );
    await tx.query(
      `INSERT INTO journey_events (shipment_id, retailer_id, type, payload, occurred_at) VALUES ($1, $2, 'shipment.booked', $3, $4)`,
      [
        s.id,
        s.retailerId,
        JSON.stringify({
          shipmentId: s.id,
          retailerId: s.retailerId,
          trackingNumber: s.trackingNumber,
          from: null,
          to: 'booked',
          // What the planner needs to ask for missing information; codes only, never the consignee's data.
          compliance: s.complianceStatus
            ? { status: s.complianceStatus, issues: (s.compliance?.issues ?? []).map((i) => ({ code: i.code, field: i.field ?? null })) }
            : null,
        }),
        s.createdAt,
      ],
    );
  }
}
