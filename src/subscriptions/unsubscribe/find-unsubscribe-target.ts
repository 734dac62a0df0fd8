import type { AppContext } from '../../platform/context.ts';
import { subscriberLinks, verifySubscriberLink } from '../keys.ts';

export interface UnsubscribeTarget {
  subscriberId: string;
  /** Set for a link that leaves one topic; `topicName` is null when that topic has since been removed. */
  topic?: { id: string; name: string | null } | undefined;
  /** The same subscriber's signed preferences page, for "Manage your preferences instead". */
  preferencesUrl: string;
  /** Whether the link has nothing left to do (unsubscribed already, or no longer on that topic). */
  alreadyUnsubscribed: boolean;
}

/**
 * What an unsubscribe link is for, or null for anything that is not a genuine unsubscribe link to an
 * existing subscriber: tampered, truncated, signed for another purpose (a preferences link), or for a
 * subscriber who was deleted. Callers answer every null the same way, without saying why. Reads only.
 */
export async function findUnsubscribeTarget(ctx: AppContext, token: string): Promise<UnsubscribeTarget | null> {
  const subject = verifySubscriberLink(ctx.config.secret, 'unsubscribe', token);
  if (!subject) return null;
  const subscriber = await ctx.db
    .selectFrom('subscribers')
    .select(['id', 'status'])
    .where('id', '=', subject.subscriberId)
    .executeTakeFirst();
  if (!subscriber) return null;
  const { preferencesUrl } = subscriberLinks(ctx.config, { subscriberId: subscriber.id });
  const unsubscribed = subscriber.status === 'unsubscribed';
  if (subject.topicId === undefined) return { subscriberId: subscriber.id, preferencesUrl, alreadyUnsubscribed: unsubscribed };
  const topicId = subject.topicId;
  const [topic, membership] = await Promise.all([
    ctx.db.selectFrom('subscription_topics').select('name').where('id', '=', topicId).executeTakeFirst(),
    ctx.db
      .selectFrom('subscriptions')
      .select('topic_id')
      .where('subscriber_id', '=', subscriber.id)
      .where('topic_id', '=', topicId)
      .executeTakeFirst(),
  ]);
  return {
    subscriberId: subscriber.id,
    topic: { id: topicId, name: topic?.name ?? null },
    preferencesUrl,
    alreadyUnsubscribed: unsubscribed || membership === undefined,
  };
}
