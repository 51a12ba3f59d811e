import { Injectable, Logger } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { Clock } from '../../../common/clock/clock';
import { CommonErrors } from '../../../common/errors/app-error';
import { AuditLog } from '../../audit/audit.repository';
import { contactHash } from '../../notifications/planner/contact-hash';
import { EraseConsigneeDto, ErasureDto, RetailerRetentionDto } from './privacy.dto';
import { ErasureCounts, PrivacyRepository } from './privacy.repository';

/** Shipments per retention transaction. */
export const RETENTION_BATCH = 500;

/**
 * Erasure on request and retention on a clock. Both pseudonymise (PrivacyRepository) and keep the aggregates.
 * The audit names the consignee only by the hash of the contact, never the contact itself.
 */
@Injectable()
export class PrivacyService {
  private readonly logger = new Logger(PrivacyService.name);

  constructor(
    private readonly db: DataSource,
    private readonly repository: PrivacyRepository,
    private readonly audit: AuditLog,
    private readonly clock: Clock,
  ) {}

  async erase(actor: string, dto: EraseConsigneeDto): Promise<ErasureDto> {
    if ((dto.email === undefined) === (dto.phone === undefined)) {
      throw CommonErrors.validation([{ field: dto.email === undefined ? 'email' : 'phone', issue: 'give exactly one of email or phone' }]);
    }
    const channel = dto.email !== undefined ? 'email' : 'sms';
    const value = dto.email ?? dto.phone!;
    const subject = contactHash(channel, value);
    const at = this.clock.now();
    const counts = await this.db.transaction(async (tx) => {
      const shipments = await this.repository.shipmentsOf(tx, channel === 'email' ? { email: value } : { phone: value });
      // The person's other contact on those shipments is theirs too: replies and messages by either go.
      const emails = new Set<string>(channel === 'email' ? [value] : []);
      const phones = new Set<string>(channel === 'sms' ? [value] : []);
      for (const s of shipments) {
        if (s.email) emails.add(s.email);
        if (s.phone) phones.add(s.phone);
      }
      const contact = {
        emails: [...emails].flatMap((e) => [e, e.toLowerCase()]),
        phones: [...phones],
        hashes: [...[...emails].map((e) => contactHash('email', e)), ...[...phones].map((p) => contactHash('sms', p))],
      };
      const counts = await this.repository.pseudonymise(tx, shipments.map((s) => s.id), at, contact);
      await this.audit.record(tx, { actor, action: 'consignee.erased', targetType: 'consignee', targetId: subject, after: { channel, ...counts } });
      return counts;
    });
    return { subject, ...counts };
  }

  /** One retention batch: shipments past their retailer's retention, pseudonymised. Returns how many. */
  async retentionBatch(limit = RETENTION_BATCH): Promise<ErasureCounts> {
    const at = this.clock.now();
    return this.db.transaction(async (tx) => {
      const ids = await this.repository.dueForRetention(tx, at, limit);
      if (ids.length === 0) return { shipments: 0, messages: 0, replies: 0, surveys: 0 };
      const counts = await this.repository.pseudonymise(tx, ids, at);
      await this.audit.record(tx, { actor: 'system:retention', action: 'consignee.retention_applied', targetType: 'shipments', targetId: `retention:${at.toISOString()}`, after: counts });
      return counts;
    });
  }

  /** Runs batches until none is left (or `maxBatches`). */
  async applyRetention(maxBatches = 200): Promise<number> {
    let total = 0;
    for (let i = 0; i < maxBatches; i++) {
      const { shipments } = await this.retentionBatch();
      total += shipments;
      if (shipments < RETENTION_BATCH) break;
    }
    if (total > 0) this.logger.log({ shipments: total }, 'retention stripped personal data');
    return total;
  }

  async setRetention(actor: string, retailerId: string, days: number): Promise<RetailerRetentionDto> {
    await this.db.transaction(async (tx) => {
      const old = await this.repository.setRetention(tx, retailerId, days);
      if (!old) throw CommonErrors.notFound('Retailer');
      await this.audit.record(tx, {
        actor,
        action: 'retailer.pii_retention_updated',
        targetType: 'retailer',
        targetId: retailerId,
        retailerId,
        before: { piiRetentionDays: old.before },
        after: { piiRetentionDays: days },
      });
    });
    return { retailerId, piiRetentionDays: days };
  }
}
