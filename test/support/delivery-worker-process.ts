import pino from 'pino';
import { loadConfig } from '../../src/config.ts';
import { DeliveryWorker } from '../../src/delivery/engine/delivery-worker.ts';
import { auditLog } from '../../src/platform/audit/audit-log.ts';
import { systemClock } from '../../src/platform/clock.ts';
import type { AppContext } from '../../src/platform/context.ts';
import { openDatabase } from '../../src/platform/db/database.ts';
import { createMailer } from '../../src/platform/mail/mailer.ts';

// A DeliveryWorker in a process of its own, for the engine's crash and two-sender tests: the test
// kills it with SIGKILL mid-send and starts another, or runs two at once against one database.
// Started with `node --import tsx test/support/delivery-worker-process.ts` and configured by:
//   WORKER_SQLITE_FILE, or WORKER_DATABASE_URL and WORKER_PG_SCHEMA   the test's database
//   WORKER_SMTP_URL      the test's sink          WORKER_CAMPAIGN_ID   the campaign to watch
//   WORKER_LEASE_MS      short, so a restart reclaims quickly          WORKER_BATCH_SIZE
//   WORKER_OWNER         the lease owner id
// It prints "ready" once the worker runs, sends (polling, so it can start before the campaign
// does), and exits 0 when the campaign has left "sending" for good (finished or cancelled).

const env = process.env;
const required = (name: string) => {
  const value = env[name];
  if (!value) throw new Error(`${name} is not set`);
  return value;
};

async function main() {
  const config = loadConfig({
    NODE_ENV: 'test',
    LOG_LEVEL: 'silent',
    PUBLIC_URL: 'https://dispatch.example.gov',
    BULK_SMTP_URL: required('WORKER_SMTP_URL'),
    DELIVERY_RATE_PER_SECOND: '100000',
    DELIVERY_CONCURRENCY: '4',
  });
  const database = env.WORKER_DATABASE_URL
    ? openDatabase({ databaseUrl: env.WORKER_DATABASE_URL, pgSchema: required('WORKER_PG_SCHEMA'), pgPoolSize: 4 })
    : openDatabase({ sqliteFile: required('WORKER_SQLITE_FILE') });
  const log = pino({ level: 'silent' });
  const ctx: AppContext = {
    config,
    db: database.db,
    dialect: database.dialect,
    clock: systemClock,
    mailer: createMailer({ db: database.db, clock: systemClock }),
    log,
    audit: auditLog(database.db, systemClock, config.secret),
  };
  const campaignId = Number(required('WORKER_CAMPAIGN_ID'));
  const worker = new DeliveryWorker({
    ctx,
    owner: required('WORKER_OWNER'),
    leaseMs: Number(required('WORKER_LEASE_MS')),
    batchSize: Number(env.WORKER_BATCH_SIZE ?? 200),
    pollMs: 50,
    retryBaseMs: 5,
  });
  worker.start();
  process.stdout.write('ready\n');
  for (;;) {
    await new Promise((resolve) => setTimeout(resolve, 100));
    const campaign = await ctx.db.selectFrom('delivery_campaigns').select('status').where('id', '=', campaignId).executeTakeFirst();
    if (campaign?.status === 'finished' || campaign?.status === 'cancelled') break;
  }
  await worker.stop();
  await ctx.mailer.close();
  await database.close();
}

main().then(
  () => process.exit(0),
  (error: unknown) => {
    process.stderr.write(`${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
    process.exit(1);
  },
);
