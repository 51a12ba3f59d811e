import { Module } from '@nestjs/common';
import { SecretsModule } from '../../../common/secrets/secrets.module';
import { WebhookEndpointRepository } from './webhook-endpoint.repository';
import { WebhookEndpointsService } from './webhook-endpoints.service';

/**
 * Webhook endpoints and their sealed secrets. Sending (the channel, the dispatcher's webhook path, ping)
 * is wired in NotificationsModule, which imports this one; the planner imports it for `endpointsFor`.
 */
@Module({
  imports: [SecretsModule],
  providers: [WebhookEndpointRepository, WebhookEndpointsService],
  exports: [WebhookEndpointRepository, WebhookEndpointsService, SecretsModule],
})
export class WebhooksModule {}
