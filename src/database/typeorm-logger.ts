import { Logger as NestLogger } from '@nestjs/common';
import type { Logger as TypeOrmLogger } from 'typeorm';

/**
 * TypeORM's own loggers print a failed query with its parameters, and the parameters hold consignee data.
 * This one logs the statement's first line and the error code, never the parameters.
 */
export class SafeTypeOrmLogger implements TypeOrmLogger {
  private readonly logger = new NestLogger('Database');

  logQuery(): void {}
  logQuerySlow(time: number, query: string): void {
    this.logger.warn({ durationMs: time, query: firstLine(query) }, 'slow query');
  }
  logQueryError(error: string | Error, query: string): void {
    const code = typeof error === 'object' ? (error as { code?: string }).code : undefined;
    this.logger.warn({ code, query: firstLine(query) }, 'query failed');
  }
  logSchemaBuild(): void {}
  logMigration(message: string): void {
    this.logger.log(message);
  }
  log(level: 'log' | 'info' | 'warn', message: unknown): void {
    if (level === 'warn') this.logger.warn(String(message));
  }
}

function firstLine(query: string): string {
  return query.trim().split('\n')[0].slice(0, 200);
}
