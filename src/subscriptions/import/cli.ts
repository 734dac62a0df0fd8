import fs from 'node:fs';
import path from 'node:path';
import type { Writable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { type Command, InvalidArgumentError } from 'commander';
import { migrateToLatest } from '../../platform/db/migrate.ts';
import { AppError } from '../../platform/errors.ts';
import type { Runtime } from '../../server.ts';
import { cliActor } from '../staff-actor.ts';
import { seedSubscriptionTopics } from '../topics.ts';
import { commitImport } from './commit-import.ts';
import { discardImport } from './discard-import.ts';
import { countSubscribers, exportSubscribers } from './export-subscribers.ts';
import { MAX_SOURCE_LENGTH } from './import-format.ts';
import { firstRejections } from './import-queries.ts';
import { progressReporter } from './progress.ts';
import { validateImport } from './validate-import.ts';

/** Rejected lines the import prints before "… and N more". */
export const REJECTIONS_SHOWN = 20;

const print = (line: string) => process.stdout.write(`${line}\n`);
const count = (n: number) => n.toLocaleString('en-US');
const plural = (n: number, one: string, many: string) => `${count(n)} ${n === 1 ? one : many}`;

function sourceOption(value: string): string {
  const source = value.trim().replace(/\s+/g, ' ');
  if (source === '' || source.length > MAX_SOURCE_LENGTH) {
    throw new InvalidArgumentError(`The source must be 1 to ${MAX_SOURCE_LENGTH} characters long.`);
  }
  return source;
}

/** Opens a file for reading, or says plainly why it cannot be read. */
async function openForReading(file: string): Promise<{ size: number; stream: fs.ReadStream }> {
  try {
    const stat = await fs.promises.stat(file);
    if (!stat.isFile()) throw new AppError('VALIDATION', `${file} is not a file.`);
    await fs.promises.access(file, fs.constants.R_OK);
    return { size: stat.size, stream: fs.createReadStream(file, { highWaterMark: 256 * 1024 }) };
  } catch (error) {
    if (error instanceof AppError) throw error;
    throw new AppError(
      'NOT_FOUND',
      `Cannot read ${file}: ${(error as NodeJS.ErrnoException).code === 'ENOENT' ? 'no such file' : String(error)}.`,
    );
  }
}

async function importFile(runtime: Runtime, file: string, options: { importValid?: boolean; source?: string }): Promise<void> {
  const { ctx } = runtime;
  await migrateToLatest(ctx.db);
  await seedSubscriptionTopics(ctx.db, ctx.clock);
  const { size, stream } = await openForReading(file);
  const name = path.basename(file);
  const progress = progressReporter(process.stderr, { label: `Checking ${name}`, total: size, unit: 'lines' });
  const checked = await validateImport(ctx, {
    fileName: name,
    content: stream,
    actor: cliActor,
    defaultSource: options.source,
    onProgress: ({ bytes, lines }) => progress.update(bytes, lines),
  });
  if (checked.problem) {
    process.stderr.write(`\n${name} was refused, and nothing was imported:\n${checked.problem.message}\n`);
    process.exitCode = 1;
    return;
  }
  progress.finish(checked.totalRows);

  print(
    `${name}: ${plural(checked.totalRows, 'line', 'lines')} checked, ${count(checked.validRows)} valid, ${count(checked.rejectedRows)} rejected.`,
  );
  if (checked.rejectedRows > 0) {
    print('Rejected lines:');
    for (const { line, reason } of await firstRejections(ctx, checked.id, REJECTIONS_SHOWN)) print(`  line ${line}: ${reason}`);
    if (checked.rejectedRows > REJECTIONS_SHOWN) print(`  … and ${count(checked.rejectedRows - REJECTIONS_SHOWN)} more`);
    print(`The whole report: ${ctx.config.publicUrl}/admin/subscribers/import/${checked.id}`);
  }

  if (checked.rejectedRows > 0 && !options.importValid) {
    await discardImport(ctx, { importId: checked.id, actor: cliActor });
    print('');
    print('Nothing was imported, because some lines were rejected.');
    print(`To import the ${plural(checked.validRows, 'valid row', 'valid rows')} and leave the rejected lines out, run:`);
    print(
      `  dispatch subscribers import ${JSON.stringify(file)} --import-valid${options.source ? ` --source ${JSON.stringify(options.source)}` : ''}`,
    );
    process.exitCode = 1;
    return;
  }

  process.stderr.write(`Importing ${plural(checked.validRows, 'row', 'rows')}…\n`);
  const outcome = await commitImport(ctx, { importId: checked.id, actor: cliActor });
  print(
    `Imported: ${plural(outcome.imported, 'new subscriber', 'new subscribers')}` +
      (outcome.pendingConfirmation > 0 ? ` (${count(outcome.pendingConfirmation)} to be asked by e-mail to confirm)` : '') +
      `, ${plural(outcome.updated, 'existing subscriber', 'existing subscribers')} given topics, ` +
      `${plural(outcome.skipped, 'row', 'rows')} skipped (unsubscribed or suppressed).`,
  );
  if (outcome.pendingConfirmation > 0)
    print('The confirmation e-mails go out from the running server or worker (dispatch serve or dispatch worker).');
}

async function exportTo(runtime: Runtime, options: { out?: string }): Promise<void> {
  const { ctx } = runtime;
  await migrateToLatest(ctx.db);
  let target: Writable = process.stdout;
  if (options.out) {
    const file = path.resolve(options.out);
    if (fs.existsSync(file)) throw new AppError('CONFLICT', `${file} already exists; choose a new file name.`);
    fs.mkdirSync(path.dirname(file), { recursive: true });
    target = fs.createWriteStream(file, { flags: 'wx' });
  }
  const total = await countSubscribers(ctx);
  const progress = progressReporter(process.stderr, { label: 'Exporting subscribers', total, unit: 'rows' });
  let rows = 0;
  const csv = await exportSubscribers(ctx, {
    actor: cliActor,
    onRow: () => {
      rows++;
      if (rows % 1000 === 0) progress.update(rows, rows);
    },
  });
  // stdout must stay open after the export (commander and the process still write to it).
  await pipeline(csv, target, { end: target !== process.stdout });
  progress.finish(rows);
  if (options.out) process.stderr.write(`Wrote ${plural(rows, 'subscriber', 'subscribers')} to ${path.resolve(options.out)}.\n`);
}

/** `dispatch subscribers import FILE` and `dispatch subscribers export`. */
export function registerSubscriberCommands(
  program: Command,
  withRuntime: (fn: (runtime: Runtime) => Promise<void>) => Promise<void>,
): void {
  const subscribers = program.command('subscribers').description('Import and export e-mail subscribers as CSV.');

  subscribers
    .command('import')
    .description(
      'Check a CSV file (columns email, topics, consent_date, source) and import it. With rejected lines, nothing is imported ' +
        'unless --import-valid is given. Rows without a consent date are imported as pending and e-mailed a link to confirm.',
    )
    .argument('<file>', 'the CSV file (UTF-8)')
    .option('--import-valid', 'import the valid rows even when some lines are rejected')
    .option(
      '--source <text>',
      `consent source for rows that give none (default "import", at most ${MAX_SOURCE_LENGTH} characters)`,
      sourceOption,
    )
    .action((file: string, options: { importValid?: boolean; source?: string }) =>
      withRuntime((runtime) => importFile(runtime, file, options)),
    );

  subscribers
    .command('export')
    .description('Write every subscriber as CSV (email, status, topics, frequencies, consent evidence) to stdout or a file.')
    .option('--out <file>', 'write to this file (must not exist) instead of stdout')
    .action((options: { out?: string }) => withRuntime((runtime) => exportTo(runtime, options)));
}
