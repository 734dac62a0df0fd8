import { constants as fsConstants } from 'node:fs';
import fs from 'node:fs/promises';
import path from 'node:path';
import type { AppContext } from '../../platform/context.ts';
import { parseBounceMessage, UnreadableMessage } from './parse-bounce-message.ts';
import { recordBounce } from './record-bounce.ts';

// The bounce mailbox is a directory the MTA delivers into: a maildir (its new/ and cur/), or a plain
// directory of .eml files. Each run reads every message there, records what it reports, and moves
// the file out of the way: to processed/ once its reports are committed, to unreadable/ when it is
// not an e-mail message. A file whose reports could not be stored (the database was down) stays
// where it is for the next run. Nothing is ever deleted, and a name already taken in processed/ or
// unreadable/ gets a suffix rather than overwriting.
//
// POP3 and IMAP are not supported: point the MTA's delivery (or fetchmail/getmail) at a maildir.

export const READ_BOUNCE_MAILBOX_JOB = 'delivery.read-bounce-mailbox';

/** Larger than any real report with its quoted original; a bigger file is set aside unread. */
export const MAX_BOUNCE_FILE_BYTES = 10 * 1024 * 1024;
/** A run stops taking new files after this long, well inside the job lease; the next run goes on. */
const RUN_BUDGET_MS = 30_000;

export interface MailboxCounts {
  /** Files read and moved to processed/ (reports stored, or nothing to act on). */
  processed: number;
  /** Of those, files that reported nothing we act on (automatic replies, success notices, not a bounce). */
  ignored: number;
  /** Files moved to unreadable/. */
  unreadable: number;
  /** Files left in place because storing their reports failed; retried next run. */
  failed: number;
  hard: number;
  soft: number;
  complaint: number;
  /** Files not reached because the run's time or file budget ran out. */
  remaining: number;
}

interface MailboxLayout {
  /** Directories whose files are messages to read. */
  inboxes: string[];
  processed: string;
  unreadable: string;
}

async function isDirectory(dir: string): Promise<boolean> {
  return (await fs.stat(dir).catch(() => null))?.isDirectory() ?? false;
}

/** A maildir root (read its new/ and cur/), a maildir's new/ or cur/, or a plain directory. */
async function layoutOf(dir: string): Promise<MailboxLayout> {
  const base = path.basename(path.resolve(dir));
  let root = dir;
  let inboxes = [dir];
  if (await isDirectory(path.join(dir, 'new'))) {
    inboxes = [path.join(dir, 'new'), ...((await isDirectory(path.join(dir, 'cur'))) ? [path.join(dir, 'cur')] : [])];
  } else if (base === 'new' || base === 'cur') {
    root = path.dirname(path.resolve(dir));
  }
  return { inboxes, processed: path.join(root, 'processed'), unreadable: path.join(root, 'unreadable') };
}

/** Messages waiting in a directory, oldest name first (maildir names start with the time). */
async function messageFiles(dir: string): Promise<string[]> {
  const entries = await fs.readdir(dir, { withFileTypes: true });
  return entries
    .filter((e) => e.isFile() && !e.name.startsWith('.') && !e.name.endsWith('.tmp'))
    .map((e) => path.join(dir, e.name))
    .sort();
}

/** Moves a file into `dir` without ever replacing a file already there. */
async function moveInto(file: string, dir: string): Promise<string> {
  await fs.mkdir(dir, { recursive: true });
  const name = path.basename(file);
  for (let n = 0; ; n++) {
    const target = path.join(dir, n === 0 ? name : `${name}.${n}`);
    try {
      // link + unlink rather than rename: rename would silently replace a file of the same name.
      await fs.link(file, target);
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code;
      if (code === 'EEXIST') continue;
      if (code !== 'EXDEV' && code !== 'EPERM' && code !== 'ENOTSUP') throw error;
      // Another file system, or one without hard links: copy (never over an existing file), then remove.
      try {
        await fs.copyFile(file, target, fsConstants.COPYFILE_EXCL);
      } catch (copyError) {
        if ((copyError as NodeJS.ErrnoException).code === 'EEXIST') continue;
        throw copyError;
      }
    }
    await fs.unlink(file);
    return target;
  }
}

/**
 * Reads every message in the bounce mailbox (BOUNCE_MAILDIR unless `directory` is given), records
 * its bounces and complaints, and moves it to processed/ or unreadable/. Never throws for a bad
 * file or a failed write: it logs, counts, and carries on. Returns what it did.
 */
export async function readBounceMailbox(ctx: AppContext, options: { directory?: string; maxFiles?: number } = {}): Promise<MailboxCounts> {
  const counts: MailboxCounts = { processed: 0, ignored: 0, unreadable: 0, failed: 0, hard: 0, soft: 0, complaint: 0, remaining: 0 };
  const directory = options.directory ?? ctx.config.delivery.bounceMaildir;
  if (!directory) return counts;
  if (!(await isDirectory(directory))) {
    ctx.log.error({ directory }, 'BOUNCE_MAILDIR is not a directory: bounces are not being read');
    return counts;
  }
  const layout = await layoutOf(directory);
  let files: string[];
  try {
    files = (await Promise.all(layout.inboxes.map(messageFiles))).flat();
  } catch (error) {
    ctx.log.error({ directory, err: error }, 'bounce mailbox: could not list the messages');
    return counts;
  }
  const started = Date.now();
  const maxFiles = options.maxFiles ?? 5_000;

  for (const [index, file] of files.entries()) {
    if (index >= maxFiles || Date.now() - started > RUN_BUDGET_MS) {
      counts.remaining = files.length - index;
      break;
    }
    await readOne(ctx, file, layout, counts);
  }
  return counts;
}

async function readOne(ctx: AppContext, file: string, layout: MailboxLayout, counts: MailboxCounts): Promise<void> {
  const log = ctx.log.child({ file: path.basename(file) });
  let parsed: Awaited<ReturnType<typeof parseBounceMessage>>;
  try {
    const stat = await fs.stat(file);
    if (stat.size > MAX_BOUNCE_FILE_BYTES) throw new UnreadableMessage(`larger than ${MAX_BOUNCE_FILE_BYTES} bytes`);
    parsed = await parseBounceMessage(ctx.config.secret, await fs.readFile(file));
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return; // another runner took it
    if (!(error instanceof UnreadableMessage)) {
      // Not the file's fault (permissions, a missing module, a bug): leave it for the next run.
      counts.failed++;
      log.error({ err: error }, 'bounce mailbox: could not read a message; the file stays for the next run');
      return;
    }
    const reason = error.message;
    try {
      const target = await moveInto(file, layout.unreadable);
      counts.unreadable++;
      log.warn({ reason, movedTo: target }, 'bounce mailbox: unreadable message set aside');
    } catch (moveError) {
      counts.failed++;
      log.error({ reason, err: moveError }, 'bounce mailbox: unreadable message could not be moved');
    }
    return;
  }

  try {
    if (parsed.outcome === 'reports') {
      // Subscriber order, so two runs that overlap take the per-subscriber locks in the same order.
      const reports = [...parsed.reports].sort((a, b) => (a.delivery?.subscriberId ?? '').localeCompare(b.delivery?.subscriberId ?? ''));
      await ctx.db.transaction().execute(async (trx) => {
        for (const report of reports) {
          await recordBounce(
            ctx,
            {
              campaignId: report.delivery?.campaignId ?? null,
              subscriberId: report.delivery?.subscriberId ?? null,
              kind: report.kind,
              source: 'mailbox',
              statusCode: report.statusCode,
              diagnostic: report.diagnostic,
              recipient: report.recipient,
            },
            trx,
          );
        }
      });
      for (const report of reports) counts[report.kind]++;
      log.info(
        { format: parsed.format, reports: reports.map((r) => ({ kind: r.kind, status: r.statusCode, mapped: r.delivery !== null })) },
        'bounce mailbox: report recorded',
      );
    } else {
      counts.ignored++;
      log.info({ reason: parsed.reason }, 'bounce mailbox: nothing to act on');
    }
  } catch (error) {
    counts.failed++;
    log.error({ err: error }, 'bounce mailbox: could not store the report; the file stays for the next run');
    return;
  }

  try {
    await moveInto(file, layout.processed);
    counts.processed++;
  } catch (error) {
    // Stored but not moved: the next run reads it again, and a report about a known delivery is not counted twice.
    counts.failed++;
    log.error({ err: error }, 'bounce mailbox: recorded message could not be moved to processed/');
  }
}
