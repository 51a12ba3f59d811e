'use strict';
/**
 * The node floor for bench:lookup: the least Node service that answers GET /v1/track/:trackingNumber from
 * PostgreSQL. Fastify and pg (Passage's own versions, from APP_DIR), a pool of POOL_MAX connections, and
 * Passage's own lookup statement (FIND_PUBLIC, prepared by name), its row sent back as JSON: no framework, no
 * guards, logging, metrics, validation or view mapping. Measured beside Passage and beside pgbench, it splits
 * the gap between them into what any Node HTTP hop costs on this machine and what Passage adds to it.
 *
 * Env: DATABASE_URL, POOL_MAX, PORT, APP_DIR (a tree with dist/ and node_modules/).
 */
const path = require('node:path');

const appDir = process.env.APP_DIR;
const fromApp = (id) => require(require.resolve(id, { paths: [appDir] }));
const Fastify = fromApp('fastify');
const { Pool } = fromApp('pg');
const { FIND_PUBLIC } = require(path.join(appDir, 'dist/src/modules/tracking/tracking.repository.js'));

const pool = new Pool({ connectionString: process.env.DATABASE_URL, max: Number(process.env.POOL_MAX) });
const app = Fastify();
app.get('/health', async () => ({ status: 'ok' }));
app.get('/v1/track/:trackingNumber', async (request, reply) => {
  const { rows } = await pool.query({ name: FIND_PUBLIC.name, text: FIND_PUBLIC.text, values: [request.params.trackingNumber, false] });
  if (!rows[0]) return reply.code(404).send({ error: { code: 'TRACKING_NUMBER_NOT_FOUND' } });
  return rows[0];
});

const shutdown = () => app.close().then(() => pool.end()).then(() => process.exit(0));
process.on('SIGTERM', shutdown);
process.on('SIGINT', shutdown);
app.listen({ host: '127.0.0.1', port: Number(process.env.PORT) }).catch((error) => {
  console.error(error);
  process.exit(1);
});
