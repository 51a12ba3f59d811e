import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { Clock } from '../../../common/clock/clock';
import { AppError } from '../../../common/errors/app-error';
import { AuditLog } from '../../audit/audit.repository';
import { MessageRepository } from './message.repository';

export const RedriveErrors = {
  notFound: () => new AppError('MESSAGE_NOT_FOUND', 404, 'Message not found.'),
  notDead: (status: string) => new AppError('MESSAGE_NOT_DEAD', 409, `Only a dead-lettered message can be redriven; this one is ${status}.`),
};

/** An operator's redrive of a dead-lettered message: the row change and its audit entry in one transaction. */
@Injectable()
export class MessageRedriveService {
  constructor(
    private readonly db: DataSource,
    private readonly messages: MessageRepository,
    private readonly audit: AuditLog,
    private readonly clock: Clock,
  ) {}

  async redrive(actor: string, id: string): Promise<void> {
    await this.db.transaction(async (tx) => {
      const before = await this.messages.lockState(tx, id);
      if (!before) throw RedriveErrors.notFound();
      if (before.status !== 'dead') throw RedriveErrors.notDead(before.status);
      await this.messages.redrive(id, this.clock.now(), tx);
      await this.audit.record(tx, {
        actor,
        action: 'message.redriven',
        targetType: 'message',
        targetId: id,
        retailerId: before.retailer_id,
        before: { status: before.status, attempts: before.attempts },
        after: { status: 'pending', attempts: 0 },
      });
    });
  }
}
