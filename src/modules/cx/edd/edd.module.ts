import { Module } from '@nestjs/common';
import { CountryRulesCoreModule } from '../../country-rules/country-rules.module';
import { EddRepository } from './edd.repository';
import { EddService } from './edd.service';

/** The estimated delivery date: estimates and their revisions (the worker runs EddLoop; tests call the service). */
@Module({
  imports: [CountryRulesCoreModule],
  providers: [EddRepository, EddService],
  exports: [EddService, EddRepository],
})
export class EddModule {}
