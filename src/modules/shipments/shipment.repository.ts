import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { EntityManager, Repository } from 'typeorm';
import { TrackingEventEntity } from '../tracking/tracking-event.entity';
import { JourneyStatus } from './journey';
import { ShipmentEntity } from './shipment.entity';

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
        JSON.stringify({ shipmentId: s.id, retailerId: s.retailerId, trackingNumber: s.trackingNumber, from: null, to: 'booked' }),
        s.createdAt,
      ],
    );
  }
}
