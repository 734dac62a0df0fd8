import { Readable } from 'node:stream';
import { sql } from 'kysely';
import pino from 'pino';
import { expect, it } from 'vitest';
import { describeEachDatabase } from '../../../test/support/databases.ts';
import { loadConfig } from '../../config.ts';
import { FixedClock, iso } from '../../platform/clock.ts';
import type { AppContext } from '../../platform/context.ts';
import type { DatabaseHandle } from '../../platform/db/database.ts';
import { createRuntime } from '../../server.ts';
import { seedInstallation } from '../../start.ts';
import { emailHash } from '../keys.ts';
import type { StaffActor } from '../staff-actor.ts';
import { commitImport } from './commit-import.ts';
import { discardImport } from './discard-import.ts';
import { getImport, listRejections } from './import-queries.ts';
import { purgeStaleImports, READY_IMPORT_KEPT_MS, STALLED_CHECK_MESSAGE } from './purge-stale-imports.ts';
import { STAGING_BATCH_LINES, validateImport } from './validate-import.ts';

const admin: StaffActor = { userId: null, email: 'admin@example.gov' };

async function context(handle: DatabaseHandle): Promise<AppContext> {
  const config = loadConfig({ NODE_ENV: 'test', LOG_LEVEL: 'silent' });
  const { ctx } = createRuntime(config, { database: handle, clock: new FixedClock(), logger: pino({ level: 'silent' }) });
  await seedInstallation(ctx);
  return ctx;
}

/** The file as the validator reads it: in chunks, as an upload or a file stream delivers it. */
function fileOf(content: string | Buffer, chunkSize = 64 * 1024): Readable {
  const bytes = typeof content === 'string' ? Buffer.from(content) : content;
  const chunks: Buffer[] = [];
  for (let at = 0; at < bytes.length; at += chunkSize) chunks.push(bytes.subarray(at, at + chunkSize));
  return Readable.from(chunks);
}

const check = (ctx: AppContext, content: string | Buffer, chunkSize?: number) =>
  validateImport(ctx, { fileName: 'subscribers.csv', content: fileOf(content, chunkSize), actor: admin });

async function topicIds(ctx: AppContext): Promise<Record<string, string>> {
  const rows = await ctx.db.selectFrom('subscription_topics').select(['slug', 'id']).execute();
  return Object.fromEntries(rows.map((r) => [r.slug, r.id]));
}

async function staged(ctx: AppContext, importId: string) {
  return ctx.db
    .selectFrom('subscriber_import_rows')
    .select(['line', 'email', 'topic_ids', 'consent_at', 'source'])
    .where('import_id', '=', importId)
    .orderBy('line')
    .execute();
}

async function rejections(ctx: AppContext, importId: string) {
  return ctx.db
    .selectFrom('subscriber_import_rejections')
    .select(['line', 'reason'])
    .where('import_id', '=', importId)
    .orderBy('line')
    .execute();
}

async function subscribers(ctx: AppContext) {
  return ctx.db
    .selectFrom('subscribers')
    .select(['email', 'status', 'consent_at', 'consent_source', 'confirmed_at', 'unsubscribed_at'])
    .orderBy('email')
    .execute();
}

async function memberships(ctx: AppContext) {
  const rows = await ctx.db
    .selectFrom('subscriptions')
    .innerJoin('subscribers', 'subscribers.id', 'subscriptions.subscriber_id')
    .innerJoin('subscription_topics', 'subscription_topics.id', 'subscriptions.topic_id')
    .select(['subscribers.email', 'subscription_topics.slug', 'subscriptions.frequency'])
    .orderBy('subscribers.email')
    .orderBy('subscription_topics.slug')
    .execute();
  return rows.map((r) => `${r.email} ${r.slug} ${r.frequency}`);
}

async function counts(ctx: AppContext) {
  const rows = await ctx.db.selectFrom('subscription_counts').selectAll().where('subscribers', '<>', 0).execute();
  return Object.fromEntries(rows.map((r) => [`${r.topic_id || 'all'}/${r.status}`, Number(r.subscribers)]));
}

// Header in odd case and spacing; good and bad lines of every kind; an empty line inside and two at the end.
const MIXED_FILE = [
  'Email, Topics ,CONSENT_DATE,source',
  'good.one@example.gov,events;grants,2024-05-31,Spring fair',
  'Good.Two@Example.GOV,,,',
  'not-an-address,,,',
  'bad.topic@example.gov,events;nope,,',
  'future@example.gov,,2030-01-01,',
  'GOOD.ONE@example.gov,,,',
  'too,many,fields,here,extra',
  'private@example.gov,editorial-partners,2024-06-02T15:30:00+02:00,Partner list',
  '',
  'last@example.gov, dispatch ,2024-01-01T00:00:00Z,"Sheet, with comma"',
  '',
  '',
].join('\r\n');

const MIXED_REJECTIONS = [
  { line: 4, reason: 'Enter an e-mail address like name@example.gov.' },
  { line: 5, reason: 'Unknown topic "nope".' },
  { line: 6, reason: 'The consent date "2030-01-01" is in the future.' },
  { line: 7, reason: 'Duplicate of line 2.' },
  {
    line: 8,
    reason: 'The line has 5 fields, but the header names 4 columns. Check its commas, and put quotes around a value that contains a comma.',
  },
  { line: 10, reason: 'The line is empty.' },
];

describeEachDatabase('subscriber CSV import', ({ handle, engine }) => {
  it('checks every line and reports each rejected one with its reason, staging only the valid rows', async () => {
    const ctx = await context(handle());
    const topics = await topicIds(ctx);
    const checked = await check(ctx, MIXED_FILE);
    expect(checked).toMatchObject({ status: 'ready', totalRows: 10, validRows: 4, rejectedRows: 6, problem: null });
    expect(await rejections(ctx, checked.id)).toEqual(MIXED_REJECTIONS);
    expect(await staged(ctx, checked.id)).toEqual([
      {
        line: 2,
        email: 'good.one@example.gov',
        topic_ids: JSON.stringify([topics.events, topics.grants]),
        consent_at: '2024-05-31T00:00:00.000Z',
        source: 'Spring fair',
      },
      { line: 3, email: 'good.two@example.gov', topic_ids: JSON.stringify([topics.dispatch]), consent_at: null, source: 'import' },
      {
        line: 9,
        email: 'private@example.gov',
        topic_ids: JSON.stringify([topics['editorial-partners']]),
        consent_at: '2024-06-02T13:30:00.000Z',
        source: 'Partner list',
      },
      {
        line: 11,
        email: 'last@example.gov',
        topic_ids: JSON.stringify([topics.dispatch]),
        consent_at: '2024-01-01T00:00:00.000Z',
        source: 'Sheet, with comma',
      },
    ]);
    const summary = await getImport(ctx, checked.id);
    expect(summary).toMatchObject({
      status: 'ready',
      fileName: 'subscribers.csv',
      totalRows: 10,
      validRows: 4,
      rejectedRows: 6,
      createdBy: admin.email,
    });
    expect((await listRejections(ctx, summary, 1)).rejections).toEqual(MIXED_REJECTIONS);
    const hashes = await ctx.db.selectFrom('subscriber_import_rows').select(['email', 'email_hash']).execute();
    for (const row of hashes) expect(row.email_hash).toBe(emailHash(ctx.config.secret, row.email));
    expect(await subscribers(ctx)).toEqual([]);
  });

  it('"import nothing" deletes the staged addresses, keeps the report and leaves subscribers untouched', async () => {
    const ctx = await context(handle());
    await ctx.db
      .insertInto('subscribers')
      .values({
        id: '00000000-0000-4000-8000-000000000001',
        email: 'good.one@example.gov',
        status: 'paused',
        consent_at: null,
        consent_source: 'subscribe-page',
        consent_ip_hash: null,
        consent_user_agent: null,
        confirmed_at: null,
        unsubscribed_at: null,
        created_at: '2025-01-01T00:00:00.000Z',
        updated_at: '2025-01-01T00:00:00.000Z',
      })
      .execute();
    const before = { subscribers: await subscribers(ctx), memberships: await memberships(ctx), counts: await counts(ctx) };
    const checked = await check(ctx, MIXED_FILE);
    await discardImport(ctx, { importId: checked.id, actor: admin });
    expect(await staged(ctx, checked.id)).toEqual([]);
    expect(await rejections(ctx, checked.id)).toEqual(MIXED_REJECTIONS);
    expect(await getImport(ctx, checked.id)).toMatchObject({ status: 'discarded', importedRows: 0 });
    expect({ subscribers: await subscribers(ctx), memberships: await memberships(ctx), counts: await counts(ctx) }).toEqual(before);
    expect(await ctx.db.selectFrom('subscription_requests').selectAll().execute()).toEqual([]);
    await expect(commitImport(ctx, { importId: checked.id, actor: admin })).rejects.toMatchObject({
      code: 'CONFLICT',
      message: expect.stringContaining('Nothing was imported from this file'),
    });
  });

  it('"import the valid rows" creates exactly them: statuses, memberships, consent evidence, history and confirmation requests', async () => {
    const ctx = await context(handle());
    const topics = await topicIds(ctx);
    const checked = await check(ctx, MIXED_FILE);
    const outcome = await commitImport(ctx, { importId: checked.id, actor: admin });
    expect(outcome).toEqual({ imported: 4, pendingConfirmation: 1, updated: 0, skipped: 0 });
    const now = ctx.clock.now().toISOString();
    expect(await subscribers(ctx)).toEqual([
      {
        email: 'good.one@example.gov',
        status: 'active',
        consent_at: '2024-05-31T00:00:00.000Z',
        consent_source: 'Spring fair',
        confirmed_at: '2024-05-31T00:00:00.000Z',
        unsubscribed_at: null,
      },
      {
        email: 'good.two@example.gov',
        status: 'pending',
        consent_at: null,
        consent_source: 'import',
        confirmed_at: null,
        unsubscribed_at: null,
      },
      {
        email: 'last@example.gov',
        status: 'active',
        consent_at: '2024-01-01T00:00:00.000Z',
        consent_source: 'Sheet, with comma',
        confirmed_at: '2024-01-01T00:00:00.000Z',
        unsubscribed_at: null,
      },
      {
        email: 'private@example.gov',
        status: 'active',
        consent_at: '2024-06-02T13:30:00.000Z',
        consent_source: 'Partner list',
        confirmed_at: '2024-06-02T13:30:00.000Z',
        unsubscribed_at: null,
      },
    ]);
    expect(await memberships(ctx)).toEqual([
      'good.one@example.gov events every',
      'good.one@example.gov grants every',
      'good.two@example.gov dispatch every',
      'last@example.gov dispatch every',
      'private@example.gov editorial-partners every',
    ]);
    const requests = await ctx.db.selectFrom('subscription_requests').selectAll().execute();
    expect(requests).toEqual([
      {
        id: expect.stringMatching(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/),
        email: 'good.two@example.gov',
        topic_ids: JSON.stringify([topics.dispatch]),
        source: 'import',
        ip_hash: null,
        user_agent: null,
        created_at: now,
        processed_at: null,
        token_hash: null,
        expires_at: null,
      },
    ]);
    const events = await ctx.db
      .selectFrom('subscriber_events')
      .innerJoin('subscribers', 'subscribers.id', 'subscriber_events.subscriber_id')
      .select(['subscribers.email', 'kind', 'actor', 'at', 'details'])
      .orderBy('subscribers.email')
      .execute();
    expect(events.map((e) => ({ ...e, details: JSON.parse(e.details) }))).toEqual([
      {
        email: 'good.one@example.gov',
        kind: 'imported',
        actor: 'import',
        at: now,
        details: { importId: checked.id, line: 2, status: 'active', source: 'Spring fair', topics: ['events', 'grants'] },
      },
      {
        email: 'good.two@example.gov',
        kind: 'imported',
        actor: 'import',
        at: now,
        details: { importId: checked.id, line: 3, status: 'pending', source: 'import', topics: ['dispatch'] },
      },
      {
        email: 'last@example.gov',
        kind: 'imported',
        actor: 'import',
        at: now,
        details: { importId: checked.id, line: 11, status: 'active', source: 'Sheet, with comma', topics: ['dispatch'] },
      },
      {
        email: 'private@example.gov',
        kind: 'imported',
        actor: 'import',
        at: now,
        details: { importId: checked.id, line: 9, status: 'active', source: 'Partner list', topics: ['editorial-partners'] },
      },
    ]);
    const jobs = await ctx.db.selectFrom('jobs').select(['name', 'unique_key', 'status']).execute();
    expect(jobs).toContainEqual({ name: 'subscriptions.process-requests', unique_key: 'subscriptions.process-requests', status: 'queued' });
    // The count triggers saw every row.
    expect(await counts(ctx)).toEqual({
      'all/active': 3,
      'all/pending': 1,
      [`${topics.events}/active`]: 1,
      [`${topics.grants}/active`]: 1,
      [`${topics.dispatch}/active`]: 1,
      [`${topics.dispatch}/pending`]: 1,
      [`${topics['editorial-partners']}/active`]: 1,
    });
    expect(await staged(ctx, checked.id)).toEqual([]);
    expect(await getImport(ctx, checked.id)).toMatchObject({
      status: 'imported',
      importedRows: 4,
      updatedRows: 0,
      skippedRows: 0,
      pendingConfirmation: 1,
      finishedAt: now,
    });
    const audit = await ctx.db
      .selectFrom('audit_log')
      .select(['action', 'actor'])
      .where('subject_id', '=', checked.id)
      .orderBy('id')
      .execute();
    expect(audit).toEqual([
      { action: 'subscribers.import.checked', actor: admin.email },
      { action: 'subscribers.import.imported', actor: admin.email },
    ]);
  });

  it('never re-subscribes unsubscribed or suppressed addresses, and gives existing subscribers only the topics they lack', async () => {
    const ctx = await context(handle());
    const topics = await topicIds(ctx);
    const at = '2025-01-01T00:00:00.000Z';
    const existing = (id: string, email: string, status: 'active' | 'unsubscribed' | 'pending') => ({
      id,
      email,
      status,
      consent_at: at,
      consent_source: 'subscribe-page',
      consent_ip_hash: null,
      consent_user_agent: null,
      confirmed_at: status === 'pending' ? null : at,
      unsubscribed_at: status === 'unsubscribed' ? at : null,
      created_at: at,
      updated_at: at,
    });
    await ctx.db
      .insertInto('subscribers')
      .values([
        existing('00000000-0000-4000-8000-000000000001', 'left@example.gov', 'unsubscribed'),
        existing('00000000-0000-4000-8000-000000000002', 'reader@example.gov', 'active'),
        existing('00000000-0000-4000-8000-000000000003', 'bounced@example.gov', 'active'),
      ])
      .execute();
    await ctx.db
      .insertInto('subscriptions')
      .values([
        { subscriber_id: '00000000-0000-4000-8000-000000000001', topic_id: topics.dispatch!, frequency: 'every', created_at: at },
        { subscriber_id: '00000000-0000-4000-8000-000000000002', topic_id: topics.dispatch!, frequency: 'digest', created_at: at },
      ])
      .execute();
    await ctx.db
      .insertInto('subscriber_suppressions')
      .values([
        { email_hash: emailHash(ctx.config.secret, 'deleted.me@example.gov'), reason: 'deleted', created_at: at },
        { email_hash: emailHash(ctx.config.secret, 'bounced@example.gov'), reason: 'hard_bounce', created_at: at },
      ])
      .execute();

    const file = [
      'email,topics,consent_date',
      'Left@Example.gov,dispatch;events,2024-01-01',
      'DELETED.me@example.gov,events,2024-01-01',
      'reader@example.gov,dispatch;events,',
      'bounced@example.gov,grants,2024-01-01',
      'new@example.gov,events,2024-01-01',
    ].join('\n');
    const checked = await check(ctx, file);
    expect(checked).toMatchObject({ validRows: 5, rejectedRows: 0 });
    const outcome = await commitImport(ctx, { importId: checked.id, actor: admin });
    expect(outcome).toEqual({ imported: 1, pendingConfirmation: 0, updated: 1, skipped: 3 });

    expect((await subscribers(ctx)).map((s) => `${s.email} ${s.status}`)).toEqual([
      'bounced@example.gov active',
      'left@example.gov unsubscribed',
      'new@example.gov active',
      'reader@example.gov active',
    ]);
    expect(await memberships(ctx)).toEqual([
      'left@example.gov dispatch every',
      'new@example.gov events every',
      // The existing digest choice is kept; only the missing topic is added.
      'reader@example.gov dispatch digest',
      'reader@example.gov events every',
    ]);
    const history = await ctx.db
      .selectFrom('subscriber_events')
      .innerJoin('subscribers', 'subscribers.id', 'subscriber_events.subscriber_id')
      .select(['subscribers.email', 'kind', 'details'])
      .orderBy('subscribers.email')
      .execute();
    expect(history.map((e) => [e.email, e.kind, JSON.parse(e.details).added ?? JSON.parse(e.details).topics])).toEqual([
      ['new@example.gov', 'imported', ['events']],
      ['reader@example.gov', 'topics_changed', ['events']],
    ]);
    expect(await ctx.db.selectFrom('subscription_requests').selectAll().execute()).toEqual([]);
  });

  it('refuses a file with wrong columns whole, listing the expected and the found columns, and stages nothing', async () => {
    const ctx = await context(handle());
    const checked = await check(ctx, 'e-mail address,topic,email\na@example.gov,events,a@example.gov\n');
    expect(checked.status).toBe('failed');
    expect(checked.problem?.message).toBe(
      'The first line of the file must name its columns, and unknown columns: e_mail_address, topic. ' +
        "Expected: email, topics, consent_date, source (only email is required, in any order; an export's columns are accepted too). " +
        'Found: e-mail address, topic, email.',
    );
    const missing = await check(ctx, 'topics,source\nevents,x\n');
    expect(missing.problem?.message).toContain('the email column is missing');
    expect(missing.problem?.message).toContain('Found: topics, source.');
    const twice = await check(ctx, 'email,Email\na@example.gov,b@example.gov\n');
    expect(twice.problem?.message).toContain('named twice: email');
    const empty = await check(ctx, '');
    expect(empty.problem?.message).toContain('The file is empty.');
    for (const id of [checked.id, missing.id, twice.id, empty.id]) {
      expect(await staged(ctx, id)).toEqual([]);
      expect(await rejections(ctx, id)).toEqual([]);
      expect(await getImport(ctx, id)).toMatchObject({ status: 'failed', totalRows: 0, validRows: 0, rejectedRows: 0 });
    }
    await expect(commitImport(ctx, { importId: checked.id, actor: admin })).rejects.toMatchObject({ code: 'CONFLICT' });
  });

  it('refuses a file that is not UTF-8, naming the line, even when the bad byte is far into the file; a BOM is fine', async () => {
    const ctx = await context(handle());
    const good = Array.from({ length: 3000 }, (_, i) => `person${i}@example.gov,,,Café ${i}`);
    // Windows-1252 "é" (0xE9) on line 2,502, and 4-byte chunks that cut UTF-8 characters in half elsewhere.
    const latin1 = Buffer.concat([
      Buffer.from(`email,topics,consent_date,source\n${good.slice(0, 2500).join('\n')}\n`),
      Buffer.from('caf', 'latin1'),
      Buffer.from([0xe9]),
      Buffer.from(`@example.gov,,,\n${good.slice(2500).join('\n')}\n`),
    ]);
    for (const chunkSize of [4, 7, 64 * 1024]) {
      const checked = await check(ctx, latin1, chunkSize);
      expect(checked.problem?.message).toBe(
        'The file is not valid UTF-8 (line 2502). Save it again as "CSV UTF-8" (in Excel: File, Save As, "CSV UTF-8 (Comma delimited)") and check it again.',
      );
      expect(await staged(ctx, checked.id)).toEqual([]);
      expect(await rejections(ctx, checked.id)).toEqual([]);
    }
    const truncated = await check(ctx, Buffer.concat([Buffer.from('email\na@example.gov\nb'), Buffer.from([0xc3])]));
    expect(truncated.problem?.message).toContain('(line 3)');

    const withBom = await check(
      ctx,
      Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(`email,source\nbom@example.gov,Café é\n`)]),
      5,
    );
    expect(withBom).toMatchObject({ status: 'ready', validRows: 1, rejectedRows: 0 });
    expect((await staged(ctx, withBom.id))[0]).toMatchObject({ email: 'bom@example.gov', source: 'Café é' });
  });

  it('refuses CSV that cannot be read past a line (a quote never closed, an over-long line), naming where it starts', async () => {
    const ctx = await context(handle());
    const unclosed = await check(ctx, 'email,source\na@example.gov,fine\nb@example.gov,"never closed\nc@example.gov,x\n');
    expect(unclosed.problem?.message).toBe(
      'The quote (") in line 3 is never closed, so the rest of the file cannot be read. Correct the line and check the file again.',
    );
    const long = await check(ctx, `email,source\na@example.gov,fine\nb@example.gov,${'x'.repeat(2500)}\nc@example.gov,x\n`);
    expect(long.problem?.message).toContain('Line 3 is longer than 2,000 characters.');
    for (const id of [unclosed.id, long.id]) expect(await staged(ctx, id)).toEqual([]);
    // A quote inside an unquoted value is taken as it is (and the address is then refused as such).
    const stray = await check(ctx, 'email,source\nbad"quote@example.gov,5" floppy\nok@example.gov,"multi\nline"\nnext@example.gov,x\n');
    expect(await rejections(ctx, stray.id)).toEqual([
      { line: 2, reason: 'The part before the @ has a character or a dot that an e-mail address cannot have there.' },
    ]);
    expect((await staged(ctx, stray.id)).map((r) => [r.line, r.email, r.source])).toEqual([
      [3, 'ok@example.gov', 'multi line'],
      [5, 'next@example.gov', 'x'],
    ]);
  });

  it('finds duplicates across batches through the staging table, and imports an export-shaped file', async () => {
    const ctx = await context(handle());
    const lines = Array.from({ length: STAGING_BATCH_LINES + 10 }, (_, i) => `user${i}@example.gov`);
    lines.push('USER0@example.gov', 'user5004@EXAMPLE.gov');
    const checked = await check(ctx, `email\n${lines.join('\n')}\n`);
    expect(checked).toMatchObject({ totalRows: STAGING_BATCH_LINES + 12, validRows: STAGING_BATCH_LINES + 10, rejectedRows: 2 });
    expect(await rejections(ctx, checked.id)).toEqual([
      { line: STAGING_BATCH_LINES + 12, reason: 'Duplicate of line 2.' },
      { line: STAGING_BATCH_LINES + 13, reason: 'Duplicate of line 5006.' },
    ]);

    const exported = [
      'email,status,topics,frequencies,consent_date,consent_source,confirmed_at,unsubscribed_at',
      "'-dash@example.gov,active,events,every,2024-01-01T00:00:00.000Z,'=cmd,2024-01-01T00:00:00.000Z,",
      'waiting@example.gov,pending,dispatch,every,2025-12-01T00:00:00.000Z,subscribe-page,,',
      'gone@example.gov,unsubscribed,dispatch,every,2024-01-01T00:00:00.000Z,import,2024-01-01T00:00:00.000Z,2024-02-01T00:00:00.000Z',
      'resting@example.gov,paused,dispatch,every,2024-01-01T00:00:00.000Z,import,2024-01-01T00:00:00.000Z,',
    ].join('\r\n');
    const fromExport = await check(ctx, exported);
    expect(await rejections(ctx, fromExport.id)).toEqual([
      { line: 4, reason: 'The status column says unsubscribed: the address is not imported, so that choice stands.' },
      { line: 5, reason: 'The status column says paused: the address is not imported, so that choice stands.' },
    ]);
    expect((await staged(ctx, fromExport.id)).map((r) => [r.email, r.consent_at, r.source])).toEqual([
      ['-dash@example.gov', '2024-01-01T00:00:00.000Z', '=cmd'],
      // Pending means never confirmed: asked again, whatever the consent date says.
      ['waiting@example.gov', null, 'subscribe-page'],
    ]);
  });

  it('rolls everything back when the commit fails part-way, and can then be committed; a second commit is a conflict', async () => {
    const ctx = await context(handle());
    const checked = await check(ctx, MIXED_FILE);
    // A failure after subscribers and memberships are written: the history insert.
    if (engine === 'sqlite') {
      await sql`CREATE TRIGGER fail_history BEFORE INSERT ON subscriber_events BEGIN SELECT RAISE(ABORT, 'forced failure'); END`.execute(
        ctx.db,
      );
    } else {
      await sql`CREATE FUNCTION fail_history() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN RAISE EXCEPTION 'forced failure'; END $$`.execute(
        ctx.db,
      );
      await sql`CREATE TRIGGER fail_history BEFORE INSERT ON subscriber_events FOR EACH ROW EXECUTE FUNCTION fail_history()`.execute(
        ctx.db,
      );
    }
    await expect(commitImport(ctx, { importId: checked.id, actor: admin })).rejects.toThrow(/forced failure/);
    expect(await subscribers(ctx)).toEqual([]);
    expect(await memberships(ctx)).toEqual([]);
    expect(await counts(ctx)).toEqual({});
    expect(await ctx.db.selectFrom('subscription_requests').selectAll().execute()).toEqual([]);
    expect(await ctx.db.selectFrom('subscription_growth').selectAll().where('confirmed', '<>', 0).execute()).toEqual([]);
    expect(await staged(ctx, checked.id)).toHaveLength(4);
    expect(await getImport(ctx, checked.id)).toMatchObject({ status: 'ready', importedRows: 0 });

    await sql`DROP TRIGGER fail_history${engine === 'postgres' ? sql` ON subscriber_events` : sql``}`.execute(ctx.db);
    expect(await commitImport(ctx, { importId: checked.id, actor: admin })).toMatchObject({ imported: 4 });
    await expect(commitImport(ctx, { importId: checked.id, actor: admin })).rejects.toMatchObject({
      code: 'CONFLICT',
      message: 'This file has already been imported. Its rows cannot be imported a second time.',
    });
    await expect(discardImport(ctx, { importId: checked.id, actor: admin })).rejects.toMatchObject({ code: 'CONFLICT' });
    expect(await subscribers(ctx)).toHaveLength(4);
    await expect(commitImport(ctx, { importId: '00000000-0000-4000-8000-00000000abcd', actor: admin })).rejects.toMatchObject({
      code: 'NOT_FOUND',
    });
  });

  it('lets go of staged addresses nobody decided on within a week, and of checks that never finished', async () => {
    const ctx = await context(handle());
    const clock = ctx.clock as FixedClock;
    const old = await check(ctx, MIXED_FILE);
    const decided = await check(ctx, MIXED_FILE);
    await commitImport(ctx, { importId: decided.id, actor: admin });
    const stalled = await check(ctx, 'email\ncut@example.gov\n');
    // A check that died half way: its row still says "validating", with lines staged.
    await ctx.db.updateTable('subscriber_imports').set({ status: 'validating' }).where('id', '=', stalled.id).execute();
    clock.advance(READY_IMPORT_KEPT_MS - 1000);
    const recent = await check(ctx, MIXED_FILE);
    expect(await purgeStaleImports(ctx)).toEqual({ discarded: 0, failed: 1 });
    clock.advance(2000);
    expect(await purgeStaleImports(ctx)).toEqual({ discarded: 1, failed: 0 });

    expect(await getImport(ctx, old.id)).toMatchObject({ status: 'discarded', finishedAt: iso(clock.now()) });
    expect(await staged(ctx, old.id)).toEqual([]);
    expect(await rejections(ctx, old.id)).toEqual(MIXED_REJECTIONS);
    expect(await getImport(ctx, stalled.id)).toMatchObject({ status: 'failed', error: STALLED_CHECK_MESSAGE });
    expect(await staged(ctx, stalled.id)).toEqual([]);
    expect(await getImport(ctx, decided.id)).toMatchObject({ status: 'imported' });
    expect(await getImport(ctx, recent.id)).toMatchObject({ status: 'ready' });
    expect(await staged(ctx, recent.id)).toHaveLength(4);
  });
});
