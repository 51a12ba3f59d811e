import type { Registration } from '../country-rules/rule-set/rule-set-content';
import { Column, CreateDateColumn, Entity, PrimaryGeneratedColumn, UpdateDateColumn } from 'typeorm';

@Entity('retailers')
export class RetailerEntity {
  @PrimaryGeneratedColumn('uuid') id: string;
  @Column('text') name: string;
  @Column('integer', { name: 'return_window_days' }) returnWindowDays: number;
  @Column('boolean', { name: 'is_demo' }) isDemo: boolean;
  /** Tax registrations for low-value schemes (IOSS, UK VAT, VOEC…): identifiers, not secrets. */
  @Column('jsonb') registrations: Partial<Record<Registration, string>>;
  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' }) createdAt: Date;
  @UpdateDateColumn({ name: 'updated_at', type: 'timestamptz' }) updatedAt: Date;
}
