import { createHash, randomBytes } from 'node:crypto';
import { chmodSync, mkdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { AppConfig } from '../../config/app-config';
import { ConfigValidationError } from '../../config/app-config';
import { decodeSecretsKey, SecretBox, SECRETS_KEY_BYTES } from './secret-box';

export type SecretsKeySource =
  | { kind: 'configured' }
  /** Generated on first start of the embedded default and kept beside its database. */
  | { kind: 'data-dir'; path: string; created: boolean }
  /** Development and tests on a real database without SECRETS_KEY: derived from the database URL, not secret. */
  | { kind: 'derived' };

export const SECRETS_KEY_FILE = 'secrets.key';

export const MISSING_KEY_MESSAGE =
  'SECRETS_KEY is required in production with DATABASE_URL: it encrypts the webhook signing secrets at rest. ' +
  'Set it to 32 random bytes, hex or base64 (e.g. `openssl rand -hex 32`), and keep it: without it they cannot be decrypted.';

/**
 * Which key seals secrets at rest. SECRETS_KEY when set; in production against a real database it must be.
 * The embedded default keeps a generated key under its data directory (mode 0600), so restarts can still
 * decrypt what earlier runs sealed. Development and tests on a real database derive one from its URL.
 */
export function resolveSecretsKey(config: AppConfig): { key: Buffer; source: SecretsKeySource } {
  if (config.secrets.key) {
    const key = decodeSecretsKey(config.secrets.key);
    if (!key) throw new ConfigValidationError(`Invalid configuration:\n  - SECRETS_KEY: must be ${SECRETS_KEY_BYTES} bytes, hex or base64`);
    return { key, source: { kind: 'configured' } };
  }
  if (config.database.url) {
    if (config.env === 'production') throw new ConfigValidationError(`Invalid configuration:\n  - ${MISSING_KEY_MESSAGE}`);
    const key = createHash('sha256').update('passage-development-secrets-key\0').update(config.database.url).digest();
    return { key, source: { kind: 'derived' } };
  }
  return keyFromDataDir(config.database.dataDir);
}

function keyFromDataDir(dataDir: string): { key: Buffer; source: SecretsKeySource } {
  const path = join(dataDir, SECRETS_KEY_FILE);
  mkdirSync(dataDir, { recursive: true });
  let created = false;
  try {
    writeFileSync(path, `${randomBytes(SECRETS_KEY_BYTES).toString('hex')}\n`, { mode: 0o600, flag: 'wx' });
    created = true;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
  }
  // Tightened if someone loosened it; the key is as sensitive as the secrets it protects.
  if ((statSync(path).mode & 0o077) !== 0) chmodSync(path, 0o600);
  const key = decodeSecretsKey(readFileSync(path, 'utf8'));
  if (!key) throw new ConfigValidationError(`${path} does not hold a ${SECRETS_KEY_BYTES}-byte key (hex); restore it from a backup or set SECRETS_KEY`);
  return { key, source: { kind: 'data-dir', path, created } };
}

/** The SecretBox for this process, with a log line saying where its key came from (never the key). */
export function createSecretBox(config: AppConfig, log: (message: string) => void = () => undefined): SecretBox {
  const { key, source } = resolveSecretsKey(config);
  const box = new SecretBox(key);
  if (source.kind === 'data-dir') {
    log(`${source.created ? 'Generated' : 'Using'} the secrets key in ${source.path} (key ${box.keyId}); back it up with the data directory.`);
  } else if (source.kind === 'derived') {
    log('SECRETS_KEY is unset: secrets at rest use a key derived from DATABASE_URL, fit for development and tests only.');
  }
  return box;
}
