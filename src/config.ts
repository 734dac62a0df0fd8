import path from 'node:path';
import { z } from 'zod';

/**
 * Deploy-time configuration, read from the environment once at boot.
 * Everything an administrator may change at run time (site name, Contact Us block, senders)
 * lives in the settings table instead; see src/platform/settings.
 */

/** The secret shipped for local demos. Production refuses to start with it. */
export const DEMO_SECRET = 'dispatch-local-demo-secret-change-me-0000000000';

const envSchema = z.object({
  NODE_ENV: z.enum(['development', 'production', 'test']).default('development'),
  HOST: z.string().default('127.0.0.1'),
  PORT: z.coerce.number().int().min(0).max(65535).default(3000),
  DATA_DIR: z.string().default('./data'),
  DATABASE_URL: z
    .string()
    .regex(/^postgres(ql)?:\/\//, 'must be a postgres:// URL (leave it unset for SQLite in DATA_DIR)')
    .optional(),
  SMTP_URL: z
    .string()
    .regex(/^smtps?:\/\//, 'must be an smtp:// or smtps:// URL (leave it unset for the dev mailbox)')
    .optional(),
  PUBLIC_URL: z.url().optional(),
  DISPATCH_SECRET: z.string().optional(),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  TRUST_PROXY: z
    .enum(['true', 'false'])
    .default('false')
    .transform((v) => v === 'true'),
  RUN_JOBS: z
    .enum(['true', 'false'])
    .default('true')
    .transform((v) => v === 'true'),
  // Delivery (bulletins and digests). The bulk transport may be a different relay from transactional mail.
  BULK_SMTP_URL: z
    .string()
    .regex(/^smtps?:\/\//, 'must be an smtp:// or smtps:// URL (leave it unset to send bulletins through SMTP_URL)')
    .optional(),
  DELIVERY_RATE_PER_SECOND: z.coerce.number().positive().max(100_000).default(50),
  DELIVERY_CONCURRENCY: z.coerce.number().int().min(1).max(100).default(5),
  DELIVERY_ERROR_LIMIT: z.coerce.number().int().min(1).max(100_000).default(50),
  BOUNCE_ADDRESS: z.email().optional(),
  BOUNCE_MAILDIR: z.string().optional(),
  BOUNCE_WEBHOOK_SECRET: z.string().min(32, 'must be at least 32 characters').optional(),
  SOFT_BOUNCE_LIMIT: z.coerce.number().int().min(1).max(100).default(3),
  DKIM_DOMAIN: z.string().optional(),
  DKIM_SELECTOR: z.string().optional(),
  DKIM_PRIVATE_KEY_FILE: z.string().optional(),
});

export interface Config {
  readonly env: 'development' | 'production' | 'test';
  readonly host: string;
  readonly port: number;
  readonly dataDir: string;
  /** `undefined` selects the embedded SQLite database at `<dataDir>/dispatch.sqlite`. */
  readonly databaseUrl: string | undefined;
  /** `undefined` captures mail in the dev mailbox (`/admin/mail`). */
  readonly smtpUrl: string | undefined;
  /** Absolute origin used in links that leave the site (e-mail, console), without a trailing slash. */
  readonly publicUrl: string;
  /** True when the public URL is https: cookies get `__Host-` and `Secure`, and HSTS is sent. */
  readonly secure: boolean;
  /**
   * A local demo (not production, public URL on localhost) lets the first administrator postpone
   * enrolling a second factor; every admin page then says so.
   */
  readonly demo: boolean;
  readonly secret: string;
  readonly logLevel: string;
  readonly trustProxy: boolean;
  /** Whether `serve` also runs the job runner in-process (the embedded default). */
  readonly runJobs: boolean;
  readonly delivery: DeliveryConfig;
}

export interface DeliveryConfig {
  /** Relay for bulletins and digests; falls back to `smtpUrl`, then to the dev mailbox. */
  readonly bulkSmtpUrl: string | undefined;
  /** Token-bucket rate of the bulk transport, messages per second. */
  readonly ratePerSecond: number;
  /** Most messages in flight at once (also the SMTP pool's connection count). */
  readonly concurrency: number;
  /** Failed sends in a row after which a campaign pauses itself for a human. */
  readonly errorLimit: number;
  /** Envelope sender base: bounces come back to `local+<token>@domain` (VERP). */
  readonly bounceAddress: string | undefined;
  /** A directory of `.eml` bounce and complaint reports to read (e.g. a maildir's `new/`). */
  readonly bounceMaildir: string | undefined;
  /** Shared secret of the provider bounce webhook; the webhook is off without it. */
  readonly bounceWebhookSecret: string | undefined;
  /** Soft bounces of one address after which it is suppressed. */
  readonly softBounceLimit: number;
  /** DKIM signing of bulk mail, when all three are set. */
  readonly dkim: { domain: string; selector: string; privateKeyFile: string } | undefined;
}

export class ConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(`Invalid configuration:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
  }
}

/** Parses the environment; throws a ConfigError that lists every problem at once. */
export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  const parsed = envSchema.safeParse(env);
  if (!parsed.success) {
    throw new ConfigError(parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`));
  }
  const e = parsed.data;
  const publicUrl = (e.PUBLIC_URL ?? `http://localhost:${e.PORT}`).replace(/\/+$/, '');
  const url = new URL(publicUrl);
  const localHost = ['localhost', '127.0.0.1', '[::1]'].includes(url.hostname);
  const secret = e.DISPATCH_SECRET ?? DEMO_SECRET;

  const problems: string[] = [];
  if (e.NODE_ENV === 'production') {
    if (!e.DISPATCH_SECRET) problems.push('DISPATCH_SECRET: required in production');
    else if (secret === DEMO_SECRET) problems.push('DISPATCH_SECRET: the demo default may not be used in production');
    if (url.protocol !== 'https:') problems.push('PUBLIC_URL: must be https:// in production');
  }
  if (secret.length < 32) problems.push('DISPATCH_SECRET: must be at least 32 characters');
  const dkimParts = [e.DKIM_DOMAIN, e.DKIM_SELECTOR, e.DKIM_PRIVATE_KEY_FILE].filter((v) => v !== undefined).length;
  if (dkimParts !== 0 && dkimParts !== 3) problems.push('DKIM_DOMAIN, DKIM_SELECTOR, DKIM_PRIVATE_KEY_FILE: set all three or none');
  if (problems.length > 0) throw new ConfigError(problems);

  return Object.freeze({
    env: e.NODE_ENV,
    host: e.HOST,
    port: e.PORT,
    dataDir: path.resolve(e.DATA_DIR),
    databaseUrl: e.DATABASE_URL,
    smtpUrl: e.SMTP_URL,
    publicUrl,
    secure: url.protocol === 'https:',
    demo: e.NODE_ENV !== 'production' && localHost,
    secret,
    logLevel: e.LOG_LEVEL,
    trustProxy: e.TRUST_PROXY,
    runJobs: e.RUN_JOBS,
    delivery: Object.freeze({
      bulkSmtpUrl: e.BULK_SMTP_URL ?? e.SMTP_URL,
      ratePerSecond: e.DELIVERY_RATE_PER_SECOND,
      concurrency: e.DELIVERY_CONCURRENCY,
      errorLimit: e.DELIVERY_ERROR_LIMIT,
      bounceAddress: e.BOUNCE_ADDRESS,
      bounceMaildir: e.BOUNCE_MAILDIR,
      bounceWebhookSecret: e.BOUNCE_WEBHOOK_SECRET,
      softBounceLimit: e.SOFT_BOUNCE_LIMIT,
      dkim:
        e.DKIM_DOMAIN && e.DKIM_SELECTOR && e.DKIM_PRIVATE_KEY_FILE
          ? { domain: e.DKIM_DOMAIN, selector: e.DKIM_SELECTOR, privateKeyFile: e.DKIM_PRIVATE_KEY_FILE }
          : undefined,
    }),
  });
}
