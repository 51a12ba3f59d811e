import { Global, Inject, Injectable, Logger, Module, OnApplicationShutdown } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { APP_CONFIG, AppConfig } from '../config/app-config';
import { dataSourceOptions } from './data-source-options';
import { EmbeddedPostgres, startEmbeddedPostgres } from './embedded-postgres';

/** Where the database is: the configured URL, or the embedded PostgreSQL started for this process. */
export interface DatabaseTarget {
  url: string;
  poolMax: number;
  embedded?: EmbeddedPostgres;
}
export const DATABASE_TARGET = Symbol('DATABASE_TARGET');

@Injectable()
class EmbeddedShutdown implements OnApplicationShutdown {
  constructor(@Inject(DATABASE_TARGET) private readonly target: DatabaseTarget) {}
  // TypeORM closes its pool first (its own shutdown hook), then the embedded server stops.
  async onApplicationShutdown(): Promise<void> {
    await this.target.embedded?.stop();
  }
}

async function resolveTarget(config: AppConfig): Promise<DatabaseTarget> {
  const logger = new Logger('Database');
  if (config.database.url) return { url: config.database.url, poolMax: config.database.poolMax };
  const embedded = await startEmbeddedPostgres({
    dataDir: config.database.dataDir,
    maxConnections: config.database.embeddedMaxConnections,
  });
  logger.log(
    `No DATABASE_URL set: using the embedded PostgreSQL (PGlite) with data in ${embedded.dataDir}. ` +
      'Fine for trying Passage; set DATABASE_URL to a real PostgreSQL for production.',
  );
  // One connection: PGlite runs one query at a time anyway, and its socket server can mix up the replies of
  // queries sent concurrently on different connections outside a transaction (electric-sql/pglite#1046).
  return { url: embedded.url, poolMax: 1, embedded };
}

@Global()
@Module({
  imports: [
    TypeOrmModule.forRootAsync({
      inject: [DATABASE_TARGET, APP_CONFIG],
      useFactory: (target: DatabaseTarget, config: AppConfig) =>
        dataSourceOptions({ url: target.url, poolMax: target.poolMax, migrationsRun: config.database.migrationsRun }),
    }),
  ],
  providers: [EmbeddedShutdown],
})
export class DatabaseModule {}

/** Provides DATABASE_TARGET globally; imported before DatabaseModule so its factory can inject it. */
@Global()
@Module({
  providers: [{ provide: DATABASE_TARGET, inject: [APP_CONFIG], useFactory: resolveTarget }],
  exports: [DATABASE_TARGET],
})
export class DatabaseTargetModule {}
