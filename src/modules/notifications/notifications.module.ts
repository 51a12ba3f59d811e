import { Module } from '@nestjs/common';
import { APP_CONFIG, AppConfig } from '../../config/app-config';
import { EmailChannel, SmsChannel, WebhookChannel } from './channels/channel';
import { HttpWebhookChannel } from './channels/http-webhook.channel';
import { PreviewEmailChannel, PreviewSmsChannel } from './channels/preview-channels';
import { SmtpEmailChannel } from './channels/smtp-email.channel';
import { TwilioSmsChannel } from './channels/twilio-sms.channel';
import { DispatcherService } from './dispatch/dispatcher.service';
import { MessageRedriveService } from './dispatch/message-redrive.service';
import { MessageRepository } from './dispatch/message.repository';
import { NotificationsAdminController } from './notifications.admin.controller';
import { NotificationsController } from './notifications.controller';
import { TwilioWebhookController } from './twilio-webhook.controller';
import { DevMessagesController } from './dev-messages.controller';
import { PreferencesRepository } from './inbound/preferences.repository';
import { UnsubscribeController } from './inbound/unsubscribe.controller';
import { NotificationSettingsController } from './planner/notification-settings.controller';
import { ShipmentsModule } from '../shipments/shipments.module';
import { CxCoreModule } from '../cx/cx-core.module';
import { AuditModule } from '../audit/audit.module';
import { WebhookDeliveryService } from './webhooks/webhook-delivery.service';
import { WebhookEndpointsController } from './webhooks/webhook-endpoints.controller';
import { WebhooksModule } from './webhooks/webhooks.module';

/** Notifications core: the message outbox, its dispatcher and the channels (the planner follows). */
@Module({
  imports: [WebhooksModule],
  providers: [
    MessageRepository,
    DispatcherService,
    WebhookDeliveryService,
    // Signed HTTPS POSTs; the signature's timestamp is wall-clock time, which is what receivers check it against.
    // In production only public addresses are connected to (checked on the address resolved for the connection).
    { provide: WebhookChannel, inject: [APP_CONFIG], useFactory: (config: AppConfig) => new HttpWebhookChannel({ publicOnly: config.env === 'production' }) },
    {
      provide: EmailChannel,
      inject: [APP_CONFIG],
      useFactory: (config: AppConfig) =>
        config.notifications.smtpUrl
          ? new SmtpEmailChannel(config.notifications.smtpUrl, config.notifications.emailFrom)
          : new PreviewEmailChannel(),
    },
    {
      provide: SmsChannel,
      inject: [APP_CONFIG],
      useFactory: (config: AppConfig) =>
        config.notifications.twilio ? new TwilioSmsChannel(config.notifications.twilio) : new PreviewSmsChannel(),
    },
  ],
  exports: [MessageRepository, DispatcherService, WebhookDeliveryService, WebhooksModule],
})
export class NotificationsModule {}

/** The api role's notification endpoints. The worker imports only NotificationsModule. */
@Module({
  imports: [NotificationsModule, ShipmentsModule, CxCoreModule, AuditModule],
  controllers: [
    NotificationsController,
    NotificationsAdminController,
    TwilioWebhookController,
    UnsubscribeController,
    NotificationSettingsController,
    DevMessagesController,
    WebhookEndpointsController,
  ],
  providers: [PreferencesRepository, MessageRedriveService],
})
export class NotificationsApiModule {}
