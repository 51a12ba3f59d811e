import { ChildProcess, spawn } from 'node:child_process';
import { existsSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { TEST_POOL_MAX, testDatabaseUrl } from './database';

export interface ChildApp {
  baseUrl: string;
  output(): string;
  stop(): Promise<void>;
}

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => (typeof address === 'object' && address ? resolve(address.port) : reject(new Error('no port'))));
    });
  });
}

/** The built app: `dist/src/main.js`, or PASSAGE_TEST_MAIN (another build, e.g. one made with `--outDir`). */
export function builtMain(): string {
  const main = process.env.PASSAGE_TEST_MAIN ?? join(__dirname, '..', '..', 'dist', 'src', 'main.js');
  if (!existsSync(main)) throw new Error(`${main} is missing: run \`npx tsc -p tsconfig.build.json\` (npm test does), or set PASSAGE_TEST_MAIN`);
  return main;
}

/** SIGTERM, then SIGKILL if the process has not exited within 10 s. */
async function stopChild(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise((resolve) => child.once('exit', resolve));
  child.kill('SIGTERM');
  const timer = setTimeout(() => child.kill('SIGKILL'), 10_000);
  await exited;
  clearTimeout(timer);
}

export interface ChildWorker {
  child: ChildProcess;
  output(): string;
  stop(): Promise<void>;
}

/**
 * Runs the built Passage as a worker process (`--role=worker`) on the test database, with only the given
 * environment on top of the database settings (plus PATH): no .env, no demo seed, warnings only.
 */
export function spawnWorker(env: Record<string, string>): ChildWorker {
  const child = spawn(process.execPath, [builtMain(), '--role=worker'], {
    env: {
      PATH: process.env.PATH ?? '',
      NODE_ENV: 'development',
      DATABASE_URL: testDatabaseUrl(),
      DATABASE_POOL_MAX: String(Math.min(TEST_POOL_MAX, 4)),
      LOG_LEVEL: 'warn',
      SEED_DEMO: 'false',
      ...env,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let text = '';
  child.stdout?.on('data', (d: Buffer) => (text += d.toString()));
  child.stderr?.on('data', (d: Buffer) => (text += d.toString()));
  return { child, output: () => text, stop: () => stopChild(child) };
}

/**
 * Runs the built Passage (`dist/src/main.js`) as its own process, as a user would, with only the given
 * environment (plus PATH and HOME), and waits until it answers /health.
 */
export async function startChildApp(env: Record<string, string>, readyTimeoutMs = 60_000): Promise<ChildApp> {
  const main = builtMain();
  const port = await freePort();
  const baseUrl = `http://127.0.0.1:${port}`;
  let output = '';
  const child: ChildProcess = spawn(process.execPath, [main], {
    env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '', PORT: String(port), HOST: '127.0.0.1', PUBLIC_BASE_URL: baseUrl, ...env },
    // Its own working directory, so that a developer's .env cannot fill in what the test left unset.
    cwd: mkdtempSync(join(tmpdir(), 'passage-child-')),
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  child.stdout?.on('data', (d: Buffer) => (output += d.toString()));
  child.stderr?.on('data', (d: Buffer) => (output += d.toString()));
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const stop = async () => {
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
    let timer: NodeJS.Timeout | undefined;
    await Promise.race([exited, new Promise((r) => (timer = setTimeout(r, 10_000)))]);
    clearTimeout(timer);
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
  };
  const deadline = Date.now() + readyTimeoutMs;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`Passage exited with ${child.exitCode}:\n${output}`);
    try {
      const res = await fetch(`${baseUrl}/health`);
      if (res.ok) break;
    } catch {
      // not listening yet
    }
    if (Date.now() > deadline) {
      await stop();
      throw new Error(`Passage did not become healthy:\n${output}`);
    }
    await new Promise((r) => setTimeout(r, 200));
  }
  return { baseUrl, output: () => output, stop };
}
