import { Module } from '@nestjs/common';
import { AuditLog } from './audit.repository';

/** Who changed what, when: written by every module's operator writes (read by the admin module's controller). */
@Module({
  providers: [AuditLog],
  exports: [AuditLog],
})
export class AuditModule {}
