import { iso } from '../../platform/clock.ts';
import type { AppContext } from '../../platform/context.ts';
import { type EventRow, publishedEvents } from './published.ts';

export interface EventListing {
  /** Starting now or later, soonest first. */
  upcoming: EventRow[];
  /** Started before now, newest first. */
  past: EventRow[];
}

/** Published events split at the clock's "now" by start time. */
export async function listEvents(ctx: Pick<AppContext, 'db' | 'clock'>): Promise<EventListing> {
  const now = iso(ctx.clock.now());
  const [upcoming, past] = await Promise.all([
    publishedEvents(ctx.db).selectAll().where('starts_at', '>=', now).orderBy('starts_at').orderBy('id').execute(),
    publishedEvents(ctx.db).selectAll().where('starts_at', '<', now).orderBy('starts_at', 'desc').orderBy('id').execute(),
  ]);
  return { upcoming, past };
}
