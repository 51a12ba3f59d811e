import { Module } from '@nestjs/common';
import { CountryRulesCoreModule } from '../../country-rules/country-rules.module';
import { WebhooksModule } from '../webhooks/webhooks.module';
import { PlannerRepository } from './planner.repository';
import { PlannerService } from './planner.service';

/** Decides what to send for each journey event (the worker runs it; tests call it directly). */
@Module({
  imports: [CountryRulesCoreModule, WebhooksModule],
  providers: [PlannerRepository, PlannerService],
  exports: [PlannerService],
})
export class PlannerModule {}
