import { INestApplication } from '@nestjs/common';
import { NestExpressApplication } from '@nestjs/platform-express';
import { DocumentBuilder, SwaggerModule } from '@nestjs/swagger';
import { Logger } from 'nestjs-pino';
import { requestIdMiddleware } from './common/http/logging';
import { createValidationPipe } from './common/http/validation';

/** HTTP wiring shared by `main.ts` and the e2e tests, so that tests run the app as users get it. */
export function configureHttpApp(app: NestExpressApplication): INestApplication {
  app.useLogger(app.get(Logger));
  app.use(requestIdMiddleware);
  app.useBodyParser('json', { limit: '5mb' });
  // Form posts: Twilio's status callbacks and inbound messages.
  app.useBodyParser('urlencoded', { extended: false, limit: '100kb' });
  app.disable('x-powered-by');
  app.useGlobalPipes(createValidationPipe());
  app.enableShutdownHooks();
  const document = SwaggerModule.createDocument(
    app,
    new DocumentBuilder()
      .setTitle('Passage API')
      .setDescription(
        'Proactive parcel-delivery updates for cross-border eCommerce. Errors always have the shape ' +
          '`{ error: { code, message, details: [{ field, issue }] }, requestId }`; every response carries `X-Request-Id`.',
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
