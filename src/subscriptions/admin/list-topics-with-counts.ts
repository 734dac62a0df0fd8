import type { AppContext } from '../../platform/context.ts';
import type { SubscriptionTopic } from '../../platform/db/schema.ts';
import { listTopics } from '../topics.ts';
import { countsOf, readSubscriptionCounts, type StatusCounts } from './read-subscription-counts.ts';

export interface TopicWithCounts {
  topic: SubscriptionTopic;
  counts: StatusCounts;
}

/** Every topic, private ones included (staff see them all), in display order, with its subscriber counts. */
export async function listTopicsWithCounts(ctx: AppContext): Promise<TopicWithCounts[]> {
  const [topics, counts] = await Promise.all([listTopics(ctx.db, { audience: 'staff' }), readSubscriptionCounts(ctx.db)]);
  return topics.map((topic) => ({ topic, counts: countsOf(counts, topic.id) }));
}
