import { randomBytes } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ConfigValidationError, loadAppConfig } from '../../config/app-config';
import { decodeSecretsKey, SecretBox, SecretBoxError, secretsKeyId } from './secret-box';
import { resolveSecretsKey } from './secret-box-key';

const key = () => randomBytes(32);

describe('SecretBox', () => {
  it('opens what it sealed, and seals the same secret differently each time', () => {
    const box = new SecretBox(key());
    const a = box.seal('whsec_abc', 'endpoint:1');
    const b = box.seal('whsec_abc', 'endpoint:1');
    expect(a).not.toBe(b);
    expect(a).not.toContain('whsec_abc');
    expect(box.open(a, 'endpoint:1')).toBe('whsec_abc');
    expect(box.open(b, 'endpoint:1')).toBe('whsec_abc');
  });

  it('prefixes the format version and the id of the sealing key', () => {
    const k = key();
    expect(new SecretBox(k).seal('x')).toMatch(new RegExp(`^sb1\\.${secretsKeyId(k)}\\.[A-Za-z0-9_-]+$`));
  });

  it('refuses a value sealed for another context (swapped between rows)', () => {
    const box = new SecretBox(key());
    expect(() => box.open(box.seal('s', 'endpoint:1'), 'endpoint:2')).toThrow(SecretBoxError);
  });

  it('refuses a tampered value', () => {
    const box = new SecretBox(key());
    const sealed = box.seal('secret');
    const packed = Buffer.from(sealed.split('.')[2], 'base64url');
    packed[packed.length - 20] ^= 1;
    expect(() => box.open(`sb1.${box.keyId}.${packed.toString('base64url')}`)).toThrow(SecretBoxError);
    expect(() => box.open('sb1.abc')).toThrow(SecretBoxError);
    expect(() => box.open('plain text')).toThrow(SecretBoxError);
  });

  it('opens values sealed under a retired key after a key change, and says they are stale', () => {
    const [oldKey, newKey] = [key(), key()];
    const sealedBefore = new SecretBox(oldKey).seal('secret', 'c');
    const box = new SecretBox(newKey, [oldKey]);
    expect(box.open(sealedBefore, 'c')).toBe('secret');
    expect(box.isStale(sealedBefore)).toBe(true);
    expect(box.isStale(box.seal('secret', 'c'))).toBe(false);
    expect(() => new SecretBox(newKey).open(sealedBefore, 'c')).toThrow(/not configured/);
  });

  it('accepts only 32-byte keys', () => {
    expect(() => new SecretBox(randomBytes(16))).toThrow(SecretBoxError);
  });
});

describe('decodeSecretsKey', () => {
  const k = key();
  it.each([
    ['hex', k.toString('hex')],
    ['base64', k.toString('base64')],
    ['base64url', k.toString('base64url')],
  ])('reads a 32-byte key given as %s', (_kind, text) => {
    expect(decodeSecretsKey(text)?.equals(k)).toBe(true);
  });

  it.each(['', 'short', k.toString('hex').slice(2), randomBytes(31).toString('base64'), randomBytes(33).toString('hex')])('rejects %j', (text) => {
    expect(decodeSecretsKey(text)).toBeUndefined();
  });
});

describe('resolveSecretsKey', () => {
  let dir: string;
  beforeEach(() => (dir = mkdtempSync(join(tmpdir(), 'passage-key-'))));
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('uses SECRETS_KEY when it is set', () => {
    const k = key();
    const { key: resolved, source } = resolveSecretsKey(loadAppConfig({ SECRETS_KEY: k.toString('hex'), PASSAGE_DATA_DIR: dir }));
    expect(resolved.equals(k)).toBe(true);
    expect(source).toEqual({ kind: 'configured' });
  });

  it('on the embedded default, generates a key once under the data directory (mode 0600) and reuses it on restart', () => {
    const config = loadAppConfig({ PASSAGE_DATA_DIR: dir, NODE_ENV: 'production' });
    const first = resolveSecretsKey(config);
    expect(first.source).toEqual({ kind: 'data-dir', path: join(dir, 'secrets.key'), created: true });
    expect(statSync(join(dir, 'secrets.key')).mode & 0o777).toBe(0o600);
    const second = resolveSecretsKey(config);
    expect(second.source).toMatchObject({ kind: 'data-dir', created: false });
    expect(second.key.equals(first.key)).toBe(true);
    // So a secret sealed before the restart still opens after it.
    expect(new SecretBox(second.key).open(new SecretBox(first.key).seal('whsec_x', 'c'), 'c')).toBe('whsec_x');
  });

  it('refuses a key file that does not hold a key, rather than replacing it', () => {
    writeFileSync(join(dir, 'secrets.key'), 'garbage\n', { mode: 0o600 });
    expect(() => resolveSecretsKey(loadAppConfig({ PASSAGE_DATA_DIR: dir }))).toThrow(ConfigValidationError);
    expect(readFileSync(join(dir, 'secrets.key'), 'utf8')).toBe('garbage\n');
  });

  it('derives a stable key from DATABASE_URL in development and tests', () => {
    const config = loadAppConfig({ DATABASE_URL: 'postgres://db/passage', NODE_ENV: 'test' });
    expect(resolveSecretsKey(config).source).toEqual({ kind: 'derived' });
    expect(resolveSecretsKey(config).key.equals(resolveSecretsKey(config).key)).toBe(true);
    expect(resolveSecretsKey(loadAppConfig({ DATABASE_URL: 'postgres://db/other' })).key.equals(resolveSecretsKey(config).key)).toBe(false);
  });
});
