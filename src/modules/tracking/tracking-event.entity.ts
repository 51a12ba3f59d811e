import { Column, Entity, PrimaryGeneratedColumn } from 'typeorm';

export interface LocationData {
  country: string;
  city?: string;
  facility?: string;
}

/** One scan as received, raw payload kept. Unique on (source, externalEventId). */
@Entity('tracking_events')
export class TrackingEventEntity {
  @PrimaryGeneratedColumn({ type: 'bigint' }) id: string;
  @Column('uuid', { name: 'shipment_id' }) shipmentId: string;
  @Column('uuid', { name: 'retailer_id' }) retailerId: string;
  @Column('text') source: string;
  @Column('text', { name: 'external_event_id' }) externalEventId: string;
  @Column('text') code: string;
  @Column('text', { name: 'original_code' }) originalCode: string;
  @Column('text', { nullable: true }) reason: string | null;
  @Column('timestamptz', { name: 'occurred_at' }) occurredAt: Date;
  @Column('timestamptz', { name: 'received_at' }) receivedAt: Date;
  @Column('jsonb') location: LocationData;
  @Column('text', { nullable: true }) description: string | null;
  @Column('jsonb', { nullable: true }) raw: unknown;
  @Column('text') outcome: 'applied' | 'recorded';
  @Column('boolean') late: boolean;
  @Column('text', { name: 'status_before' }) statusBefore: string;
  @Column('text', { name: 'status_after' }) statusAfter: string;
}
