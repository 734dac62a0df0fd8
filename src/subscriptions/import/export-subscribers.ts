import { Readable } from 'node:stream';
import { stringify } from 'csv-stringify';
import type { AppContext } from '../../platform/context.ts';
import { auditFieldsOf, type StaffActor } from '../staff-actor.ts';
import { EXPORT_COLUMNS, TOPIC_SEPARATOR } from './import-format.ts';
import { escapeFormula } from './spreadsheet-safety.ts';

// CSV export of every subscriber, streamed: subscribers are read in pages of EXPORT_PAGE_SIZE by
// keyset (email > the last one sent), never all at once, and a page is read only when the reader
// (the HTTP response, a file) has taken the previous one.

export const EXPORT_PAGE_SIZE = 1_000;

/** "subscribers-2026-11-28.csv" (UTC date). */
export function exportFileName(now: Date): string {
  return `subscribers-${now.toISOString().slice(0, 10)}.csv`;
}

/** How many subscribers there are, from the counts the triggers keep (for progress reports). */
export async function countSubscribers(ctx: AppContext): Promise<number> {
  const row = await ctx.db
    .selectFrom('subscription_counts')
    .select((eb) => eb.fn.sum<number | string | null>('subscribers').as('n'))
    .where('topic_id', '=', '')
    .executeTakeFirst();
  return Number(row?.n ?? 0);
}

/** Each subscriber as a CSV record in EXPORT_COLUMNS order, formula-looking values escaped. */
async function* exportRecords(ctx: AppContext, onRow?: () => void): AsyncGenerator<string[]> {
  let after: string | undefined;
  for (;;) {
    const page = await ctx.db
      .selectFrom('subscribers')
      .select(['id', 'email', 'status', 'consent_at', 'consent_source', 'confirmed_at', 'unsubscribed_at'])
      .$if(after !== undefined, (q) => q.where('email', '>', after!))
      .orderBy('email')
      .limit(EXPORT_PAGE_SIZE)
      .execute();
    if (page.length === 0) return;
    const memberships = await ctx.db
      .selectFrom('subscriptions')
      .innerJoin('subscription_topics', 'subscription_topics.id', 'subscriptions.topic_id')
      .select(['subscriptions.subscriber_id', 'subscription_topics.slug', 'subscriptions.frequency'])
      .where(
        'subscriptions.subscriber_id',
        'in',
        page.map((s) => s.id),
      )
      .orderBy('subscription_topics.position')
      .orderBy('subscription_topics.slug')
      .execute();
    const topicsOf = new Map<string, { slugs: string[]; frequencies: string[] }>();
    for (const m of memberships) {
      let entry = topicsOf.get(m.subscriber_id);
      if (!entry) {
        entry = { slugs: [], frequencies: [] };
        topicsOf.set(m.subscriber_id, entry);
      }
      entry.slugs.push(m.slug);
      entry.frequencies.push(m.frequency);
    }
    for (const s of page) {
      const topics = topicsOf.get(s.id);
      const values: Record<(typeof EXPORT_COLUMNS)[number], string> = {
        email: s.email,
        status: s.status,
        topics: topics?.slugs.join(TOPIC_SEPARATOR) ?? '',
        frequencies: topics?.frequencies.join(TOPIC_SEPARATOR) ?? '',
        consent_date: s.consent_at ?? '',
        consent_source: s.consent_source,
        confirmed_at: s.confirmed_at ?? '',
        unsubscribed_at: s.unsubscribed_at ?? '',
      };
      onRow?.();
      yield EXPORT_COLUMNS.map((column) => escapeFormula(values[column]));
    }
    after = page.at(-1)!.email;
  }
}

/**
 * The export as a stream of CSV text (UTF-8 with a byte-order mark, so spreadsheets read accents
 * right; the import accepts it). Quoting follows RFC 4180 (csv-stringify). Records the export in the
 * audit log when it starts.
 */
export async function exportSubscribers(ctx: AppContext, input: { actor: StaffActor; onRow?: () => void }): Promise<Readable> {
  await ctx.audit.record({ action: 'subscribers.exported', ...auditFieldsOf(input.actor), subjectType: 'subscribers' });
  const records = Readable.from(exportRecords(ctx, input.onRow));
  const csv = stringify({ header: true, columns: [...EXPORT_COLUMNS], bom: true, record_delimiter: 'windows' });
  records.on('error', (error) => csv.destroy(error));
  return records.pipe(csv);
}
