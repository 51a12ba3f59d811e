import { ArgumentsHost, Catch, ExceptionFilter } from '@nestjs/common';
import type { FastifyReply as Response, FastifyRequest as Request } from 'fastify';
import { PinoLogger } from 'nestjs-pino';
import { QueryFailedError } from 'typeorm';
import { toErrorResponse } from './error-response';

/**
 * What of an unexpected error may be logged. A failed query carries its parameters (consignee data among
 * them) and the driver's detail may echo values: neither is logged, only codes, names and the stack.
 */
export function loggableError(exception: unknown): Record<string, unknown> {
  if (exception instanceof QueryFailedError) {
    const driver = exception.driverError as { code?: string; constraint?: string; table?: string; routine?: string };
    return { type: 'QueryFailedError', code: driver.code, constraint: driver.constraint, table: driver.table, routine: driver.routine, stack: exception.stack?.split('\n').slice(1).join('\n') };
  }
  if (exception instanceof Error) return { type: exception.name, message: exception.message, stack: exception.stack };
  return { type: typeof exception };
}

/** The one place an exception becomes an HTTP response: `{ error: { code, message, details }, requestId }`. */
@Catch()
export class AllExceptionsFilter implements ExceptionFilter {
  constructor(private readonly logger: PinoLogger) {
    this.logger.setContext(AllExceptionsFilter.name);
  }

  catch(exception: unknown, host: ArgumentsHost): void {
    const http = host.switchToHttp();
    const request = http.getRequest<Request>();
    const response = http.getResponse<Response>();
    const { status, body, headers, internal } = toErrorResponse(exception);
    const requestId = String(request.id ?? '');
    if (internal) {
      this.logger.error({ error: loggableError(exception), requestId }, 'unhandled error');
    }
    if (response.sent) return;
    for (const [name, value] of Object.entries(headers)) response.header(name, value);
    // Always JSON, even where the route declared another type (a CSV export that failed).
    void response.status(status).header('content-type', 'application/json; charset=utf-8').send({ ...body, requestId });
  }
}
