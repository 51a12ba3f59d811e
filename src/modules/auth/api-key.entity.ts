import { Column, CreateDateColumn, Entity, PrimaryGeneratedColumn } from 'typeorm';

export type ApiKeyOwnerType = 'retailer' | 'carrier' | 'admin';

/** Only the SHA-256 hash and a short display prefix of a key are stored; the key is shown once. */
@Entity('api_keys')
export class ApiKeyEntity {
  @PrimaryGeneratedColumn('uuid') id: string;
  @Column('text', { name: 'owner_type' }) ownerType: ApiKeyOwnerType;
  @Column('uuid', { name: 'retailer_id', nullable: true }) retailerId: string | null;
  @Column('uuid', { name: 'carrier_id', nullable: true }) carrierId: string | null;
  @Column('text', { nullable: true }) role: string | null;
  /** The admin user an admin key was issued to (their role then applies). */
  @Column('uuid', { name: 'admin_user_id', nullable: true }) adminUserId: string | null;
  @Column('text') name: string;
  @Column('text') prefix: string;
  @Column('text', { name: 'key_hash' }) keyHash: string;
  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' }) createdAt: Date;
  @Column('timestamptz', { name: 'revoked_at', nullable: true }) revokedAt: Date | null;
}
