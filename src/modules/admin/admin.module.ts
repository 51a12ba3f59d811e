import { Module } from '@nestjs/common';
import { RetailersModule } from '../retailers/retailers.module';
import { FirstRunService } from './first-run.service';

@Module({ imports: [RetailersModule], providers: [FirstRunService], exports: [FirstRunService] })
export class AdminModule {}
