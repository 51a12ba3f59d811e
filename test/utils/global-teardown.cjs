module.exports = async function globalTeardown() {
  for (const { server, db } of globalThis.__PASSAGE_PGLITE__ ?? []) {
    await server.stop();
    await db.close();
  }
};
