import { ChildProcess, spawn } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { bookingBody } from '../factories';

/**
 * The zero-setup default as a user meets it: `node dist/src/main.js` with no DATABASE_URL and no
 * ADMIN_TOKEN starts the embedded PostgreSQL, mints its credentials and prints them once.
 */
const MAIN = join(__dirname, '..', '..', 'dist', 'src', 'main.js');
const BOOT_TIMEOUT_MS = 90_000;

interface Running {
  child: ChildProcess;
  baseUrl: string;
  /** Everything the process printed so far (stdout and stderr). */
  output: () => string;
  banner: string;
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => (address && typeof address === 'object' ? resolve(address.port) : reject(new Error('no port'))));
    });
  });
}

async function startPassage(dataDir: string): Promise<Running> {
  if (!existsSync(MAIN)) throw new Error(`${MAIN} is missing: run \`npx tsc -p tsconfig.build.json\` first (npm test does)`);
  const port = await freePort();
  const baseUrl = `http://127.0.0.1:${port}`;
  // Built from scratch, so that the developer's DATABASE_URL or ADMIN_TOKEN cannot leak in; and run in the
  // data directory, so that no .env in the working tree is picked up either.
  const env = { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '', PASSAGE_DATA_DIR: dataDir, PORT: String(port), PUBLIC_BASE_URL: baseUrl };
  const child = spawn(process.execPath, [MAIN], { cwd: dataDir, env, stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  child.stdout!.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr!.on('data', (chunk: Buffer) => (output += chunk.toString()));
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
    child.once('exit', (code, signal) => resolve({ code, signal })),
  );
  running.add(child);

  // The banner is one block that starts with "Passage is running" and ends with an empty line.
  const deadline = Date.now() + BOOT_TIMEOUT_MS;
  for (;;) {
    const banner = /\nPassage is running[\s\S]*?\n\n/.exec(output)?.[0];
    if (banner) return { child, baseUrl, output: () => output, banner, exited };
    if (child.exitCode !== null || child.signalCode !== null) throw new Error(`Passage exited before its banner:\n${output}`);
    if (Date.now() > deadline) throw new Error(`No banner within ${BOOT_TIMEOUT_MS} ms:\n${output}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

async function stopPassage(p: Running): Promise<{ code: number | null; signal: NodeJS.Signals | null }> {
  p.child.kill('SIGTERM');
  let timer: NodeJS.Timeout | undefined;
  const outcome = await Promise.race([p.exited, new Promise<'timeout'>((resolve) => (timer = setTimeout(() => resolve('timeout'), 20_000)))]);
  clearTimeout(timer);
  if (outcome === 'timeout') {
    p.child.kill('SIGKILL');
    throw new Error(`Passage did not exit within 20 s of SIGTERM:\n${p.output()}`);
  }
  running.delete(p.child);
  return outcome;
}

const running = new Set<ChildProcess>();

describe('the embedded default (no DATABASE_URL, no ADMIN_TOKEN)', () => {
  let dataDir: string;
  let adminToken: string;
  let demoKey: string;
  let shipment: { id: string; trackingNumber: string; trackingUrl: string };

  beforeAll(() => {
    dataDir = mkdtempSync(join(tmpdir(), 'passage-embedded-'));
  });
  afterAll(async () => {
    for (const child of running) child.kill('SIGKILL');
    rmSync(dataDir, { recursive: true, force: true });
  });

  const call = (base: string, path: string, key?: string, body?: unknown) =>
    fetch(`${base}${path}`, {
      method: body === undefined ? 'GET' : 'POST',
      headers: { 'Content-Type': 'application/json', ...(key ? { Authorization: `Bearer ${key}` } : {}) },
      body: body === undefined ? undefined : JSON.stringify(body),
    });

  it(
    'starts on its own, prints an admin token and a demo retailer key once, and books a shipment with that key',
    async () => {
      const passage = await startPassage(dataDir);
      try {
        adminToken = /Admin token \(shown once; store it now\):\s+(psg_admin_\S+)/.exec(passage.banner)?.[1] ?? '';
        demoKey = /Demo retailer API key \(shown once\):\s+(psg_live_\S+)/.exec(passage.banner)?.[1] ?? '';
        expect(adminToken).toMatch(/^psg_admin_\S{16,}$/);
        expect(demoKey).toMatch(/^psg_live_\S{16,}$/);
        expect(passage.banner).toContain(`Passage is running (api + worker) at ${passage.baseUrl}`);
        expect(passage.output()).toContain('No DATABASE_URL set: using the embedded PostgreSQL');
        expect(existsSync(join(dataDir, 'pgdata'))).toBe(true);

        const health = await call(passage.baseUrl, '/health');
        expect(health.status).toBe(200);
        expect(await health.json()).toMatchObject({ status: 'ok', info: { database: { status: 'up' } } });

        const booked = await call(passage.baseUrl, '/v1/shipments', demoKey, bookingBody());
        expect(booked.status).toBe(201);
        shipment = (await booked.json()) as typeof shipment;
        expect(shipment.trackingUrl).toBe(`${passage.baseUrl}/v1/track/${shipment.trackingNumber}`);

        const read = await call(passage.baseUrl, `/v1/shipments/${shipment.id}`, demoKey);
        expect(read.status).toBe(200);
        expect(await read.json()).toMatchObject({ id: shipment.id, status: 'booked', trackingNumber: shipment.trackingNumber });

        const tracked = await fetch(shipment.trackingUrl);
        expect(tracked.status).toBe(200);
        expect(await tracked.json()).toMatchObject({ trackingNumber: shipment.trackingNumber, status: 'booked' });

        const retailers = await call(passage.baseUrl, '/v1/admin/retailers', adminToken);
        expect(retailers.status).toBe(200);
        expect(await retailers.json()).toEqual([expect.objectContaining({ name: 'Demo Retailer' })]);
      } finally {
        const exit = await stopPassage(passage);
        // Shut down by the signal, not by a crash.
        expect(exit.signal === 'SIGTERM' || exit.code === 0).toBe(true);
      }
    },
    BOOT_TIMEOUT_MS + 60_000,
  );

  it(
    'keeps its data and credentials across a restart on the same data directory, and prints no new secrets',
    async () => {
      expect(shipment?.id).toEqual(expect.any(String));
      const passage = await startPassage(dataDir);
      try {
        expect(passage.banner).not.toMatch(/psg_admin_|psg_live_/);
        expect(passage.banner).toMatch(/Admin token: printed at first start/);

        const read = await call(passage.baseUrl, `/v1/shipments/${shipment.id}`, demoKey);
        expect(read.status).toBe(200);
        expect(await read.json()).toMatchObject({ id: shipment.id, status: 'booked' });
        const retailers = await call(passage.baseUrl, '/v1/admin/retailers', adminToken);
        expect(retailers.status).toBe(200);
      } finally {
        const exit = await stopPassage(passage);
        expect(exit.signal === 'SIGTERM' || exit.code === 0).toBe(true);
      }
    },
    BOOT_TIMEOUT_MS + 60_000,
  );
});
