import { randomUUID } from 'node:crypto';
import type { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { CsvError, type Options, parse } from 'csv-parse';
import { sql } from 'kysely';
import { iso } from '../../platform/clock.ts';
import type { AppContext } from '../../platform/context.ts';
import type { Db } from '../../platform/db/database.ts';
import { emailHash } from '../keys.ts';
import { auditFieldsOf, type StaffActor } from '../staff-actor.ts';
import { DISPATCH_TOPIC_SLUG, listTopics } from '../topics.ts';
import { type ColumnLayout, checkRow, DEFAULT_SOURCE, MAX_LINE_BYTES, type RowRules, readHeader } from './import-format.ts';
import { withImportPageCache } from './sqlite-page-cache.ts';
import { ImportFileProblem, Utf8Check } from './utf8-check.ts';

// Step 1 of an import: read the file once, as a stream, and stage it. Valid rows go to
// subscriber_import_rows and bad lines, each with its reason, to subscriber_import_rejections, in
// transactions of STAGING_BATCH_LINES lines. Reading waits for each batch to be written before it
// takes more of the file (backpressure), so memory holds one batch however large the file is; the
// staging table's unique (import_id, email) index, not a set in memory, finds repeated addresses.

/** Lines staged per transaction. */
export const STAGING_BATCH_LINES = 5_000;

export interface ImportProgress {
  /** Bytes of the file read so far. */
  bytes: number;
  /** Lines checked so far (not counting the header). */
  lines: number;
}

export interface ValidateImportInput {
  fileName: string;
  content: Readable | AsyncIterable<Uint8Array>;
  actor: StaffActor;
  /** The source of rows that give none (at most MAX_SOURCE_LENGTH characters); "import" by default. */
  defaultSource?: string | undefined;
  /** Called after each staged batch, and once at the end. */
  onProgress?: (progress: ImportProgress) => void;
}

export interface CheckedImport {
  id: string;
  status: 'ready' | 'failed';
  totalRows: number;
  validRows: number;
  rejectedRows: number;
  /** Why the file as a whole was refused (status failed); nothing of it is staged then. */
  problem: ImportFileProblem | null;
}

/** A valid line, staged: what the commit needs of it. */
interface StagedRow {
  line: number;
  subscriberId: string;
  email: string;
  emailHash: string;
  /** JSON array of topic ids. */
  topicIds: string;
  consentAt: string | null;
  source: string;
}

interface Rejection {
  line: number;
  reason: string;
}

/**
 * A batch goes to the database as one JSON parameter that the statement unnests (json_each on
 * SQLite, jsonb_array_elements on PostgreSQL), in line order: one short statement whatever the
 * batch size, instead of a multi-row INSERT whose SQL text and bound values (eight per row) grow
 * with it, and which SQLite would compile afresh for every batch.
 */
function jsonArrayRows(dialect: AppContext['dialect'], json: string) {
  return dialect === 'postgres'
    ? {
        from: sql`jsonb_array_elements(CAST(${json} AS jsonb)) WITH ORDINALITY AS j(value, position)`,
        order: sql`j.position`,
        text: (index: number) => sql`j.value ->> ${sql.lit(index)}`,
        integer: (index: number) => sql`CAST(j.value ->> ${sql.lit(index)} AS integer)`,
      }
    : {
        from: sql`json_each(${json}) AS j`,
        order: sql`j.key`,
        text: (index: number) => sql`j.value ->> ${sql.lit(index)}`,
        integer: (index: number) => sql`j.value ->> ${sql.lit(index)}`,
      };
}

/** A file name fit for display: no folders, no control characters, at most 200 characters. */
export function cleanFileName(name: string): string {
  const base = name.split(/[\\/]/).pop() ?? '';
  // biome-ignore lint/suspicious/noControlCharactersInRegex: stripping control characters is the point
  return base.replace(/[\u0000-\u001f\u007f]/g, '').slice(0, 200) || 'subscribers.csv';
}

/** Collects a batch of lines and writes it in one transaction. */
class Stager {
  private rows: StagedRow[] = [];
  private rejections: Rejection[] = [];
  totalRows = 0;
  validRows = 0;
  rejectedRows = 0;

  constructor(
    private readonly ctx: AppContext,
    private readonly importId: string,
    private readonly afterBatch: () => void,
  ) {}

  async accept(row: StagedRow): Promise<void> {
    this.rows.push(row);
    this.totalRows++;
    this.validRows++;
    await this.flushWhenFull();
  }

  async reject(line: number, reason: string): Promise<void> {
    this.rejections.push({ line, reason });
    this.totalRows++;
    this.rejectedRows++;
    await this.flushWhenFull();
  }

  private async flushWhenFull(): Promise<void> {
    if (this.rows.length + this.rejections.length >= STAGING_BATCH_LINES) await this.flush();
  }

  async flush(): Promise<void> {
    const rows = this.rows;
    const rejections = this.rejections;
    this.rows = [];
    this.rejections = [];
    await this.ctx.db.transaction().execute(async (trx) => {
      if (rows.length > 0) await this.insertRows(trx, rows, rejections);
      if (rejections.length > 0) {
        const j = jsonArrayRows(this.ctx.dialect, JSON.stringify(rejections.map((r) => [r.line, r.reason])));
        await sql`
          INSERT INTO subscriber_import_rejections (import_id, line, reason)
          SELECT CAST(${this.importId} AS text), ${j.integer(0)}, ${j.text(1)} FROM ${j.from}`.execute(trx);
      }
      await trx
        .updateTable('subscriber_imports')
        .set({ total_rows: this.totalRows, valid_rows: this.validRows, rejected_rows: this.rejectedRows })
        .where('id', '=', this.importId)
        .execute();
    });
    this.afterBatch();
  }

  /**
   * Inserts rows in line order, letting the unique index skip any address already staged (earlier in
   * this batch too). Only when rows were skipped does it ask which line holds each of the batch's
   * addresses, and turns the later lines into rejections.
   */
  private async insertRows(trx: Db, rows: StagedRow[], rejections: Rejection[]): Promise<void> {
    const j = jsonArrayRows(
      this.ctx.dialect,
      JSON.stringify(rows.map((r) => [r.line, r.subscriberId, r.email, r.emailHash, r.topicIds, r.consentAt, r.source])),
    );
    const result = await sql`
      INSERT INTO subscriber_import_rows (import_id, line, subscriber_id, email, email_hash, topic_ids, consent_at, source)
      SELECT CAST(${this.importId} AS text), ${j.integer(0)}, ${j.text(1)}, ${j.text(2)}, ${j.text(3)}, ${j.text(4)}, ${j.text(5)}, ${j.text(6)}
      FROM ${j.from}
      WHERE true
      ORDER BY ${j.order}
      ON CONFLICT (import_id, email) DO NOTHING`.execute(trx);
    if (Number(result.numAffectedRows ?? 0) === rows.length) return;

    const emails = jsonArrayRows(this.ctx.dialect, JSON.stringify(rows.map((r) => [r.email])));
    const firsts = await sql<{ email: string; line: number }>`
      SELECT email, line FROM subscriber_import_rows
      WHERE import_id = ${this.importId} AND email IN (SELECT ${emails.text(0)} FROM ${emails.from})`.execute(trx);
    const lineOf = new Map(firsts.rows.map((first) => [first.email, Number(first.line)]));
    for (const row of rows) {
      const first = lineOf.get(row.email);
      if (first === undefined || first === row.line) continue;
      rejections.push({ line: row.line, reason: `Duplicate of line ${first}.` });
      this.validRows--;
      this.rejectedRows++;
    }
  }
}

async function rowRules(ctx: AppContext, defaultSource: string): Promise<RowRules> {
  // Staff audience: an import may put people into private topics.
  const topics = await listTopics(ctx.db, { audience: 'staff' });
  const dispatch = topics.find((topic) => topic.slug === DISPATCH_TOPIC_SLUG);
  if (!dispatch) throw new Error(`The "${DISPATCH_TOPIC_SLUG}" topic is missing; start the app once to seed it.`);
  return {
    topicIdsBySlug: new Map(topics.map((topic) => [topic.slug.toLowerCase(), topic.id])),
    defaultTopicId: dispatch.id,
    defaultSource,
    now: ctx.clock.now(),
  };
}

/** A CSV syntax error as a message about the line it starts on. */
function csvProblem(error: CsvError, line: number): ImportFileProblem {
  if (error.code === 'CSV_MAX_RECORD_SIZE') {
    return new ImportFileProblem(
      `Line ${line} is longer than ${MAX_LINE_BYTES.toLocaleString('en-US')} characters. A line that long usually has a quote (") that is never closed. Correct the line and check the file again.`,
    );
  }
  if (error.code === 'CSV_QUOTE_NOT_CLOSED') {
    return new ImportFileProblem(
      `The quote (") in line ${line} is never closed, so the rest of the file cannot be read. Correct the line and check the file again.`,
    );
  }
  return new ImportFileProblem(
    `Line ${line} could not be read as CSV: check its quotes (") and commas. Put a value that contains a comma or a quote in quotes, and double any quote inside it.`,
  );
}

interface ParsedLine {
  fields: string[];
  /** The line the record starts on (a quoted value may run over several lines). */
  line: number;
}

/**
 * Checks and stages an uploaded file. A file-level problem (broken encoding, wrong columns, CSV that
 * cannot be read) leaves the import "failed" with its message and nothing staged; otherwise it is
 * "ready", with every rejected line listed, for the administrator to import the valid rows or nothing.
 */
export async function validateImport(ctx: AppContext, input: ValidateImportInput): Promise<CheckedImport> {
  const id = randomUUID();
  const fileName = cleanFileName(input.fileName);
  await ctx.db
    .insertInto('subscriber_imports')
    .values({ id, file_name: fileName, status: 'validating', error: null, created_by: input.actor.email, created_at: iso(ctx.clock.now()) })
    .execute();

  const utf8 = new Utf8Check();
  const report = () => input.onProgress?.({ bytes: utf8.bytes, lines: stager.totalRows });
  const stager = new Stager(ctx, id, report);
  let parsedThrough = 0;
  const options: Options<ParsedLine, string[]> = {
    bom: true,
    relax_column_count: true,
    relax_quotes: true,
    skip_empty_lines: false,
    max_record_size: MAX_LINE_BYTES,
    on_record: (fields: string[], context): ParsedLine => {
      const line = parsedThrough + 1;
      parsedThrough = context.lines;
      return { fields, line };
    },
  };
  // The typings only allow on_record to return the record's own type; it returns ParsedLine here.
  const parser = parse(options as unknown as Options);

  try {
    const rules = await rowRules(ctx, input.defaultSource || DEFAULT_SOURCE);
    let layout: ColumnLayout | undefined;
    // Empty lines are rejected, except at the very end of the file, where editors leave them.
    // They are only ever consecutive, so a range is all there is to remember.
    let blank: { from: number; to: number } | undefined;

    // An error thrown while reading the records makes the stream machinery abort the parser, and
    // the pipeline then reports that abort instead: keep the first error to report it.
    let stagingError: unknown;
    await withImportPageCache(ctx, () =>
      pipeline(input.content, utf8, parser, async (records: AsyncIterable<ParsedLine>) => {
        try {
          for await (const { fields, line } of records) {
            if (!layout) {
              const header = readHeader(fields);
              if (!header.ok) throw new ImportFileProblem(header.message);
              layout = header.layout;
              continue;
            }
            if (fields.length === 1 && fields[0]!.trim() === '') {
              blank = blank ? { from: blank.from, to: line } : { from: line, to: line };
              continue;
            }
            if (blank) {
              for (let at = blank.from; at <= blank.to; at++) await stager.reject(at, 'The line is empty.');
              blank = undefined;
            }
            const checked = checkRow(fields, layout, rules);
            if (!checked.ok) {
              await stager.reject(line, checked.reason);
              continue;
            }
            const { row } = checked;
            await stager.accept({
              line,
              subscriberId: randomUUID(),
              email: row.email,
              emailHash: emailHash(ctx.config.secret, row.email),
              topicIds: JSON.stringify(row.topicIds),
              consentAt: row.consentAt,
              source: row.source,
            });
          }
          if (!layout) {
            throw new ImportFileProblem(
              'The file is empty. Its first line names the columns (email, topics, consent_date, source), then one line per subscriber.',
            );
          }
        } catch (error) {
          stagingError ??= error;
          throw error;
        }
      }),
    ).catch((error: unknown) => {
      throw stagingError ?? error;
    });
    await stager.flush();
  } catch (caught) {
    const problem =
      caught instanceof ImportFileProblem ? caught : caught instanceof CsvError ? csvProblem(caught, parsedThrough + 1) : undefined;
    await failImport(ctx, id, problem?.message ?? 'The check stopped because of an error on our side. Please try again.');
    if (!problem) throw caught;
    await ctx.audit.record({
      action: 'subscribers.import.refused',
      ...auditFieldsOf(input.actor),
      subjectType: 'subscriber_import',
      subjectId: id,
      details: { fileName, problem: problem.message.slice(0, 300) },
    });
    return { id, status: 'failed', totalRows: 0, validRows: 0, rejectedRows: 0, problem };
  }

  await ctx.db.updateTable('subscriber_imports').set({ status: 'ready' }).where('id', '=', id).execute();
  await ctx.audit.record({
    action: 'subscribers.import.checked',
    ...auditFieldsOf(input.actor),
    subjectType: 'subscriber_import',
    subjectId: id,
    details: { fileName, total: stager.totalRows, valid: stager.validRows, rejected: stager.rejectedRows },
  });
  return {
    id,
    status: 'ready',
    totalRows: stager.totalRows,
    validRows: stager.validRows,
    rejectedRows: stager.rejectedRows,
    problem: null,
  };
}

/** A refused file leaves nothing staged: only the import's row, saying why. */
async function failImport(ctx: AppContext, id: string, message: string): Promise<void> {
  await ctx.db.transaction().execute(async (trx) => {
    await trx.deleteFrom('subscriber_import_rows').where('import_id', '=', id).execute();
    await trx.deleteFrom('subscriber_import_rejections').where('import_id', '=', id).execute();
    await trx
      .updateTable('subscriber_imports')
      .set({
        status: 'failed',
        error: message,
        total_rows: 0,
        valid_rows: 0,
        rejected_rows: 0,
        finished_at: iso(ctx.clock.now()),
      })
      .where('id', '=', id)
      .execute();
  });
}
