import { ConfigValidationError, loadAppConfig } from './app-config';

const KEY_HEX = '00112233445566778899aabbccddeeff00112233445566778899aabbccddeeff';
const load = (env: Record<string, string>, overrides?: Parameters<typeof loadAppConfig>[1]) => loadAppConfig(env, overrides);

function errorFor(env: Record<string, string>): ConfigValidationError {
  try {
    load(env);
  } catch (error) {
    if (error instanceof ConfigValidationError) return error;
    throw error;
  }
  throw new Error(`expected ${JSON.stringify(env)} to be rejected`);
}

describe('loadAppConfig', () => {
  it('starts with working defaults from an empty environment', () => {
    expect(load({})).toEqual({
      env: 'development',
      role: 'all',
      http: { port: 3000, host: '0.0.0.0', publicBaseUrl: 'http://localhost:3000' },
      database: { url: undefined, poolMax: 16, dataDir: '.passage', embeddedMaxConnections: 8, migrationsRun: true },
      auth: { adminToken: undefined },
      rateLimit: { perKeyPerMinute: 6000, publicPerIpPerMinute: 120, authFailuresPerMinute: 30 },
      idempotency: { ttlHours: 24 },
      logLevel: 'info',
      heapGrowingPercent: 100,
      seedDemo: true,
      rules: { seed: true, cacheSeconds: 5, atBooking: true },
      notifications: {
        smtpUrl: undefined,
        emailFrom: 'Passage <no-reply@passage.local>',
        twilio: undefined,
        dispatch: { batchSize: 200, pollMs: 500, leaseSeconds: 60 },
        webhooks: { secretOverlapHours: 24, disableAfterDays: 3 },
      },
      secrets: { key: undefined },
      exceptions: { slaHours: {} },
      detection: { intervalSeconds: 300, batchSize: 500 },
      edd: { minSamples: 20, windowDays: 30, pollMs: 1000 },
    });
  });

  it('takes every value from the environment, converting numbers and booleans', () => {
    const config = load({
      NODE_ENV: 'production',
      PASSAGE_ROLE: 'worker',
      PORT: '8080',
      HOST: '127.0.0.1',
      DATABASE_URL: 'postgres://passage@db:5432/passage',
      DATABASE_POOL_MAX: '40',
      PASSAGE_DATA_DIR: '/var/lib/passage',
      EMBEDDED_MAX_CONNECTIONS: '4',
      MIGRATIONS_RUN: 'false',
      ADMIN_TOKEN: 'secret-admin-token',
      PUBLIC_BASE_URL: 'https://track.example.com/',
      LOG_LEVEL: 'warn',
      RATE_LIMIT_PER_MINUTE: '100',
      PUBLIC_RATE_LIMIT_PER_MINUTE: '10',
      IDEMPOTENCY_TTL_HOURS: '48',
      HEAP_GROWING_PERCENT: '50',
      SEED_DEMO: '0',
      SMTP_URL: 'smtp://mail:1025',
      EMAIL_FROM: 'Acme <updates@acme.test>',
      TWILIO_ACCOUNT_SID: 'AC123',
      TWILIO_AUTH_TOKEN: 'token',
      TWILIO_FROM: '+15005550006',
      TWILIO_API_BASE_URL: 'http://twilio-proxy:4010',
      DISPATCH_BATCH_SIZE: '200',
      DISPATCH_POLL_MS: '250',
      DISPATCH_LEASE_SECONDS: '30',
      SECRETS_KEY: KEY_HEX,
      WEBHOOK_SECRET_OVERLAP_HOURS: '48',
      WEBHOOK_DISABLE_AFTER_DAYS: '5',
      RULES_SEED: 'false',
      RULES_CACHE_SECONDS: '30',
      COMPLIANCE_AT_BOOKING: 'false',
      CX_SLA_HOURS: 'delay=12, customs_hold=6',
    });
    expect(config).toEqual({
      env: 'production',
      role: 'worker',
      http: { port: 8080, host: '127.0.0.1', publicBaseUrl: 'https://track.example.com' },
      database: {
        url: 'postgres://passage@db:5432/passage',
        poolMax: 40,
        dataDir: '/var/lib/passage',
        embeddedMaxConnections: 4,
        migrationsRun: false,
      },
      auth: { adminToken: 'secret-admin-token' },
      rateLimit: { perKeyPerMinute: 100, publicPerIpPerMinute: 10, authFailuresPerMinute: 30 },
      idempotency: { ttlHours: 48 },
      logLevel: 'warn',
      heapGrowingPercent: 50,
      seedDemo: false,
      rules: { seed: false, cacheSeconds: 30, atBooking: false },
      notifications: {
        smtpUrl: 'smtp://mail:1025',
        emailFrom: 'Acme <updates@acme.test>',
        twilio: { accountSid: 'AC123', authToken: 'token', from: '+15005550006', apiBaseUrl: 'http://twilio-proxy:4010' },
        dispatch: { batchSize: 200, pollMs: 250, leaseSeconds: 30 },
        webhooks: { secretOverlapHours: 48, disableAfterDays: 5 },
      },
      secrets: { key: KEY_HEX },
      exceptions: { slaHours: { delay: 12, customs_hold: 6 } },
      detection: { intervalSeconds: 300, batchSize: 500 },
      edd: { minSamples: 20, windowDays: 30, pollMs: 1000 },
    });
  });

  it('names a CX_SLA_HOURS entry that is not type=hours of a known type', () => {
    const message = errorFor({ CX_SLA_HOURS: 'delay=24,unknown=5,customs_hold=soon' }).message;
    expect(message).toContain('CX_SLA_HOURS');
    expect(message).toContain('"unknown" is not an exception type');
    expect(message).toContain('"customs_hold=soon" is not type=hours');
  });

  it('leaves SMS in preview unless the Twilio account, token and sender are all set', () => {
    expect(load({ TWILIO_ACCOUNT_SID: 'AC1', TWILIO_AUTH_TOKEN: 't' }).notifications.twilio).toBeUndefined();
  });

  it.each(['1', 'true', 'TRUE', 'yes', 'on'])('reads %j as true', (value) => {
    expect(load({ SEED_DEMO: value, MIGRATIONS_RUN: value })).toMatchObject({ seedDemo: true, database: { migrationsRun: true } });
  });

  it('derives the public base URL from the port when it is not set', () => {
    expect(load({ PORT: '4100' }).http.publicBaseUrl).toBe('http://localhost:4100');
  });

  it('treats an empty DATABASE_URL or ADMIN_TOKEN as unset', () => {
    const config = load({ DATABASE_URL: '', ADMIN_TOKEN: '' });
    expect(config.database.url).toBeUndefined();
    expect(config.auth.adminToken).toBeUndefined();
  });

  it('lets the command line choose the role over the environment', () => {
    expect(load({ PASSAGE_ROLE: 'worker' }, { role: 'api' }).role).toBe('api');
  });

  it('reads process.env when given no environment', () => {
    expect(loadAppConfig().env).toBe('test');
  });

  describe('bad values', () => {
    it('rejects an unknown role, naming the variable, the value and the choices', () => {
      const error = errorFor({ PASSAGE_ROLE: 'x' });
      expect(error.message).toMatch(/^Invalid configuration:/);
      expect(error.message).toContain('PASSAGE_ROLE="x"');
      expect(error.message).toContain('all, api, worker');
    });

    it('rejects a port that is not a number', () => {
      const error = errorFor({ PORT: 'abc' });
      expect(error).toBeInstanceOf(ConfigValidationError);
      expect(error.message).toMatch(/PORT=.*PORT must be an integer number/);
    });

    it('lists every bad variable at once, one per line', () => {
      const error = errorFor({ PORT: '70000', LOG_LEVEL: 'loud', IDEMPOTENCY_TTL_HOURS: '0', PUBLIC_BASE_URL: 'not a url' });
      const lines = error.message.split('\n').slice(1);
      expect(lines).toHaveLength(4);
      expect(lines).toEqual(
        expect.arrayContaining([
          expect.stringContaining('PORT="70000": PORT must not be greater than 65535'),
          expect.stringContaining('LOG_LEVEL="loud"'),
          expect.stringContaining('IDEMPOTENCY_TTL_HOURS="0": IDEMPOTENCY_TTL_HOURS must not be less than 1'),
          expect.stringContaining('PUBLIC_BASE_URL="not a url"'),
        ]),
      );
    });

    it.each([
      ['NODE_ENV', 'staging'],
      ['DATABASE_POOL_MAX', '0'],
      ['DATABASE_POOL_MAX', '201'],
      ['EMBEDDED_MAX_CONNECTIONS', '65'],
      ['RATE_LIMIT_PER_MINUTE', '1.5'],
      ['IDEMPOTENCY_TTL_HOURS', '721'],
    ])('rejects %s=%s', (name, value) => {
      expect(errorFor({ [name]: value }).message).toContain(`${name}=`);
    });

    it('quotes the value as it was set when a number does not parse', () => {
      expect(errorFor({ PORT: 'abc' }).message).toContain('PORT="abc"');
    });

    it('falls back to the default for an empty numeric variable, as for an unset one', () => {
      expect(load({ PORT: '' }).http.port).toBe(3000);
    });

    it('rejects a boolean it does not recognise instead of reading it as false', () => {
      expect(() => load({ MIGRATIONS_RUN: 'ture' })).toThrow(ConfigValidationError);
    });

    it('rejects a SECRETS_KEY that is not 32 bytes, without repeating it', () => {
      const error = errorFor({ SECRETS_KEY: 'too-short-to-be-a-key' });
      expect(error.message).toContain('SECRETS_KEY: must be 32 bytes');
      expect(error.message).not.toContain('too-short-to-be-a-key');
    });

    it('requires SECRETS_KEY in production with a DATABASE_URL, and only then', () => {
      expect(errorFor({ NODE_ENV: 'production', DATABASE_URL: 'postgres://db/passage' }).message).toContain('SECRETS_KEY: required in production');
      expect(load({ NODE_ENV: 'production' }).secrets.key).toBeUndefined(); // the embedded default keeps one in its data directory
      expect(load({ NODE_ENV: 'development', DATABASE_URL: 'postgres://db/passage' }).secrets.key).toBeUndefined();
      expect(load({ NODE_ENV: 'production', DATABASE_URL: 'postgres://db/passage', SECRETS_KEY: Buffer.alloc(32, 7).toString('base64') }).env).toBe('production');
    });
  });
});
