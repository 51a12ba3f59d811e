import { createCipheriv, createDecipheriv, createHash, randomBytes } from 'node:crypto';

/**
 * Encryption at rest for secrets Passage must use again in clear (webhook signing secrets), as opposed to
 * credentials it only checks, which are hashed (see common/crypto/secrets.ts).
 *
 * AES-256-GCM with a random 96-bit nonce. A sealed value reads `sb1.<keyId>.<base64url(nonce | ciphertext | tag)>`:
 * the version says how to open it and the key id which key sealed it, so a new key can be introduced later
 * while values sealed under the old one still open (pass the old key as retired). The optional context is
 * authenticated (GCM additional data): a value sealed for one row does not open for another.
 */
export const SEALED_VERSION = 'sb1';
const NONCE_BYTES = 12;
const TAG_BYTES = 16;
export const SECRETS_KEY_BYTES = 32;

export class SecretBoxError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'SecretBoxError';
  }
}

/** A 32-byte key given as 64 hex characters or as base64 / base64url; `undefined` when it is neither. */
export function decodeSecretsKey(raw: string): Buffer | undefined {
  const text = raw.trim();
  if (/^[0-9a-fA-F]{64}$/.test(text)) return Buffer.from(text, 'hex');
  if (/^[A-Za-z0-9+/_-]{43}={0,1}$/.test(text)) {
    const key = Buffer.from(text.replace(/-/g, '+').replace(/_/g, '/'), 'base64');
    if (key.length === SECRETS_KEY_BYTES) return key;
  }
  return undefined;
}

/** A short, stable name for a key: enough to pick the right one, useless for guessing it. */
export function secretsKeyId(key: Buffer): string {
  return createHash('sha256').update('passage-secret-box-key-id\0').update(key).digest('hex').slice(0, 8);
}

export class SecretBox {
  private readonly currentId: string;
  private readonly keys = new Map<string, Buffer>();

  /** `retired`: earlier keys, kept only to open values sealed before a key change. */
  constructor(current: Buffer, retired: Buffer[] = []) {
    for (const key of [current, ...retired]) {
      if (key.length !== SECRETS_KEY_BYTES) throw new SecretBoxError(`a secrets key must be ${SECRETS_KEY_BYTES} bytes`);
    }
    this.currentId = secretsKeyId(current);
    for (const key of retired) this.keys.set(secretsKeyId(key), key);
    this.keys.set(this.currentId, current);
  }

  get keyId(): string {
    return this.currentId;
  }

  seal(plaintext: string, context = ''): string {
    const nonce = randomBytes(NONCE_BYTES);
    const cipher = createCipheriv('aes-256-gcm', this.keys.get(this.currentId)!, nonce);
    cipher.setAAD(Buffer.from(context, 'utf8'));
    const ciphertext = Buffer.concat([cipher.update(plaintext, 'utf8'), cipher.final()]);
    const packed = Buffer.concat([nonce, ciphertext, cipher.getAuthTag()]).toString('base64url');
    return `${SEALED_VERSION}.${this.currentId}.${packed}`;
  }

  open(sealed: string, context = ''): string {
    const [version, keyId, packed, ...rest] = sealed.split('.');
    if (version !== SEALED_VERSION || !keyId || packed === undefined || rest.length > 0) throw new SecretBoxError('not a sealed value');
    const key = this.keys.get(keyId);
    if (!key) throw new SecretBoxError(`sealed under key ${keyId}, which is not configured`);
    const bytes = Buffer.from(packed, 'base64url');
    if (bytes.length < NONCE_BYTES + TAG_BYTES) throw new SecretBoxError('sealed value is truncated');
    const decipher = createDecipheriv('aes-256-gcm', key, bytes.subarray(0, NONCE_BYTES));
    decipher.setAAD(Buffer.from(context, 'utf8'));
    decipher.setAuthTag(bytes.subarray(bytes.length - TAG_BYTES));
    try {
      return Buffer.concat([decipher.update(bytes.subarray(NONCE_BYTES, bytes.length - TAG_BYTES)), decipher.final()]).toString('utf8');
    } catch {
      throw new SecretBoxError('sealed value does not authenticate (wrong key, wrong context or tampered)');
    }
  }

  /** True when the value was sealed under a retired key and should be sealed again under the current one. */
  isStale(sealed: string): boolean {
    return sealed.split('.')[1] !== this.currentId;
  }
}
