import { Logger, Module } from '@nestjs/common';
import { SecretBox } from '../../../common/secrets/secret-box';
import { createSecretBox } from '../../../common/secrets/secret-box-key';
import { APP_CONFIG, AppConfig } from '../../../config/app-config';
import { WebhookEndpointRepository } from './webhook-endpoint.repository';
import { WebhookEndpointsService } from './webhook-endpoints.service';

/**
 * Webhook endpoints and their sealed secrets. Sending (the channel, the dispatcher's webhook path, ping)
 * is wired in NotificationsModule, which imports this one; the planner imports it for `endpointsFor`.
 */
@Module({
  providers: [
    WebhookEndpointRepository,
    WebhookEndpointsService,
    {
      provide: SecretBox,
      inject: [APP_CONFIG],
      useFactory: (config: AppConfig) => {
        const logger = new Logger('SecretBox');
        return createSecretBox(config, (message) => logger.log(message));
      },
    },
  ],
  exports: [WebhookEndpointRepository, WebhookEndpointsService, SecretBox],
})
export class WebhooksModule {}
