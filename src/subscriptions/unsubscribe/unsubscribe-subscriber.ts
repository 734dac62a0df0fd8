import { iso } from '../../platform/clock.ts';
import type { AppContext } from '../../platform/context.ts';
import type { SubscriberStatus } from '../../platform/db/schema.ts';
import { recordSubscriberEvent, type SubscriberActor } from '../history.ts';

export interface UnsubscribeResult {
  /** Whether anything changed; a repeated unsubscribe is a success that changes nothing. */
  changed: boolean;
  /** Whether the subscriber now gets no e-mail at all. */
  unsubscribedFromEverything: boolean;
  /** The status before, or null when the subscriber no longer exists. */
  from: SubscriberStatus | null;
}

/**
 * Leaves one topic or everything, at once, in one transaction with its history event.
 *
 * - From a topic: the membership goes; if it was the last one, the subscriber is unsubscribed too
 *   (a subscriber without topics would otherwise sit "active" and get nothing, uncounted).
 * - From everything: status unsubscribed and the time; memberships stay for history and counts.
 */
export async function unsubscribeSubscriber(
  ctx: Pick<AppContext, 'db' | 'clock'>,
  input: { subscriberId: string; topicId?: string | undefined; actor: SubscriberActor },
): Promise<UnsubscribeResult> {
  const { clock } = ctx;
  const now = iso(clock.now());
  return ctx.db.transaction().execute(async (trx) => {
    const subscriber = await trx.selectFrom('subscribers').select('status').where('id', '=', input.subscriberId).executeTakeFirst();
    if (!subscriber) return { changed: false, unsubscribedFromEverything: true, from: null };
    const from = subscriber.status;

    if (input.topicId !== undefined) {
      const removed = await trx
        .deleteFrom('subscriptions')
        .where('subscriber_id', '=', input.subscriberId)
        .where('topic_id', '=', input.topicId)
        .executeTakeFirst();
      if (Number(removed.numDeletedRows) === 0)
        return { changed: false, unsubscribedFromEverything: subscriber.status === 'unsubscribed', from };
      const topic = await trx.selectFrom('subscription_topics').select('slug').where('id', '=', input.topicId).executeTakeFirst();
      const left = await trx
        .selectFrom('subscriptions')
        .select('topic_id')
        .where('subscriber_id', '=', input.subscriberId)
        .limit(1)
        .execute();
      const lastOne = left.length === 0 && subscriber.status !== 'unsubscribed';
      await trx
        .updateTable('subscribers')
        .set(lastOne ? { status: 'unsubscribed', unsubscribed_at: now, updated_at: now } : { updated_at: now })
        .where('id', '=', input.subscriberId)
        .execute();
      await recordSubscriberEvent(trx, clock, {
        subscriberId: input.subscriberId,
        kind: 'unsubscribed',
        actor: input.actor,
        details: { topic: topic?.slug ?? input.topicId, ...(lastOne ? { lastTopic: true } : {}) },
      });
      return { changed: true, unsubscribedFromEverything: lastOne || subscriber.status === 'unsubscribed', from };
    }

    if (subscriber.status === 'unsubscribed') return { changed: false, unsubscribedFromEverything: true, from };
    const result = await trx
      .updateTable('subscribers')
      .set({ status: 'unsubscribed', unsubscribed_at: now, updated_at: now })
      .where('id', '=', input.subscriberId)
      .where('status', '<>', 'unsubscribed')
      .executeTakeFirst();
    if (Number(result.numUpdatedRows) === 0) return { changed: false, unsubscribedFromEverything: true, from };
    await recordSubscriberEvent(trx, clock, {
      subscriberId: input.subscriberId,
      kind: 'unsubscribed',
      actor: input.actor,
      details: { scope: 'all', from: subscriber.status },
    });
    return { changed: true, unsubscribedFromEverything: true, from };
  });
}
