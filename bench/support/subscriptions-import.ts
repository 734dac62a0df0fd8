import fs from 'node:fs';
import pino from 'pino';
import { loadConfig } from '../../src/config.ts';
import { migrateToLatest } from '../../src/platform/db/migrate.ts';
import { createRuntime } from '../../src/server.ts';
import { seedInstallation } from '../../src/start.ts';
import { commitImport } from '../../src/subscriptions/import/commit-import.ts';
import { validateImport } from '../../src/subscriptions/import/validate-import.ts';

// One import (check + "import the valid rows") in a process of its own, on a fresh data directory,
// so the peak resident memory it reports (process.resourceUsage().maxRSS) is this import's alone.
// Started by bench/subscriptions.ts with BENCH_DATA_DIR, BENCH_SECRET and BENCH_CSV; reports the
// result over IPC and exits.

export interface ImportRun {
  lines: number;
  valid: number;
  rejected: number;
  imported: number;
  checkMs: number;
  commitMs: number;
  /** Peak resident set size of this process, in bytes. */
  peakRss: number;
  /** Resident set size after start-up and migrations, before the file is opened. */
  baselineRss: number;
}

async function main(): Promise<ImportRun> {
  const config = loadConfig({
    NODE_ENV: 'production',
    DATA_DIR: process.env.BENCH_DATA_DIR,
    DISPATCH_SECRET: process.env.BENCH_SECRET,
    PUBLIC_URL: 'https://dispatch.example.gov',
    LOG_LEVEL: 'silent',
    ...(process.env.BENCH_DATABASE_URL ? { DATABASE_URL: process.env.BENCH_DATABASE_URL } : {}),
  });
  const runtime = createRuntime(config, { logger: pino({ level: 'silent' }) });
  const { ctx } = runtime;
  await migrateToLatest(ctx.db);
  await seedInstallation(ctx);
  const baselineRss = process.memoryUsage().rss;
  const actor = { userId: null, email: 'bench' };

  let started = performance.now();
  const checked = await validateImport(ctx, {
    fileName: 'bench.csv',
    content: fs.createReadStream(process.env.BENCH_CSV as string, { highWaterMark: 256 * 1024 }),
    actor,
  });
  const checkMs = performance.now() - started;
  if (checked.problem) throw checked.problem;
  started = performance.now();
  const outcome = await commitImport(ctx, { importId: checked.id, actor });
  const commitMs = performance.now() - started;
  // A million-row transaction leaves a large WAL; fold it in so the app starts on a plain file.
  if (runtime.database.sqlite) runtime.database.sqlite.pragma('wal_checkpoint(TRUNCATE)');
  await runtime.close();

  return {
    lines: checked.totalRows,
    valid: checked.validRows,
    rejected: checked.rejectedRows,
    imported: outcome.imported,
    checkMs,
    commitMs,
    // maxRSS is in kilobytes.
    peakRss: process.resourceUsage().maxRSS * 1024,
    baselineRss,
  };
}

main().then(
  // Exit only once the message is out: exiting at once can drop it.
  (run) => process.send?.(run, () => process.exit(0)),
  (error) => {
    console.error(error);
    process.exit(1);
  },
);
