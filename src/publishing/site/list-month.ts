import { iso } from '../../platform/clock.ts';
import type { AppContext } from '../../platform/context.ts';
import { AppError } from '../../platform/errors.ts';
import { zonedTimeToUtc } from '../editorial/shared/zoned-time.ts';
import { PUBLICATION_TIME_ZONE } from '../format.ts';
import { type ArticleRow, type EventRow, publishedArticles, publishedEvents } from './published.ts';

export interface MonthContents {
  /** "2026-10" */
  month: string;
  /** Published during the month, oldest first. */
  articles: ArticleRow[];
  /** Published events held during the month, soonest first. */
  events: EventRow[];
}

const MONTH = /^(\d{4})-(0[1-9]|1[0-2])$/;

/**
 * What the publication put out in one calendar month of its own zone ("2026-10"): the articles
 * published in it and the published events held in it (the monthly digest's contents).
 */
export async function listMonthContents(ctx: Pick<AppContext, 'db' | 'clock'>, options: { month: string }): Promise<MonthContents> {
  const match = MONTH.exec(options.month);
  if (!match) throw new AppError('VALIDATION', 'A month is written like 2026-10.');
  const [year, number] = [Number(match[1]), Number(match[2])];
  const next = number === 12 ? `${year + 1}-01` : `${year}-${String(number + 1).padStart(2, '0')}`;
  const start = iso(zonedTimeToUtc(`${options.month}-01`, '00:00', PUBLICATION_TIME_ZONE)!);
  const end = iso(zonedTimeToUtc(`${next}-01`, '00:00', PUBLICATION_TIME_ZONE)!);
  const [articles, events] = await Promise.all([
    publishedArticles(ctx.db, iso(ctx.clock.now()))
      .selectAll()
      .where('published_at', '>=', start)
      .where('published_at', '<', end)
      .orderBy('published_at')
      .orderBy('id')
      .execute(),
    publishedEvents(ctx.db)
      .selectAll()
      .where('starts_at', '>=', start)
      .where('starts_at', '<', end)
      .orderBy('starts_at')
      .orderBy('id')
      .execute(),
  ]);
  return { month: options.month, articles, events };
}
