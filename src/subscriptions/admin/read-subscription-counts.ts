import type { Db } from '../../platform/db/database.ts';
import type { SubscriberStatus } from '../../platform/db/schema.ts';
import { SUBSCRIBER_STATUSES } from './labels.ts';

export type StatusCounts = Record<SubscriberStatus, number> & { total: number };

/** The topic id under which `subscription_counts` keeps the totals over all subscribers. */
export const ALL_SUBSCRIBERS = '';

export function zeroCounts(): StatusCounts {
  return { pending: 0, active: 0, paused: 0, unsubscribed: 0, total: 0 };
}

/**
 * Subscribers per topic and status, from the counts the database triggers keep. This reads a few
 * rows however many subscribers there are (the counts page must stay fast at a million), so it
 * never groups the subscribers themselves. Keyed by topic id; ALL_SUBSCRIBERS holds the totals.
 */
export async function readSubscriptionCounts(db: Db): Promise<Map<string, StatusCounts>> {
  const rows = await db.selectFrom('subscription_counts').select(['topic_id', 'status', 'subscribers']).execute();
  const counts = new Map<string, StatusCounts>();
  for (const row of rows) {
    if (!SUBSCRIBER_STATUSES.includes(row.status)) continue;
    let entry = counts.get(row.topic_id);
    if (!entry) {
      entry = zeroCounts();
      counts.set(row.topic_id, entry);
    }
    const n = Number(row.subscribers);
    entry[row.status] += n;
    entry.total += n;
  }
  return counts;
}

/** The counts of one topic (or ALL_SUBSCRIBERS), zero when nobody has it. */
export function countsOf(counts: Map<string, StatusCounts>, topicId: string): StatusCounts {
  return counts.get(topicId) ?? zeroCounts();
}
