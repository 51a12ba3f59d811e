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
    // How long a query may wait for a connection. With a pool of one (the embedded database) every request and
    // worker round takes turns on that connection, so a burst queues behind it: waiting is the design there, and
    // failing after 10 s would turn a burst of 25 bookings into errors.
    extra: { max: options.poolMax, connectionTimeoutMillis: options.poolMax === 1 ? 60_000 : 10_000 },
  };
}
