import { plainToInstance, Transform } from 'class-transformer';
import { IsBoolean, IsIn, IsInt, IsOptional, IsString, IsUrl, Max, Min, validateSync } from 'class-validator';
import { decodeSecretsKey } from '../common/secrets/secret-box';
import { ExceptionType, parseSlaHours } from '../modules/cx/exceptions/exception-types';

export const PROCESS_ROLES = ['all', 'api', 'worker'] as const;
export type ProcessRole = (typeof PROCESS_ROLES)[number];

// An unrecognised value is passed through unchanged, so that validation rejects it and names it as set.
const toBool = ({ value }: { value: unknown }) => {
  const text = String(value).toLowerCase();
  if (['1', 'true', 'yes', 'on'].includes(text)) return true;
  if (['0', 'false', 'no', 'off'].includes(text)) return false;
  return value;
};
const toInt = ({ value }: { value: unknown }) => (typeof value === 'string' && /^-?\d+$/.test(value.trim()) ? Number(value) : value);
const emptyToUndefined = ({ value }: { value: unknown }) => (value === '' ? undefined : value);

/** The raw environment, validated. Only `loadAppConfig` reads `process.env`. */
class EnvironmentSchema {
  @IsIn(['development', 'production', 'test']) NODE_ENV: 'development' | 'production' | 'test' = 'development';
  @IsIn(PROCESS_ROLES) PASSAGE_ROLE: ProcessRole = 'all';
  @Transform(toInt) @IsInt() @Min(0) @Max(65535) PORT = 3000;
  @IsString() HOST = '0.0.0.0';
  @Transform(emptyToUndefined) @IsOptional() @IsString() DATABASE_URL?: string;
  @Transform(toInt) @IsInt() @Min(1) @Max(200) DATABASE_POOL_MAX = 16;
  @IsString() PASSAGE_DATA_DIR = '.passage';
  @Transform(toInt) @IsInt() @Min(1) @Max(64) EMBEDDED_MAX_CONNECTIONS = 8;
  @Transform(toBool) @IsBoolean() MIGRATIONS_RUN = true;
  @Transform(emptyToUndefined) @IsOptional() @IsString() ADMIN_TOKEN?: string;
  /** Externally visible base for links; defaults to http://localhost:PORT. */
  @Transform(emptyToUndefined) @IsOptional() @IsUrl({ require_tld: false, require_protocol: true }) PUBLIC_BASE_URL?: string;
  @IsIn(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']) LOG_LEVEL = 'info';
  /**
   * How far V8 lets the heap grow past what the last full collection kept before collecting again, in percent
   * (100: to twice the live heap). V8's own default grows it up to fourfold under load, which held 320–330 MB
   * at 1,000 scans/s where 100 holds about 215 MB for no measurable CPU (bench/README.md). 0 leaves V8's default.
   */
  @Transform(toInt) @IsInt() @Min(0) @Max(300) HEAP_GROWING_PERCENT = 100;
  @Transform(toInt) @IsInt() @Min(1) RATE_LIMIT_PER_MINUTE = 6000;
  @Transform(toInt) @IsInt() @Min(1) PUBLIC_RATE_LIMIT_PER_MINUTE = 120;
  @Transform(toInt) @IsInt() @Min(1) AUTH_FAILURES_PER_MINUTE = 30;
  @Transform(toInt) @IsInt() @Min(1) @Max(720) IDEMPOTENCY_TTL_HOURS = 24;
  @Transform(toBool) @IsBoolean() SEED_DEMO = true;
  /** Load the seeded rule sets (country-facts) at start; each version is written once. */
  @Transform(toBool) @IsBoolean() RULES_SEED = true;
  /** How long an instance keeps rule sets and rates in memory before re-reading (its own writes apply at once). */
  @Transform(toInt) @IsInt() @Min(0) @Max(3600) RULES_CACHE_SECONDS = 5;
  /** Evaluate the country rules when a shipment is booked (off only while rule sets are being set up, or to measure). */
  @Transform(toBool) @IsBoolean() COMPLIANCE_AT_BOOKING = true;
  @Transform(emptyToUndefined) @IsOptional() @IsString() SMTP_URL?: string;
  @IsString() EMAIL_FROM = 'Passage <no-reply@passage.local>';
  @Transform(emptyToUndefined) @IsOptional() @IsString() TWILIO_ACCOUNT_SID?: string;
  @Transform(emptyToUndefined) @IsOptional() @IsString() TWILIO_AUTH_TOKEN?: string;
  @Transform(emptyToUndefined) @IsOptional() @IsString() TWILIO_FROM?: string;
  @Transform(emptyToUndefined) @IsOptional() @IsUrl({ require_tld: false, require_protocol: true }) TWILIO_API_BASE_URL?: string;
  /**
   * Messages one dispatcher claims, and sends concurrently, per round. Larger rounds cost fewer statements and
   * event-loop turns per message; the lease (DISPATCH_LEASE_SECONDS) must still cover a whole round at the
   * slowest provider's pace (200 messages over 10 SMTP connections at 1 s each: 20 s).
   */
  @Transform(toInt) @IsInt() @Min(1) @Max(1000) DISPATCH_BATCH_SIZE = 200;
  @Transform(toInt) @IsInt() @Min(10) @Max(60_000) DISPATCH_POLL_MS = 500;
  @Transform(toInt) @IsInt() @Min(5) @Max(3600) DISPATCH_LEASE_SECONDS = 60;
  /** 32 bytes, hex or base64: encrypts secrets kept at rest (webhook signing secrets). Required in production with DATABASE_URL. */
  @Transform(emptyToUndefined) @IsOptional() @IsString() SECRETS_KEY?: string;
  /** After a webhook secret rotation, how long the previous secret keeps signing beside the new one. */
  @Transform(toInt) @IsInt() @Min(0) @Max(720) WEBHOOK_SECRET_OVERLAP_HOURS = 24;
  /** A webhook endpoint whose every delivery has failed for this many days is disabled. */
  @Transform(toInt) @IsInt() @Min(1) @Max(90) WEBHOOK_DISABLE_AFTER_DAYS = 3;
  /** SLA hours per exception type, e.g. `delay=24,customs_hold=12`; unnamed types keep their defaults. */
  @Transform(emptyToUndefined) @IsOptional() @IsString() CX_SLA_HOURS?: string;
  /** Seconds between proactive-detection sweeps (one instance sweeps at a time); 0 turns the schedule off. */
  @Transform(toInt) @IsInt() @Min(0) @Max(86_400) DETECTION_INTERVAL_SECONDS = 300;
  /** Detections written per transaction during a sweep. */
  @Transform(toInt) @IsInt() @Min(1) @Max(10_000) DETECTION_BATCH_SIZE = 500;
  /** Delivered shipments a lane needs in the window before its observed transit times replace the configured ones. */
  @Transform(toInt) @IsInt() @Min(1) @Max(100_000) EDD_MIN_SAMPLES = 20;
  /** The window of deliveries whose transit times make a lane's observed estimate, in days. */
  @Transform(toInt) @IsInt() @Min(1) @Max(365) EDD_WINDOW_DAYS = 30;
  /** How often the estimated-delivery loop looks for new journey events when idle, in ms. */
  @Transform(toInt) @IsInt() @Min(10) @Max(60_000) EDD_POLL_MS = 1000;
}

export interface AppConfig {
  env: 'development' | 'production' | 'test';
  role: ProcessRole;
  http: { port: number; host: string; publicBaseUrl: string };
  database: {
    /** Unset means: start the embedded PostgreSQL (PGlite) under `dataDir`. */
    url?: string;
    poolMax: number;
    dataDir: string;
    embeddedMaxConnections: number;
    migrationsRun: boolean;
  };
  auth: { adminToken?: string };
  rateLimit: { perKeyPerMinute: number; publicPerIpPerMinute: number; authFailuresPerMinute: number };
  idempotency: { ttlHours: number };
  logLevel: string;
  heapGrowingPercent: number;
  seedDemo: boolean;
  rules: { seed: boolean; cacheSeconds: number; atBooking: boolean };
  notifications: {
    /** Unset: email goes to the local preview instead of being sent. */
    smtpUrl?: string;
    emailFrom: string;
    /** Unset: SMS goes to the local preview instead of being sent. */
    twilio?: { accountSid: string; authToken: string; from: string; apiBaseUrl?: string };
    dispatch: { batchSize: number; pollMs: number; leaseSeconds: number };
    webhooks: { secretOverlapHours: number; disableAfterDays: number };
  };
  /** Unset: see resolveSecretsKey (common/secrets/secret-box-key.ts). */
  secrets: { key?: string };
  /** The CX desk's exceptions: SLA hours overriding the defaults in exception-types.ts. */
  exceptions: { slaHours: Partial<Record<ExceptionType, number>> };
  /** Proactive detection: the sweep schedule (0: off) and its write batch. */
  detection: { intervalSeconds: number; batchSize: number };
  /** Estimated delivery: when observed lane times replace configured ones, and the loop's idle poll. */
  edd: { minSamples: number; windowDays: number; pollMs: number };
}

export class ConfigValidationError extends Error {}

export function loadAppConfig(env: NodeJS.ProcessEnv = process.env, overrides: { role?: ProcessRole } = {}): AppConfig {
  // An empty variable means unset, so the default applies.
  const given = Object.fromEntries(Object.entries(env).filter(([, value]) => value !== undefined && value !== ''));
  const parsed = plainToInstance(EnvironmentSchema, given, { exposeDefaultValues: true });
  const errors = validateSync(parsed, { whitelist: false, skipMissingProperties: false });
  const lines = errors.map((e) => `  - ${e.property}=${JSON.stringify(given[e.property] ?? e.value)}: ${Object.values(e.constraints ?? {}).join('; ')}`);
  // Named without its value: the key is a secret.
  if (parsed.SECRETS_KEY !== undefined && !decodeSecretsKey(parsed.SECRETS_KEY)) lines.push('  - SECRETS_KEY: must be 32 bytes, hex (64 characters) or base64');
  if (parsed.SECRETS_KEY === undefined && parsed.NODE_ENV === 'production' && parsed.DATABASE_URL) {
    lines.push('  - SECRETS_KEY: required in production with DATABASE_URL (32 random bytes, e.g. `openssl rand -hex 32`); it encrypts webhook secrets at rest');
  }
  const sla = parseSlaHours(parsed.CX_SLA_HOURS);
  if (sla.errors.length > 0) lines.push(`  - CX_SLA_HOURS=${JSON.stringify(parsed.CX_SLA_HOURS)}: ${sla.errors.join('; ')}`);
  if (lines.length > 0) {
    throw new ConfigValidationError(`Invalid configuration:\n${lines.join('\n')}`);
  }
  return {
    env: parsed.NODE_ENV,
    role: overrides.role ?? parsed.PASSAGE_ROLE,
    http: { port: parsed.PORT, host: parsed.HOST, publicBaseUrl: (parsed.PUBLIC_BASE_URL ?? `http://localhost:${parsed.PORT}`).replace(/\/$/, '') },
    database: {
      url: parsed.DATABASE_URL,
      poolMax: parsed.DATABASE_POOL_MAX,
      dataDir: parsed.PASSAGE_DATA_DIR,
      embeddedMaxConnections: parsed.EMBEDDED_MAX_CONNECTIONS,
      migrationsRun: parsed.MIGRATIONS_RUN,
    },
    auth: { adminToken: parsed.ADMIN_TOKEN },
    rateLimit: {
      perKeyPerMinute: parsed.RATE_LIMIT_PER_MINUTE,
      publicPerIpPerMinute: parsed.PUBLIC_RATE_LIMIT_PER_MINUTE,
      authFailuresPerMinute: parsed.AUTH_FAILURES_PER_MINUTE,
    },
    idempotency: { ttlHours: parsed.IDEMPOTENCY_TTL_HOURS },
    logLevel: parsed.LOG_LEVEL,
    heapGrowingPercent: parsed.HEAP_GROWING_PERCENT,
    seedDemo: parsed.SEED_DEMO,
    rules: { seed: parsed.RULES_SEED, cacheSeconds: parsed.RULES_CACHE_SECONDS, atBooking: parsed.COMPLIANCE_AT_BOOKING },
    notifications: {
      smtpUrl: parsed.SMTP_URL,
      emailFrom: parsed.EMAIL_FROM,
      twilio:
        parsed.TWILIO_ACCOUNT_SID && parsed.TWILIO_AUTH_TOKEN && parsed.TWILIO_FROM
          ? { accountSid: parsed.TWILIO_ACCOUNT_SID, authToken: parsed.TWILIO_AUTH_TOKEN, from: parsed.TWILIO_FROM, apiBaseUrl: parsed.TWILIO_API_BASE_URL }
          : undefined,
      dispatch: { batchSize: parsed.DISPATCH_BATCH_SIZE, pollMs: parsed.DISPATCH_POLL_MS, leaseSeconds: parsed.DISPATCH_LEASE_SECONDS },
      webhooks: { secretOverlapHours: parsed.WEBHOOK_SECRET_OVERLAP_HOURS, disableAfterDays: parsed.WEBHOOK_DISABLE_AFTER_DAYS },
    },
    secrets: { key: parsed.SECRETS_KEY },
    exceptions: { slaHours: sla.hours },
    detection: { intervalSeconds: parsed.DETECTION_INTERVAL_SECONDS, batchSize: parsed.DETECTION_BATCH_SIZE },
    edd: { minSamples: parsed.EDD_MIN_SAMPLES, windowDays: parsed.EDD_WINDOW_DAYS, pollMs: parsed.EDD_POLL_MS },
  };
}

/** Injection token for the typed configuration. */
export const APP_CONFIG = Symbol('APP_CONFIG');
