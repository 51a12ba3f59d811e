import { INestApplication } from '@nestjs/common';
import { FastifyAdapter, NestFastifyApplication } from '@nestjs/platform-fastify';
import { parse as parseContentType } from 'content-type';
import { errorCodes, type FastifyError, type FastifyReply, type FastifyRequest } from 'fastify';
import { DocumentBuilder, SwaggerModule } from '@nestjs/swagger';
import { Logger } from 'nestjs-pino';
import { toErrorResponse } from './common/errors/error-response';
import { assignRequestId, requestIdMiddleware } from './common/http/logging';
import { createValidationPipe } from './common/http/validation';
import { registerHttpMetrics } from './modules/metrics/http-metrics.hook';
import { MetricsService } from './modules/metrics/metrics.service';

/**
 * The HTTP server: Fastify (measured against Express on 2026-12-01: a third less CPU per request, see
 * bench/README.md), with Passage's body limit (bulk scans: 1,000 events).
 */
export function httpAdapter(): FastifyAdapter {
  return new FastifyAdapter({
    bodyLimit: BODY_LIMIT,
    // Signed links (unsubscribe, surveys) carry tokens of a few hundred characters in the path; Fastify's
    // default (100) answers longer parameters as a bad URL.
    routerOptions: { maxParamLength: 2048 },
    genReqId: assignRequestId,
    // A URL Fastify cannot decode never reaches Nest: answer it in the one error shape here.
    frameworkErrors: (error: FastifyError, request: FastifyRequest, reply: FastifyReply) => {
      const { status, body } = toErrorResponse(error);
      void reply.code(status).header('content-type', 'application/json; charset=utf-8').send({ ...body, requestId: request.id });
    },
  });
}

const BODY_LIMIT = 5 * 1024 * 1024;

/**
 * JSON bodies as Express's strict parser read them: an object or an array (anything else is MALFORMED_JSON), an
 * empty body as `{}`, and keys such as `__proto__` kept as own properties for validation to reject by name. JSON
 * is UTF-8 (RFC 8259): a body declared in another charset is refused (415) rather than misread.
 */
function parseJsonBody(req: FastifyRequest, body: Buffer, done: (error: Error | null, value?: unknown) => void): void {
  if (!isUtf8Declared(req.headers['content-type'])) return done(new UnsupportedCharsetError());
  const text = body.toString('utf8');
  const first = /\S/.exec(text)?.[0];
  if (first === undefined) return done(null, {});
  if (first !== '{' && first !== '[') return done(new errorCodes.FST_ERR_CTP_INVALID_JSON_BODY('application/json'));
  try {
    done(null, JSON.parse(text));
  } catch {
    done(new errorCodes.FST_ERR_CTP_INVALID_JSON_BODY('application/json'));
  }
}

/** No charset, or UTF-8 (US-ASCII is a subset of it). */
function isUtf8Declared(header: string | undefined): boolean {
  const charset = header ? parseContentType(header).parameters.charset?.toLowerCase() : undefined;
  return charset === undefined || charset === 'utf-8' || charset === 'utf8' || charset === 'us-ascii';
}

/** Raised while reading a request, as Fastify's own parser errors are (a `code` and a 4xx `statusCode`). */
class UnsupportedCharsetError extends Error {
  readonly code = 'PASSAGE_UNSUPPORTED_CHARSET';
  readonly statusCode = 415;
}

/** HTTP wiring shared by `main.ts` and the e2e tests, so that tests run the app as users get it. */
export function configureHttpApp(app: NestFastifyApplication): INestApplication {
  app.useLogger(app.get(Logger));
  app.use(requestIdMiddleware);
  app.useBodyParser('application/json', { bodyLimit: BODY_LIMIT }, parseJsonBody);
  // Form posts (Twilio's status callbacks and inbound messages, survey answers): Nest's default parser, 100 kB.
  app.useBodyParser('application/x-www-form-urlencoded', { bodyLimit: 100 * 1024 });
  registerHttpMetrics(app.getHttpAdapter().getInstance(), app.get(MetricsService, { strict: false }));
  app.useGlobalPipes(createValidationPipe());
  app.enableShutdownHooks();
  const document = SwaggerModule.createDocument(
    app,
    new DocumentBuilder()
      .setTitle('Passage API')
      .setDescription(
        'Proactive parcel-delivery updates for cross-border eCommerce. Errors always have the shape ' +
          '`{ error: { code, message, details: [{ field, issue }] }, requestId }`; every response carries `X-Request-Id`. ' +
          'Request bodies are JSON in UTF-8: another media type gets 415 `UNSUPPORTED_MEDIA_TYPE`, another charset 415 ' +
          `\`UNSUPPORTED_CHARSET\`, a body over ${BODY_LIMIT / 1024 / 1024} MB 413 \`PAYLOAD_TOO_LARGE\`.`,
      )
      .setVersion('1')
      .addBearerAuth({ type: 'http', scheme: 'bearer', description: 'Retailer key (psg_live_…)' }, 'retailer')
      .addBearerAuth({ type: 'http', scheme: 'bearer', description: 'Carrier key (psg_carrier_…)' }, 'carrier')
      .addBearerAuth({ type: 'http', scheme: 'bearer', description: 'Admin token (psg_admin_… or ADMIN_TOKEN)' }, 'admin')
      .build(),
  );
  SwaggerModule.setup('docs', app, document, { jsonDocumentUrl: 'docs-json' });
  return app;
}
