import { DataSource, EntityManager, QueryFailedError } from 'typeorm';

/** A statement run by name: its text must never change for a given name. */
export interface PreparedStatement {
  name: string;
  text: string;
}

interface Queryable {
  query(config: { name?: string; text: string; values: unknown[] }): Promise<{ rows: unknown[] }>;
}

/** Per data source: whether it may name statements (not on the embedded database; see below). */
const namesStatements = new WeakMap<DataSource, Promise<boolean>>();

/**
 * Runs a statement as a named prepared statement, for the hot paths whose statements cost PostgreSQL more
 * to parse and plan than to run (replayed by pgbench, the journey's write statement ran twice as fast
 * prepared); TypeORM's query() cannot name one. Inside a transaction it runs on the transaction's
 * connection, otherwise on any pooled one (autocommit). Errors become TypeORM's QueryFailedError, so that
 * the error filter logs them like every other failed query (codes, never values).
 *
 * Not named on the embedded database: PGlite's socket server runs every connection in one session, so a
 * statement prepared by one connection collides with the same name prepared by the next ("already exists").
 * Nor behind a pooler in transaction mode that does not track prepared statements (PgBouncer before 1.21).
 */
export async function runPrepared<T>(db: EntityManager, statement: PreparedStatement, values: unknown[]): Promise<T[]> {
  const named = await preparesStatements(db);
  try {
    const client: Queryable = db.queryRunner
      ? await db.queryRunner.connect()
      : (db.connection.driver as unknown as { master: Queryable }).master;
    const result = await client.query({ name: named ? statement.name : undefined, text: statement.text, values });
    return result.rows as T[];
  } catch (error) {
    throw new QueryFailedError(statement.text, values, error as Error);
  }
}

function preparesStatements(db: EntityManager): Promise<boolean> {
  let known = namesStatements.get(db.connection);
  if (!known) {
    // On the caller's own connection: inside a transaction on a one-connection pool, another would never come.
    known = db.query(`SELECT version() NOT LIKE '%PGlite%' AS named`).then(([row]: { named: boolean }[]) => row.named);
    namesStatements.set(db.connection, known);
    known.catch(() => namesStatements.delete(db.connection));
  }
  return known;
}
