import { DataSource } from 'typeorm';
import { dataSourceOptions } from '../../src/database/data-source-options';

export const isEmbedded = () => process.env.PASSAGE_TEST_DATABASE_KIND === 'embedded';

export function testDatabaseUrl(): string {
  const url = process.env.PASSAGE_TEST_DATABASE_URL;
  if (!url) throw new Error('PASSAGE_TEST_DATABASE_URL is unset: run the tests through jest (globalSetup sets it)');
  return url;
}

export function scratchDatabaseUrl(): string {
  const url = process.env.PASSAGE_TEST_SCRATCH_DATABASE_URL;
  if (!url) throw new Error('PASSAGE_TEST_SCRATCH_DATABASE_URL is unset');
  return url;
}

/**
 * Pool size for test apps and data sources. On the embedded database one connection, as the app itself
 * uses there: PGlite's socket server can mix up replies to concurrent queries on different connections.
 */
export const TEST_POOL_MAX = process.env.PASSAGE_TEST_DATABASE_KIND === 'embedded' ? 1 : 6;

/** A migrated data source on the shared test database. Migrations run once; later calls find nothing to do. */
export async function openTestDataSource(): Promise<DataSource> {
  const ds = new DataSource(dataSourceOptions({ url: testDatabaseUrl(), poolMax: TEST_POOL_MAX }));
  await ds.initialize();
  await ds.runMigrations({ transaction: 'each' });
  return ds;
}
