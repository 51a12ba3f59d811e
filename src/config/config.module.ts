import { DynamicModule, Global, Module } from '@nestjs/common';
import { ConfigModule, ConfigService } from '@nestjs/config';
import { APP_CONFIG, AppConfig } from './app-config';
import { Clock, SystemClock } from '../common/clock/clock';

/**
 * Registers the already-validated AppConfig with @nestjs/config and as the typed APP_CONFIG token.
 * Validation happens once, before Nest starts, so a bad environment fails fast with a readable message.
 */
@Global()
@Module({})
export class AppConfigModule {
  static forRoot(config: AppConfig, clock: Clock = new SystemClock()): DynamicModule {
    return {
      module: AppConfigModule,
      imports: [ConfigModule.forRoot({ ignoreEnvFile: true, load: [() => ({ app: config })] })],
      providers: [
        { provide: APP_CONFIG, inject: [ConfigService], useFactory: (c: ConfigService) => c.getOrThrow<AppConfig>('app') },
        { provide: Clock, useValue: clock },
      ],
      exports: [APP_CONFIG, Clock],
    };
  }
}
