import type { AppContext } from '../../platform/context.ts';
import type { DeliveryFrequency, Subscriber, SubscriptionTopic } from '../../platform/db/schema.ts';
import { listTopics } from '../topics.ts';

export interface PublicTopicChoice {
  topic: SubscriptionTopic;
  subscribed: boolean;
  /** The membership's frequency, or the default for a topic not chosen yet. */
  frequency: DeliveryFrequency;
}

export interface PreferencesView {
  subscriber: Subscriber;
  /** Every public topic, in display order, with this subscriber's choice. */
  topics: PublicTopicChoice[];
  /** Private lists staff put this subscriber on: shown by name, never changed from this page. */
  privateTopicNames: string[];
}

/** What the management page shows for one subscriber. */
export async function loadPreferences(ctx: AppContext, subscriber: Subscriber): Promise<PreferencesView> {
  const [publicTopics, memberships] = await Promise.all([
    listTopics(ctx.db, { audience: 'public' }),
    ctx.db
      .selectFrom('subscriptions')
      .innerJoin('subscription_topics', 'subscription_topics.id', 'subscriptions.topic_id')
      .select(['subscriptions.topic_id', 'subscriptions.frequency', 'subscription_topics.name', 'subscription_topics.visibility'])
      .where('subscriptions.subscriber_id', '=', subscriber.id)
      .orderBy('subscription_topics.position')
      .orderBy('subscription_topics.name')
      .execute(),
  ]);
  const frequencyOf = new Map(memberships.map((m) => [m.topic_id, m.frequency]));
  return {
    subscriber,
    topics: publicTopics.map((topic) => ({
      topic,
      subscribed: frequencyOf.has(topic.id),
      frequency: frequencyOf.get(topic.id) ?? 'every',
    })),
    privateTopicNames: memberships.filter((m) => m.visibility === 'private').map((m) => m.name),
  };
}
