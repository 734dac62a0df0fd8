import type { AppContext } from '../../platform/context.ts';
import type { Db } from '../../platform/db/database.ts';
import type { SubscriptionTopic } from '../../platform/db/schema.ts';
import { AppError } from '../../platform/errors.ts';
import { auditFieldsOf, type StaffActor } from '../staff-actor.ts';
import { DISPATCH_TOPIC_SLUG } from '../topics.ts';
import { getSubscriptionTopic } from './get-subscription-topic.ts';

/** Why a topic cannot be deleted, in words for the page; null when it can. */
export type TopicDeletionBlock = { reason: 'dispatch' | 'has-subscriptions'; message: string; memberships: number } | null;

async function membershipCount(db: Db, topicId: string): Promise<number> {
  const row = await db
    .selectFrom('subscriptions')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .where('topic_id', '=', topicId)
    .executeTakeFirstOrThrow();
  return Number(row.n);
}

/**
 * A topic can be deleted only while nobody has it, not even someone who unsubscribed: their
 * memberships are part of their history and of the counts. The Dispatch topic is never deleted.
 */
export async function topicDeletionBlock(db: Db, topic: SubscriptionTopic): Promise<TopicDeletionBlock> {
  if (topic.slug === DISPATCH_TOPIC_SLUG) {
    return {
      reason: 'dispatch',
      memberships: 0,
      message: 'The Dispatch topic is the newsletter itself and cannot be deleted. You can rename it or change its description.',
    };
  }
  const memberships = await membershipCount(db, topic.id);
  if (memberships === 0) return null;
  const people = memberships === 1 ? '1 subscriber has' : `${memberships.toLocaleString('en-US')} subscribers have`;
  return {
    reason: 'has-subscriptions',
    memberships,
    message:
      `“${topic.name}” cannot be deleted: ${people} it among their topics (counting people who paused or unsubscribed, ` +
      'whose memberships are kept for their history). To stop new sign-ups, make it private instead: it then disappears ' +
      'from the subscribe page and only staff and imports can add people to it.',
  };
}

/** Deletes a topic nobody has; CONFLICT (409) with the reason otherwise. */
export async function deleteSubscriptionTopic(
  ctx: AppContext,
  options: { topicId: string; actor: StaffActor },
): Promise<SubscriptionTopic> {
  const topic = await getSubscriptionTopic(ctx, options.topicId);
  await ctx.db.transaction().execute(async (trx) => {
    // Checked inside the transaction; a membership added meanwhile would make the delete fail on
    // its foreign key rather than leave a membership without a topic.
    const block = await topicDeletionBlock(trx, topic);
    if (block) throw new AppError('CONFLICT', block.message);
    await trx.deleteFrom('subscription_topics').where('id', '=', topic.id).execute();
  });
  await ctx.audit.record({
    action: 'subscription_topic.deleted',
    ...auditFieldsOf(options.actor),
    subjectType: 'subscription_topic',
    subjectId: topic.id,
    details: { slug: topic.slug, name: topic.name },
  });
  return topic;
}
