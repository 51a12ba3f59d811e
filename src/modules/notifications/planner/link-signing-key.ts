import { createHash } from 'node:crypto';
import { resolveSecretsKey } from '../../../common/secrets/secret-box-key';
import type { AppConfig } from '../../../config/app-config';

const keys = new WeakMap<AppConfig, Buffer>();

/**
 * The key that signs links sent to consignees (unsubscribe): derived from the secrets key (SECRETS_KEY, or
 * the embedded default's key file), so links stay valid across restarts and instances, and never equal to it.
 */
export function linkSigningKey(config: AppConfig): Buffer {
  let key = keys.get(config);
  if (!key) {
    key = createHash('sha256').update('passage-links:').update(resolveSecretsKey(config).key).digest();
    keys.set(config, key);
  }
  return key;
}
