import pino from 'pino';
// The worker's own modules, not the engine's index: that also carries the job which compiles a
// campaign (MJML, about 50 MB), which a sender never runs.
import { DeliveryWorker } from '../../src/delivery/engine/delivery-worker.ts';
import { readProgress } from '../../src/delivery/engine/read-progress.ts';
import { auditLog } from '../../src/platform/audit/audit-log.ts';
import { systemClock } from '../../src/platform/clock.ts';
import type { AppContext } from '../../src/platform/context.ts';
import { openDatabase, sqliteFileIn } from '../../src/platform/db/database.ts';
import { createMailer } from '../../src/platform/mail/mailer.ts';
import { benchConfig } from './delivery-config.ts';

// The sender of the delivery benchmark: a DeliveryWorker in a process of its own, so the peak
// resident memory it reports (process.resourceUsage().maxRSS) is the sender's alone. It opens the
// database and loads only what a worker needs (configuration, database, delivery engine, message
// renderer), not the web app, reports { ready } over IPC, and on "go" sends until no row of the
// campaign is left to claim, then reports a WorkerRun and exits. bench/delivery.ts starts it with
// BENCH_DATA_DIR or BENCH_DATABASE_URL, BENCH_SECRET, BENCH_SMTP_URL, BENCH_CONCURRENCY and
// BENCH_CAMPAIGN_ID.

export interface WorkerRun {
  /** Date.now() when "go" arrived and when the last row was settled. */
  goAt: number;
  finishedAt: number;
  /** From rows, read after the worker went idle. */
  status: string;
  sent: number;
  failed: number;
  pending: number;
  finished: boolean;
  /** Peak resident set size of this process, in bytes. */
  peakRss: number;
  /** Resident set size once everything was loaded and the database opened, before "go". */
  readyRss: number;
  /** Largest V8 heap (total and used), and memory outside it (Buffers, native), sampled every 100 ms while sending. */
  peakHeapTotal: number;
  peakHeapUsed: number;
  peakExternal: number;
}

async function main() {
  const config = benchConfig(process.env);
  const campaignId = Number(process.env.BENCH_CAMPAIGN_ID);
  const database = openDatabase({ databaseUrl: config.databaseUrl, sqliteFile: sqliteFileIn(config.dataDir) });
  const log = pino({ level: 'silent' });
  const ctx: AppContext = {
    config,
    db: database.db,
    dialect: database.dialect,
    clock: systemClock,
    mailer: createMailer({ smtpUrl: config.smtpUrl, db: database.db, clock: systemClock }),
    log,
    audit: auditLog(database.db, systemClock, config.secret),
  };
  const worker = new DeliveryWorker({ ctx });
  const readyRss = process.memoryUsage().rss;
  await new Promise<void>((resolve) => {
    process.once('message', () => resolve());
    process.send?.({ ready: true });
  });
  const peaks = { heapTotal: 0, heapUsed: 0, external: 0 };
  const sample = () => {
    const usage = process.memoryUsage();
    peaks.heapTotal = Math.max(peaks.heapTotal, usage.heapTotal);
    peaks.heapUsed = Math.max(peaks.heapUsed, usage.heapUsed);
    peaks.external = Math.max(peaks.external, usage.external);
  };
  const sampler = setInterval(sample, 100);
  const goAt = Date.now();
  await worker.runUntilIdle(campaignId);
  const finishedAt = Date.now();
  clearInterval(sampler);
  sample();
  await worker.stop();
  const progress = await readProgress(ctx, campaignId);
  await ctx.mailer.close();
  await database.close();
  const run: WorkerRun = {
    goAt,
    finishedAt,
    status: progress.status,
    sent: progress.sent,
    failed: progress.failed,
    pending: progress.pending + progress.sending,
    finished: progress.finished,
    // maxRSS is in kilobytes.
    peakRss: process.resourceUsage().maxRSS * 1024,
    readyRss,
    peakHeapTotal: peaks.heapTotal,
    peakHeapUsed: peaks.heapUsed,
    peakExternal: peaks.external,
  };
  return run;
}

main().then(
  // Exit only once the message is out: exiting at once can drop it.
  (run) => process.send?.(run, () => process.exit(0)),
  (error) => {
    console.error(error);
    process.exit(1);
  },
);
// The parent going away (a crash, Ctrl-C) must not leave this sender running.
process.on('disconnect', () => process.exit(0));
