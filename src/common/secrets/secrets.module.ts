import { Logger, Module } from '@nestjs/common';
import { APP_CONFIG, AppConfig } from '../../config/app-config';
import { SecretBox } from './secret-box';
import { createSecretBox } from './secret-box-key';

/** The one SecretBox (SECRETS_KEY): webhook signing secrets and stored idempotent responses are sealed with it. */
@Module({
  providers: [
    {
      provide: SecretBox,
      inject: [APP_CONFIG],
      useFactory: (config: AppConfig) => {
        const logger = new Logger('SecretBox');
        return createSecretBox(config, (message) => logger.log(message));
      },
    },
  ],
  exports: [SecretBox],
})
export class SecretsModule {}
