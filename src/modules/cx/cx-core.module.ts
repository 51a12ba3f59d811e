import { Module } from '@nestjs/common';
import { AuditModule } from '../audit/audit.module';
import { ExceptionProjector } from './exceptions/exception-projector';
import { ExceptionsService } from './exceptions/exceptions.service';

/**
 * The CX desk's core, with no controllers: what the worker (projector, detectors, incidents) and the api
 * share. Exports ExceptionsService, the projector (its loop runs in the worker) and the audit log.
 */
@Module({
  imports: [AuditModule],
  providers: [ExceptionsService, ExceptionProjector],
  exports: [ExceptionsService, ExceptionProjector, AuditModule],
})
export class CxCoreModule {}
