// Runs once, in Jest's parent process (PGlite cannot start inside a test VM; see shared recipes).
// With TEST_DATABASE_URL: tests run against that real PostgreSQL, and a scratch database beside it is
// created for the migration tests. Without it: an embedded PostgreSQL (PGlite) is started, in memory.
const { Client } = require('pg');

module.exports = async function globalSetup() {
  const url = process.env.TEST_DATABASE_URL;
  if (url) {
    const scratchName = `${new URL(url).pathname.slice(1) || 'postgres'}_scratch`;
    const admin = new Client({ connectionString: url });
    await admin.connect();
    // A clean schema each run: migrations are the schema, tests included.
    await admin.query('DROP SCHEMA IF EXISTS public CASCADE; CREATE SCHEMA public;');
    await admin.query(`DROP DATABASE IF EXISTS "${scratchName}"`);
    await admin.query(`CREATE DATABASE "${scratchName}"`);
    await admin.end();
    const scratch = new URL(url);
    scratch.pathname = `/${scratchName}`;
    process.env.PASSAGE_TEST_DATABASE_URL = url;
    process.env.PASSAGE_TEST_SCRATCH_DATABASE_URL = scratch.toString();
    process.env.PASSAGE_TEST_DATABASE_KIND = 'postgres';
    console.log(`\ntests: real PostgreSQL at ${new URL(url).host}${new URL(url).pathname} (TEST_DATABASE_URL)`);
    return;
  }
  const { PGlite } = require('@electric-sql/pglite');
  const { PGLiteSocketServer } = require('@electric-sql/pglite-socket');
  const start = async () => {
    const db = await PGlite.create();
    const server = new PGLiteSocketServer({ db, host: '127.0.0.1', port: 0, maxConnections: 24 });
    await server.start();
    return { db, server, url: `postgres://postgres:postgres@${server.getServerConn()}/postgres` };
  };
  const main = await start();
  const scratch = await start();
  globalThis.__PASSAGE_PGLITE__ = [main, scratch];
  process.env.PASSAGE_TEST_DATABASE_URL = main.url;
  process.env.PASSAGE_TEST_SCRATCH_DATABASE_URL = scratch.url;
  process.env.PASSAGE_TEST_DATABASE_KIND = 'embedded';
  console.log('\ntests: no TEST_DATABASE_URL set, so running on the embedded PostgreSQL (PGlite); set TEST_DATABASE_URL for a real server');
};
