import { Module } from '@nestjs/common';
import { AuditModule } from '../audit/audit.module';
import { ComplianceController } from './compliance/compliance.controller';
import { ComplianceService } from './compliance/compliance.service';
import { FxAdminController } from './fx/fx.admin.controller';
import { FxRepository } from './fx/fx.repository';
import { FxService } from './fx/fx.service';
import { RuleSetRepository } from './rule-set/rule-set.repository';
import { RuleSetSeeder } from './rule-set/rule-set.seeder';
import { RuleSetsAdminController } from './rule-set/rule-sets.admin.controller';
import { RuleSetsService } from './rule-set/rule-sets.service';
import { RulesCache } from './rules-cache';

/**
 * Country rules without HTTP: versioned rule sets (seeded from the fact sheet, corrected by operators),
 * exchange rates, and the pure evaluator behind booking verdicts, checkout quotes and customs amounts.
 * The worker's planner uses this; the api role adds the endpoints (CountryRulesModule).
 */
@Module({
  imports: [AuditModule],
  providers: [FxRepository, FxService, RuleSetRepository, RuleSetsService, RuleSetSeeder, RulesCache, ComplianceService],
  exports: [FxService, ComplianceService, RulesCache, RuleSetsService],
})
export class CountryRulesCoreModule {}

/** The country-rules endpoints: rule-set admin, FX admin, and the retailers' compliance check. */
@Module({
  imports: [CountryRulesCoreModule],
  controllers: [RuleSetsAdminController, ComplianceController, FxAdminController],
  exports: [CountryRulesCoreModule],
})
export class CountryRulesModule {}
