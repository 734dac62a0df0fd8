import type { AppContext } from '../../platform/context.ts';
import type { SuppressionReason } from '../../platform/db/schema.ts';
import { listTopics } from '../topics.ts';
import { SUPPRESSION_REASONS } from './labels.ts';
import type { TopicWithCounts } from './list-topics-with-counts.ts';
import { ALL_SUBSCRIBERS, countsOf, readSubscriptionCounts, type StatusCounts } from './read-subscription-counts.ts';
import { type GrowthMonth, readSubscriptionGrowth } from './read-subscription-growth.ts';

export interface SubscriberOverview {
  all: StatusCounts;
  topics: TopicWithCounts[];
  suppressed: Record<SuppressionReason, number> & { total: number };
  growth: GrowthMonth[];
}

/**
 * What the subscribers page shows: counts per topic and status, suppressed addresses by reason and
 * twelve months of growth. Every part reads the small tables the triggers keep (or the suppression
 * list, which holds only the addresses that left for good), never the subscribers themselves.
 */
export async function loadSubscriberOverview(ctx: AppContext): Promise<SubscriberOverview> {
  const [counts, topics, suppressions, growth] = await Promise.all([
    readSubscriptionCounts(ctx.db),
    listTopics(ctx.db, { audience: 'staff' }),
    ctx.db
      .selectFrom('subscriber_suppressions')
      .select((eb) => ['reason', eb.fn.countAll<number>().as('n')])
      .groupBy('reason')
      .execute(),
    readSubscriptionGrowth(ctx),
  ]);
  const suppressed = { deleted: 0, hard_bounce: 0, complaint: 0, manual: 0, total: 0 };
  for (const row of suppressions) {
    if (!SUPPRESSION_REASONS.includes(row.reason)) continue;
    suppressed[row.reason] += Number(row.n);
    suppressed.total += Number(row.n);
  }
  return {
    all: countsOf(counts, ALL_SUBSCRIBERS),
    topics: topics.map((topic) => ({ topic, counts: countsOf(counts, topic.id) })),
    suppressed,
    growth,
  };
}
