import { Module } from '@nestjs/common';
import { FxAdminController } from './fx/fx.admin.controller';
import { FxRepository } from './fx/fx.repository';
import { FxService } from './fx/fx.service';

/** Country rules: so far the exchange rates their thresholds are converted with (rule sets follow). */
@Module({
  controllers: [FxAdminController],
  providers: [FxRepository, FxService],
  exports: [FxService],
})
export class CountryRulesModule {}
