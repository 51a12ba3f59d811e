import { Module } from '@nestjs/common';
import { APP_CONFIG, AppConfig } from '../../config/app-config';
import { EmailChannel, SmsChannel } from './channels/channel';
import { PreviewEmailChannel, PreviewSmsChannel } from './channels/preview-channels';
import { SmtpEmailChannel } from './channels/smtp-email.channel';
import { TwilioSmsChannel } from './channels/twilio-sms.channel';
import { DispatcherService } from './dispatch/dispatcher.service';
import { MessageRepository } from './dispatch/message.repository';
import { NotificationsAdminController } from './notifications.admin.controller';
import { NotificationsController } from './notifications.controller';
import { TwilioWebhookController } from './twilio-webhook.controller';
import { ShipmentsModule } from '../shipments/shipments.module';

/** Notifications core: the message outbox, its dispatcher and the channels (the planner follows). */
@Module({
  providers: [
    MessageRepository,
    DispatcherService,
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
  exports: [MessageRepository, DispatcherService],
})
export class NotificationsModule {}

/** The api role's notification endpoints. The worker imports only NotificationsModule. */
@Module({
  imports: [NotificationsModule, ShipmentsModule],
  controllers: [NotificationsController, NotificationsAdminController, TwilioWebhookController],
})
export class NotificationsApiModule {}
