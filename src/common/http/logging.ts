import { randomUUID } from 'node:crypto';
import { RequestMethod } from '@nestjs/common';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Params } from 'nestjs-pino';
import type { AppConfig } from '../../config/app-config';

const REQUEST_ID = /^[A-Za-z0-9._:-]{8,128}$/;

/**
 * Assigns the request id before anything else runs (body parsing included), so that every response,
 * even one for an unreadable body, carries `X-Request-Id` and names it in error bodies.
 */
export function requestIdMiddleware(req: IncomingMessage, res: ServerResponse, next: () => void): void {
  res.setHeader('X-Request-Id', assignRequestId(req));
  next();
}

/** The request's id (a well-formed incoming X-Request-Id, else a new one), kept on the raw request; Fastify's `genReqId`. */
export function assignRequestId(req: IncomingMessage): string {
  const raw = req as IncomingMessage & { id?: unknown };
  if (typeof raw.id === 'string') return raw.id;
  const incoming = req.headers['x-request-id'];
  const id = typeof incoming === 'string' && REQUEST_ID.test(incoming) ? incoming : randomUUID();
  raw.id = id;
  return id;
}

/**
 * Structured logs (pino). Only ids, methods, route paths, statuses and durations are logged: never
 * bodies, query strings (a postcode rides there) or headers that carry secrets or personal data.
 */
export function loggerParams(config: AppConfig): Params {
  return {
    // nestjs-pino's default route ('{/*splat}') does not match under Fastify's middleware: name every route.
    forRoutes: [{ path: '{*splat}', method: RequestMethod.ALL }],
    pinoHttp: {
      level: config.logLevel,
      genReqId: (req: IncomingMessage) => (req as IncomingMessage & { id?: string }).id ?? randomUUID(),
      autoLogging: { ignore: (req: IncomingMessage) => /^\/(health|metrics)/.test(req.url ?? '') },
      serializers: {
        req: (req: { id: string; method: string; url: string }) => ({
          id: req.id,
          method: req.method,
          path: String(req.url).split('?')[0],
        }),
        res: (res: { statusCode: number }) => ({ statusCode: res.statusCode }),
      },
      redact: { paths: ['req.headers', 'res.headers', '*.consignee', '*.email', '*.phone', '*.address', '*.name'], remove: true },
      transport: undefined,
    },
  };
}
