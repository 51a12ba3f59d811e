import { DynamicModule, Module } from '@nestjs/common';
import { APP_FILTER, APP_GUARD, APP_INTERCEPTOR } from '@nestjs/core';
import { ThrottlerModule } from '@nestjs/throttler';
import type { FastifyRequest as Request } from 'fastify';
import { LoggerModule } from 'nestjs-pino';
import { Clock, SystemClock } from './common/clock/clock';
import { AllExceptionsFilter } from './common/errors/all-exceptions.filter';
import { loggerParams } from './common/http/logging';
import { RateLimitGuard } from './common/http/rate-limit.guard';
import { WindowThrottlerStorage } from './common/http/window-throttler.storage';
import { IdempotencyInterceptor } from './common/idempotency/idempotency.interceptor';
import { IdempotencyModule } from './common/idempotency/idempotency.module';
import { AppConfig } from './config/app-config';
import { AppConfigModule } from './config/config.module';
import { DatabaseModule, DatabaseTargetModule } from './database/database.module';
import { AdminModule } from './modules/admin/admin.module';
import { AuthGuard } from './modules/auth/auth.guard';
import { AuthModule } from './modules/auth/auth.module';
import { CarriersModule } from './modules/carriers/carriers.module';
import { CountryRulesModule } from './modules/country-rules/country-rules.module';
import { CxModule } from './modules/cx/cx.module';
import { CxOpsApiModule } from './modules/cx/cx-ops.module';
import { HealthModule } from './modules/health/health.module';
import { MetricsController } from './modules/metrics/metrics.controller';
import { MetricsModule } from './modules/metrics/metrics.module';
import { NotificationsApiModule } from './modules/notifications/notifications.module';
import { RetailersModule } from './modules/retailers/retailers.module';
import { ShipmentsModule } from './modules/shipments/shipments.module';
import { TrackingModule } from './modules/tracking/tracking.module';
import { WorkerModule } from './modules/worker/worker.module';

@Module({})
class HttpApi {}

/** The api role: everything that answers HTTP, with auth, rate limits, idempotency and the error filter. */
function apiModule(config: AppConfig): DynamicModule {
  return {
    module: HttpApi,
    imports: [
      ThrottlerModule.forRoot({
        storage: new WindowThrottlerStorage(),
        throttlers: [
          {
            name: 'default',
            ttl: 60_000,
            limit: (context) =>
              context.switchToHttp().getRequest<Request>().principal
                ? config.rateLimit.perKeyPerMinute
                : config.rateLimit.publicPerIpPerMinute,
          },
        ],
      }),
      AuthModule,
      IdempotencyModule,
      HealthModule,
      RetailersModule,
      CarriersModule,
      ShipmentsModule,
      TrackingModule,
      CountryRulesModule,
      NotificationsApiModule,
      AdminModule,
      CxModule,
      CxOpsApiModule,
    ],
    controllers: [MetricsController],
    providers: [
      // Guards run in this order: who is calling, then how often.
      { provide: APP_GUARD, useExisting: AuthGuard },
      { provide: APP_GUARD, useClass: RateLimitGuard },
      { provide: APP_INTERCEPTOR, useExisting: IdempotencyInterceptor },
      { provide: APP_FILTER, useClass: AllExceptionsFilter },
    ],
  };
}

@Module({})
export class AppModule {
  static forRoot(config: AppConfig, clock: Clock = new SystemClock()): DynamicModule {
    const roles = config.role === 'all' ? ['api', 'worker'] : [config.role];
    return {
      module: AppModule,
      imports: [
        AppConfigModule.forRoot(config, clock),
        LoggerModule.forRoot(loggerParams(config)),
        DatabaseTargetModule,
        DatabaseModule,
        MetricsModule,
        ...(roles.includes('api') ? [apiModule(config)] : []),
        ...(roles.includes('worker') ? [WorkerModule] : []),
      ],
    };
  }
}
