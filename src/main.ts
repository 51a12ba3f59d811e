import 'reflect-metadata';
import { setFlagsFromString } from 'node:v8';
import { existsSync } from 'node:fs';
import { NestFactory } from '@nestjs/core';
import { NestFastifyApplication } from '@nestjs/platform-fastify';
import { AppModule } from './app.module';
import { configureHttpApp, httpAdapter } from './app.setup';
import { ConfigValidationError, loadAppConfig, PROCESS_ROLES, ProcessRole } from './config/app-config';
import { FirstRunCredentials, FirstRunService } from './modules/admin/first-run.service';

/** `node dist/src/main.js [--role=all|api|worker]`: one codebase, two process roles; `all` runs both. */
async function main(): Promise<void> {
  const roleArg = process.argv.find((a) => a.startsWith('--role='))?.slice('--role='.length);
  if (roleArg && !(PROCESS_ROLES as readonly string[]).includes(roleArg)) {
    throw new ConfigValidationError(`--role must be one of ${PROCESS_ROLES.join(', ')}`);
  }
  // A local .env, when present, fills in what the environment does not set.
  if (existsSync('.env')) process.loadEnvFile('.env');
  const config = loadAppConfig(process.env, { role: roleArg as ProcessRole | undefined });
  // Read at every full collection, so it applies from here on, however the process was started.
  if (config.heapGrowingPercent > 0) setFlagsFromString(`--heap-growing-percent=${config.heapGrowingPercent}`);

  if (config.role === 'worker') {
    const worker = await NestFactory.createApplicationContext(AppModule.forRoot(config), { bufferLogs: true });
    worker.enableShutdownHooks();
    console.log('Passage worker started (message dispatcher and schedules).');
    return;
  }

  const app = await NestFactory.create<NestFastifyApplication>(AppModule.forRoot(config), httpAdapter(), { bufferLogs: true });
  configureHttpApp(app);
  const credentials = await app.get(FirstRunService).prepare();
  await app.listen(config.http.port, config.http.host);
  printBanner(config.http.publicBaseUrl, config.role, credentials);
}

function printBanner(baseUrl: string, role: string, credentials: FirstRunCredentials): void {
  const lines = [
    '',
    `Passage is running (${role === 'all' ? 'api + worker' : role}) at ${baseUrl}`,
    `  API docs:  ${baseUrl}/docs      health: ${baseUrl}/health      metrics: ${baseUrl}/metrics`,
  ];
  if (credentials.adminToken) lines.push(`  Admin token (shown once; store it now):  ${credentials.adminToken}`);
  if (credentials.demoRetailer) {
    lines.push(`  Demo retailer: ${credentials.demoRetailer.name} (${credentials.demoRetailer.id})`);
    lines.push(`  Demo retailer API key (shown once):      ${credentials.demoRetailer.apiKey}`);
  }
  for (const note of credentials.notes) lines.push(`  ${note}`);
  lines.push('');
  // After the start-up log lines (pino writes asynchronously), so the credentials are the last thing on screen.
  setTimeout(() => console.log(lines.join('\n')), 250);
}

main().catch((error: unknown) => {
  if (error instanceof ConfigValidationError) console.error(error.message);
  else console.error('Passage failed to start:', error);
  process.exit(1);
});
