import { loadConfig } from '../../src/config.ts';

// The configuration of every process in the delivery benchmark (the parent that seeds and starts
// the campaign, and the worker that sends), so both agree on the secret, the public URL and the
// bulk transport. Production settings, logging silent.

export interface DeliveryBenchEnv {
  BENCH_DATA_DIR: string;
  BENCH_SECRET: string;
  BENCH_SMTP_URL: string;
  BENCH_CONCURRENCY: string;
  /** PostgreSQL (with the benchmark's schema on its search_path); SQLite in BENCH_DATA_DIR without it. */
  BENCH_DATABASE_URL?: string | undefined;
}

export function benchConfig(env: Partial<DeliveryBenchEnv>) {
  return loadConfig({
    NODE_ENV: 'production',
    DATA_DIR: env.BENCH_DATA_DIR,
    DISPATCH_SECRET: env.BENCH_SECRET,
    PUBLIC_URL: 'https://dispatch.example.gov',
    LOG_LEVEL: 'silent',
    RUN_JOBS: 'false',
    BULK_SMTP_URL: env.BENCH_SMTP_URL,
    // Far above what the sink can take, so the token bucket never sets the pace.
    DELIVERY_RATE_PER_SECOND: '100000',
    DELIVERY_CONCURRENCY: env.BENCH_CONCURRENCY,
    ...(env.BENCH_DATABASE_URL ? { DATABASE_URL: env.BENCH_DATABASE_URL } : {}),
  });
}
