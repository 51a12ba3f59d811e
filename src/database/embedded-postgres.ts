import { mkdirSync } from 'node:fs';
import { resolve } from 'node:path';

/**
 * The zero-setup default: PostgreSQL compiled to WASM (PGlite) behind its wire-protocol socket server,
 * so that the ordinary `pg` driver and TypeORM talk to it exactly as to a real server.
 *
 * Limits (see shared recipes): queries run one at a time, an open transaction blocks other connections,
 * and a client pool larger than `maxConnections` fails. Production and reliability tests use real PostgreSQL.
 */
export interface EmbeddedPostgres {
  url: string;
  dataDir: string;
  maxConnections: number;
  stop(): Promise<void>;
}

export async function startEmbeddedPostgres(options: {
  dataDir: string;
  maxConnections: number;
  port?: number;
}): Promise<EmbeddedPostgres> {
  const dataDir = resolve(options.dataDir, 'pgdata');
  mkdirSync(dataDir, { recursive: true });
  // Loaded on demand: a deployment with DATABASE_URL never loads the WASM engine.
  const { PGlite } = await import('@electric-sql/pglite');
  const { PGLiteSocketServer } = await import('@electric-sql/pglite-socket');
  const db = await PGlite.create({ dataDir });
  const server = new PGLiteSocketServer({
    db,
    host: '127.0.0.1',
    port: options.port ?? 0,
    maxConnections: options.maxConnections,
  });
  await server.start();
  const hostPort = server.getServerConn();
  return {
    url: `postgres://postgres:postgres@${hostPort}/postgres`,
    dataDir,
    maxConnections: options.maxConnections,
    async stop() {
      await server.stop();
      await db.close();
    },
  };
}
