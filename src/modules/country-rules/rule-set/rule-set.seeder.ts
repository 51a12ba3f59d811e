import { Inject, Injectable, Logger, OnApplicationBootstrap } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { APP_CONFIG, AppConfig } from '../../../config/app-config';
import { AuditLog } from '../../audit/audit.repository';
import { RulesCache } from '../rules-cache';
import { RULE_SET_SEED } from '../seed/rule-set-seed';
import { RuleSetRepository } from './rule-set.repository';

/**
 * Loads the rule sets seeded from the country fact sheet at start. Idempotent: a (country, version) already
 * present is left alone, so restarts and several instances change nothing and operators' versions stay.
 */
@Injectable()
export class RuleSetSeeder implements OnApplicationBootstrap {
  private readonly logger = new Logger(RuleSetSeeder.name);

  constructor(
    private readonly db: DataSource,
    private readonly repository: RuleSetRepository,
    private readonly audit: AuditLog,
    private readonly cache: RulesCache,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    if (!this.config.rules.seed) return;
    const added = await this.db.transaction(async (tx) => {
      const n = await this.repository.seed(tx, RULE_SET_SEED);
      if (n > 0) {
        await this.audit.record(tx, {
          actor: 'seed',
          action: 'rule_set.seeded',
          targetType: 'rule_set',
          targetId: '*',
          after: { versions: n, countries: [...new Set(RULE_SET_SEED.map((v) => v.country))].sort() },
        });
      }
      return n;
    });
    if (added > 0) {
      this.cache.invalidate();
      this.logger.log({ versions: added }, 'rule sets seeded');
    }
  }
}
