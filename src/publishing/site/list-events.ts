import { iso } from '../../platform/clock.ts';
import type { AppContext } from '../../platform/context.ts';
import { notFound } from '../../platform/errors.ts';
import { type EventRow, publishedEvents } from './published.ts';

/** Past events shown per page of `/events`. */
export const PAST_EVENTS_PAGE_SIZE = 20;

export interface EventListing {
  /** Starting now or later, soonest first; never paged (there are few, and they matter most). */
  upcoming: EventRow[];
  /** Started before now, newest first: one page of them. */
  past: EventRow[];
  /** The page of past events shown, from 1. */
  page: number;
  /** At least 1, even with no past events, so page 1 always exists. */
  pageCount: number;
  /** All past events, across pages. */
  pastTotal: number;
}

/**
 * Published events split at the clock's "now" by start time, with the past ones paged. A page past
 * the last one is NOT_FOUND (page 1 always exists).
 */
export async function listEvents(
  ctx: Pick<AppContext, 'db' | 'clock'>,
  options: { page?: number; pageSize?: number } = {},
): Promise<EventListing> {
  const page = options.page ?? 1;
  const pageSize = options.pageSize ?? PAST_EVENTS_PAGE_SIZE;
  const now = iso(ctx.clock.now());
  const [upcoming, past, counted] = await Promise.all([
    publishedEvents(ctx.db).selectAll().where('starts_at', '>=', now).orderBy('starts_at').orderBy('id').execute(),
    publishedEvents(ctx.db)
      .selectAll()
      .where('starts_at', '<', now)
      // id breaks ties so each event lands on exactly one page.
      .orderBy('starts_at', 'desc')
      .orderBy('id')
      .limit(pageSize)
      .offset((page - 1) * pageSize)
      .execute(),
    publishedEvents(ctx.db)
      .select((eb) => eb.fn.countAll().as('count'))
      .where('starts_at', '<', now)
      .executeTakeFirstOrThrow(),
  ]);
  const pastTotal = Number(counted.count);
  const pageCount = Math.max(1, Math.ceil(pastTotal / pageSize));
  if (page > pageCount) throw notFound('That page of past events');
  return { upcoming, past, page, pageCount, pastTotal };
}
