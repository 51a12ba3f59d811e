import { NestFastifyApplication } from '@nestjs/platform-fastify';
import { Test } from '@nestjs/testing';
import request from 'supertest';
import type { App } from 'supertest/types';
import { AppModule } from '../../src/app.module';
import { configureHttpApp, httpAdapter } from '../../src/app.setup';
import { Clock, SystemClock } from '../../src/common/clock/clock';
import { AppConfig, loadAppConfig } from '../../src/config/app-config';
import { TEST_POOL_MAX, testDatabaseUrl } from './database';

export const TEST_ADMIN_TOKEN = 'test-admin-token-0123456789';

export interface TestApp {
  app: NestFastifyApplication;
  http: App;
  config: AppConfig;
  /** Every route the server registered, as `METHOD /path/{param}`. */
  routes: string[];
  close(): Promise<void>;
}

/** Boots the real app (api role) against the test database, wired exactly as `main.ts` wires it. */
export async function createTestApp(
  options: { env?: Record<string, string>; clock?: Clock; role?: 'api' | 'all' } = {},
): Promise<TestApp> {
  const config = loadAppConfig(
    {
      NODE_ENV: 'test',
      DATABASE_URL: testDatabaseUrl(),
      DATABASE_POOL_MAX: String(TEST_POOL_MAX),
      ADMIN_TOKEN: TEST_ADMIN_TOKEN,
      LOG_LEVEL: 'silent',
      SEED_DEMO: 'false',
      RATE_LIMIT_PER_MINUTE: '100000',
      PUBLIC_RATE_LIMIT_PER_MINUTE: '100000',
      AUTH_FAILURES_PER_MINUTE: '100000',
      ...options.env,
    },
    { role: options.role ?? 'api' },
  );
  const moduleRef = await Test.createTestingModule({
    imports: [AppModule.forRoot(config, options.clock ?? new SystemClock())],
  }).compile();
  const app = moduleRef.createNestApplication<NestFastifyApplication>(httpAdapter(), { logger: false });
  configureHttpApp(app);
  const routes: string[] = [];
  app
    .getHttpAdapter()
    .getInstance()
    .addHook('onRoute', (route) => {
      for (const method of [route.method].flat()) if (method !== 'HEAD') routes.push(`${method} ${route.url.replace(/:(\w+)/g, '{$1}')}`);
    });
  await app.init();
  await app.getHttpAdapter().getInstance().ready();
  return { app, http: app.getHttpServer() as App, config, routes, close: () => app.close() };
}

export const admin = (http: App) => ({
  post: (path: string, body: object = {}) =>
    request(http).post(path).set('Authorization', `Bearer ${TEST_ADMIN_TOKEN}`).send(body),
  get: (path: string) => request(http).get(path).set('Authorization', `Bearer ${TEST_ADMIN_TOKEN}`),
  delete: (path: string) => request(http).delete(path).set('Authorization', `Bearer ${TEST_ADMIN_TOKEN}`),
});
