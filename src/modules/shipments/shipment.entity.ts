import { Column, CreateDateColumn, Entity, PrimaryGeneratedColumn, UpdateDateColumn, VersionColumn } from 'typeorm';
import type { Verdict, VerdictStatus } from '../country-rules/evaluate/verdict';
import type { JourneyStatus } from './journey';

export interface OriginData {
  country: string;
  city?: string;
  postcode?: string;
}
export interface AddressData {
  lines: string[];
  city: string;
  postcode?: string;
  region?: string;
  country: string;
}
/** Personal data: never logged, shown publicly only behind a matching postcode. */
export interface ConsigneeData {
  name: string;
  email?: string;
  phone?: string;
  locale?: string;
  taxId?: string;
  address: AddressData;
}
export interface ItemData {
  description: string;
  hsCode?: string;
  quantity: number;
  unitValue: number;
  currency: string;
  originCountry: string;
  weightGrams: number;
}
export interface NotifyData {
  email: boolean;
  sms: boolean;
}

@Entity('shipments')
export class ShipmentEntity {
  @PrimaryGeneratedColumn('uuid') id: string;
  @Column('uuid', { name: 'retailer_id' }) retailerId: string;
  @Column('text') reference: string;
  @Column('text', { name: 'tracking_number' }) trackingNumber: string;
  @Column('text') service: string;
  @Column('text') incoterm: 'DDP' | 'DAP';
  @Column('text') status: JourneyStatus;
  @Column('integer', { name: 'status_rank' }) statusRank: number;
  @Column('timestamptz', { name: 'status_changed_at' }) statusChangedAt: Date;
  @Column('timestamptz', { name: 'last_event_occurred_at', nullable: true }) lastEventOccurredAt: Date | null;
  @Column('jsonb') origin: OriginData;
  @Column('char', { name: 'destination_country', length: 2 }) destinationCountry: string;
  @Column('text', { name: 'destination_city' }) destinationCity: string;
  @Column('jsonb') consignee: ConsigneeData;
  @Column('text', { name: 'consignee_postcode_key', nullable: true }) consigneePostcodeKey: string | null;
  @Column('jsonb') items: ItemData[];
  @Column('jsonb') notify: NotifyData;
  /** Freight charged, for CIF bases: `{ value, currency }` in minor units. */
  @Column('jsonb', { nullable: true }) shipping: { value: number; currency: string } | null;
  @Column('text', { name: 'compliance_status', nullable: true }) complianceStatus: VerdictStatus | null;
  /** The verdict of the country rules at booking (re-evaluated when the consignee is patched). */
  @Column('jsonb', { nullable: true }) compliance: Verdict | null;
  @Column('jsonb') metadata: Record<string, string>;
  @Column('timestamptz', { name: 'estimated_delivery_from', nullable: true }) estimatedDeliveryFrom: Date | null;
  @Column('timestamptz', { name: 'estimated_delivery_to', nullable: true }) estimatedDeliveryTo: Date | null;
  @Column('timestamptz', { name: 'delivered_at', nullable: true }) deliveredAt: Date | null;
  @Column('text', { name: 'return_reference', nullable: true }) returnReference: string | null;
  @Column('timestamptz', { name: 'return_requested_at', nullable: true }) returnRequestedAt: Date | null;
  @VersionColumn() version: number;
  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' }) createdAt: Date;
  @UpdateDateColumn({ name: 'updated_at', type: 'timestamptz' }) updatedAt: Date;
}
