import { Readable } from 'node:stream';
import { buffer } from 'node:stream/consumers';
import { parse } from 'csv-parse/sync';
import pino from 'pino';
import { describe, expect, it } from 'vitest';
import { createTestDatabase, describeEachDatabase } from '../../../test/support/databases.ts';
import { loadConfig } from '../../config.ts';
import { FixedClock } from '../../platform/clock.ts';
import type { AppContext } from '../../platform/context.ts';
import type { DatabaseHandle } from '../../platform/db/database.ts';
import { createRuntime } from '../../server.ts';
import { seedInstallation } from '../../start.ts';
import type { StaffActor } from '../staff-actor.ts';
import { commitImport } from './commit-import.ts';
import { EXPORT_PAGE_SIZE, exportSubscribers } from './export-subscribers.ts';
import { EXPORT_COLUMNS } from './import-format.ts';
import { escapeFormula, unescapeFormula } from './spreadsheet-safety.ts';
import { validateImport } from './validate-import.ts';

const admin: StaffActor = { userId: null, email: 'admin@example.gov' };

async function context(handle: DatabaseHandle): Promise<AppContext> {
  const config = loadConfig({ NODE_ENV: 'test', LOG_LEVEL: 'silent' });
  const { ctx } = createRuntime(config, { database: handle, clock: new FixedClock(), logger: pino({ level: 'silent' }) });
  await seedInstallation(ctx);
  return ctx;
}

async function importText(ctx: AppContext, csv: string) {
  const checked = await validateImport(ctx, { fileName: 'in.csv', content: Readable.from([Buffer.from(csv)]), actor: admin });
  expect(checked.problem).toBeNull();
  await commitImport(ctx, { importId: checked.id, actor: admin });
  return checked;
}

async function exportText(ctx: AppContext): Promise<string> {
  // Buffer, not text(): TextDecoder would drop the byte-order mark the test looks for.
  return (await buffer(await exportSubscribers(ctx, { actor: admin }))).toString('utf8');
}

/** What an export says of each subscriber, minus the timestamps an import sets to "now". */
async function state(ctx: AppContext) {
  const rows = await ctx.db
    .selectFrom('subscribers')
    .select(['id', 'email', 'status', 'consent_at', 'consent_source', 'confirmed_at'])
    .orderBy('email')
    .execute();
  const topics = await ctx.db
    .selectFrom('subscriptions')
    .innerJoin('subscription_topics', 'subscription_topics.id', 'subscriptions.topic_id')
    .select(['subscriber_id', 'slug'])
    .orderBy('slug')
    .execute();
  return rows.map(({ id, ...row }) => ({
    ...row,
    topics: topics.filter((t) => t.subscriber_id === id).map((t) => t.slug),
  }));
}

describe('spreadsheet formula escaping', () => {
  it('puts a quote before = + - @ tab and carriage return, and takes exactly one off again', () => {
    for (const value of ['=1+1', '+1', '-2', '@SUM(A1)', '\tx', '\rx', "'=x", "''+y"]) {
      expect(escapeFormula(value)).toBe(`'${value}`);
      expect(unescapeFormula(escapeFormula(value))).toBe(value);
    }
    for (const value of ['plain', "'quoted", 'a=b', "it's", '']) {
      expect(escapeFormula(value)).toBe(value);
      expect(unescapeFormula(escapeFormula(value))).toBe(value);
    }
  });
});

describeEachDatabase('subscriber CSV export', ({ handle, engine }) => {
  it('streams every subscriber in pages, CSV-quoted and safe to open in a spreadsheet', async () => {
    const ctx = await context(handle());
    const many = Array.from(
      { length: EXPORT_PAGE_SIZE + 5 },
      (_, i) => `reader${String(i).padStart(4, '0')}@example.gov,events;grants,2024-01-01,`,
    );
    await importText(
      ctx,
      [
        'email,topics,consent_date,source',
        '-minus@example.gov,dispatch,2024-03-01T10:00:00Z,"=HYPERLINK(""https://evil.example"",""x"")"',
        '+plus@example.gov,,2024-03-01,"@SUM(1,2)"',
        'quote@example.gov,,2024-03-01,"Said ""yes"", by post"',
        ...many,
      ].join('\n'),
    );
    const csv = await exportText(ctx);
    expect(csv.startsWith('\ufeffemail,status,topics,frequencies,consent_date,consent_source,confirmed_at,unsubscribed_at\r\n')).toBe(true);
    const records = parse(csv, { bom: true, columns: true }) as Record<string, string>[];
    expect(records).toHaveLength(EXPORT_PAGE_SIZE + 8);
    expect(Object.keys(records[0]!)).toEqual([...EXPORT_COLUMNS]);
    const byEmail = new Map(records.map((r) => [r.email, r]));
    expect(byEmail.get("'-minus@example.gov")).toEqual({
      email: "'-minus@example.gov",
      status: 'active',
      topics: 'dispatch',
      frequencies: 'every',
      consent_date: '2024-03-01T10:00:00.000Z',
      consent_source: '\'=HYPERLINK("https://evil.example","x")',
      confirmed_at: '2024-03-01T10:00:00.000Z',
      unsubscribed_at: '',
    });
    expect(byEmail.get("'+plus@example.gov")?.consent_source).toBe("'@SUM(1,2)");
    expect(byEmail.get('quote@example.gov')?.consent_source).toBe('Said "yes", by post');
    expect(byEmail.get('reader1004@example.gov')).toMatchObject({ topics: 'events;grants', frequencies: 'every;every' });
    // No cell a spreadsheet would run.
    for (const record of records) for (const value of Object.values(record)) expect(value).not.toMatch(/^[=+\-@\t\r]/);
    // Every subscriber once, in address order (the keyset).
    const emails = records.map((r) => unescapeFormula(r.email!));
    expect(new Set(emails).size).toBe(emails.length);
    if (engine === 'sqlite') expect(emails).toEqual([...emails].sort());
    const audit = await ctx.db.selectFrom('audit_log').select(['action', 'actor']).where('action', '=', 'subscribers.exported').execute();
    expect(audit).toEqual([{ action: 'subscribers.exported', actor: admin.email }]);
  });

  it('round-trips: an export imported into a fresh installation gives back its active and pending subscribers', async () => {
    const ctx = await context(handle());
    await importText(
      ctx,
      [
        'email,topics,consent_date,source',
        '=formula@example.gov,events;school-safety,2024-02-03T04:05:06.789Z,"Sheet, row ""7"""',
        'plain@example.gov,editorial-partners,2024-01-01,Partners',
        'waiting@example.gov,grants,,Fair',
        'leaving@example.gov,,2024-01-01,',
      ].join('\n'),
    );
    const now = ctx.clock.now().toISOString();
    await ctx.db
      .updateTable('subscribers')
      .set({ status: 'unsubscribed', unsubscribed_at: now })
      .where('email', '=', 'leaving@example.gov')
      .execute();
    const csv = await exportText(ctx);

    const fresh = await createTestDatabase(engine);
    try {
      const other = await context(fresh);
      const checked = await importText(other, csv);
      expect(checked).toMatchObject({ totalRows: 4, validRows: 3, rejectedRows: 1 });
      const kept = (await state(ctx)).filter((s) => s.status !== 'unsubscribed');
      expect(await state(other)).toEqual(kept);
      // And the second export is the first without the unsubscribed line.
      const again = await exportText(other);
      expect(again).toBe(
        csv
          .split('\r\n')
          .filter((line) => !line.startsWith('leaving@'))
          .join('\r\n'),
      );
    } finally {
      await fresh.drop();
    }
  });
});
