import { Module } from '@nestjs/common';
import { AuditAdminController } from '../audit/audit.admin.controller';
import { AuditModule } from '../audit/audit.module';
import { RetailersModule } from '../retailers/retailers.module';
import { FirstRunService } from './first-run.service';

@Module({ imports: [RetailersModule, AuditModule], controllers: [AuditAdminController], providers: [FirstRunService], exports: [FirstRunService] })
export class AdminModule {}
