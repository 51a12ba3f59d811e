import type { DataSourceOptions } from 'typeorm';
import { MIGRATIONS } from '../../migrations';
import { ENTITIES } from './entities';
import { SafeTypeOrmLogger } from './typeorm-logger';

/** One definition of how Passage talks to PostgreSQL, shared by the app, the CLI and the tests. */
export function dataSourceOptions(options: { url: string; poolMax: number; migrationsRun?: boolean }): DataSourceOptions {
  return {
    type: 'postgres',
    url: options.url,
    entities: ENTITIES,
    migrations: MIGRATIONS,
    migrationsRun: options.migrationsRun ?? false,
    migrationsTransactionMode: 'each',
    synchronize: false,
    installExtensions: false,
    logging: ['error', 'warn', 'migration'],
    logger: new SafeTypeOrmLogger(),
    maxQueryExecutionTime: 1000,
    extra: { max: options.poolMax, connectionTimeoutMillis: 10_000 },
  };
}
