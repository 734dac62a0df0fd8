import fs from 'node:fs';
import path from 'node:path';
import SQLite from 'better-sqlite3';
import { Command, InvalidArgumentError, Option } from 'commander';
import { issueSetupLink } from './accounts/issue-setup-link.ts';
import { type Config, ConfigError, loadConfig } from './config.ts';
import { registerCampaignCommands } from './delivery/cli.ts';
import { DeliveryWorker } from './delivery/engine/delivery-worker.ts';
import { createJobRunner } from './jobs.ts';
import { migrateToLatest, pendingMigrations } from './platform/db/migrate.ts';
import type { StaffRole } from './platform/db/schema.ts';
import { AppError } from './platform/errors.ts';
import { createHttpApp, createRuntime, type Runtime } from './server.ts';
import { prepareInstallation, seedInstallation } from './start.ts';
import { registerSubscriberCommands } from './subscriptions/import/cli.ts';

const print = (line: string) => process.stdout.write(`${line}\n`);

function config(): Config {
  try {
    return loadConfig();
  } catch (error) {
    if (error instanceof ConfigError) {
      process.stderr.write(`${error.message}\n`);
      process.exit(1);
    }
    throw error;
  }
}

/** Runs a command with a runtime and always closes it, so the process can exit. */
async function withRuntime(fn: (runtime: Runtime) => Promise<void>): Promise<void> {
  const runtime = createRuntime(config());
  try {
    await fn(runtime);
  } finally {
    await runtime.close();
  }
}

function onShutdown(stop: () => Promise<void>): void {
  let stopping = false;
  for (const signal of ['SIGINT', 'SIGTERM'] as const) {
    process.on(signal, () => {
      if (stopping) return;
      stopping = true;
      stop().then(
        () => process.exit(0),
        () => process.exit(1),
      );
    });
  }
}

const program = new Command('dispatch')
  .description('Community Policing Dispatch: the newsletter site, its subscribers and the MOU workspace.')
  .showHelpAfterError();

program
  .command('serve')
  .description('Migrate, seed what is missing, and serve the site (and run jobs unless RUN_JOBS=false).')
  .action(async () => {
    const runtime = createRuntime(config());
    const { ctx } = runtime;
    await prepareInstallation(ctx, print);
    const app = await createHttpApp(ctx);
    const runner = ctx.config.runJobs ? await createJobRunner(ctx) : undefined;
    const delivery = ctx.config.runJobs ? new DeliveryWorker({ ctx }) : undefined;
    await app.listen({ host: ctx.config.host, port: ctx.config.port });
    runner?.start();
    delivery?.start();
    print(`  Dispatch is serving ${ctx.config.publicUrl} (database: ${ctx.dialect}, mail: ${ctx.mailer.kind})`);
    onShutdown(async () => {
      await app.close();
      await runner?.stop();
      await delivery?.stop();
      await runtime.close();
    });
  });

program
  .command('worker')
  .description('Run background jobs (scheduled publishing, digests, cleanup) without serving HTTP.')
  .action(async () => {
    const runtime = createRuntime(config());
    const pending = await pendingMigrations(runtime.ctx.db);
    if (pending.length > 0) {
      process.stderr.write(`The database needs migrations first (${pending.join(', ')}): run "dispatch migrate".\n`);
      await runtime.close();
      process.exit(1);
    }
    const runner = await createJobRunner(runtime.ctx);
    const delivery = new DeliveryWorker({ ctx: runtime.ctx });
    runner.start();
    delivery.start();
    print(`  Dispatch worker ${runner.owner} is running jobs (database: ${runtime.ctx.dialect})`);
    onShutdown(async () => {
      await runner.stop();
      await delivery.stop();
      await runtime.close();
    });
  });

program
  .command('migrate')
  .description('Apply pending database migrations (forward-only; safe to run twice).')
  .action(() =>
    withRuntime(async ({ ctx }) => {
      const applied = await migrateToLatest(ctx.db);
      print(applied.length ? `Applied: ${applied.join(', ')}` : 'The database is up to date.');
    }),
  );

program
  .command('seed')
  .description('Insert the site settings and the demo issue where they are missing (never overwrites).')
  .action(() =>
    withRuntime(async ({ ctx }) => {
      await migrateToLatest(ctx.db);
      const report = await seedInstallation(ctx);
      print(
        `Seeded: settings ${report.settings ? 'written' : 'already present'}, ${report.issues} issue(s), ${report.articles} article(s), ${report.events} event(s).`,
      );
    }),
  );

const staffRoles: StaffRole[] = ['admin', 'editor', 'publisher'];
const user = program.command('user').description('Manage staff accounts.');
user
  .command('add')
  .description('Invite a staff member and print a one-time setup link (valid 24 hours).')
  .argument('<email>', 'their e-mail address')
  .addOption(new Option('--role <role>', 'staff role').choices(staffRoles).makeOptionMandatory())
  .option('--name <name>', 'display name (they can change it on the setup page)')
  .action((email: string, options: { role: StaffRole; name?: string }) =>
    withRuntime(async ({ ctx }) => {
      await migrateToLatest(ctx.db);
      if (!/^[^\s@]+@[^\s@]+$/.test(email)) throw new InvalidArgumentError(`"${email}" is not an e-mail address.`);
      const link = await issueSetupLink(ctx, { email, role: options.role, displayName: options.name, actor: 'cli' });
      print(`Setup link for ${email} (${options.role}), valid until ${link.expiresAt}:`);
      print(link.url);
    }),
  );

program
  .command('backup')
  .description('Write a consistent copy of the SQLite database while Dispatch keeps running.')
  .argument('<file>', 'where to write the copy (must not exist)')
  .action((file: string) =>
    withRuntime(async ({ database }) => {
      if (!database.sqlite) {
        process.stderr.write('Dispatch is on PostgreSQL: back it up with pg_dump (see README, "Backups").\n');
        process.exitCode = 2;
        return;
      }
      const target = path.resolve(file);
      if (fs.existsSync(target)) throw new AppError('CONFLICT', `${target} already exists; choose a new file name.`);
      fs.mkdirSync(path.dirname(target), { recursive: true });
      // SQLite's online backup API copies a consistent snapshot page by page, even mid-write.
      await database.sqlite.backup(target);
      const copy = new SQLite(target, { readonly: true });
      const check = copy.pragma('integrity_check', { simple: true });
      copy.close();
      if (check !== 'ok') throw new Error(`The backup failed its integrity check: ${String(check)}`);
      print(`Backup written to ${target} (integrity check: ok).`);
    }),
  );

registerSubscriberCommands(program, withRuntime);
registerCampaignCommands(program, withRuntime);

program.parseAsync().catch((error: unknown) => {
  // Expected failures get their message; anything else its stack, for the operator at the console.
  if (error instanceof AppError || error instanceof InvalidArgumentError) process.stderr.write(`${error.message}\n`);
  else process.stderr.write(`${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
  process.exit(1);
});
