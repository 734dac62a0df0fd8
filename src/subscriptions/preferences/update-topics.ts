import { iso } from '../../platform/clock.ts';
import type { AppContext } from '../../platform/context.ts';
import type { DeliveryFrequency } from '../../platform/db/schema.ts';
import { recordSubscriberEvent, type SubscriberActor } from '../history.ts';
import { listTopics } from '../topics.ts';

export interface TopicChoices {
  /** Topic ids the person ticked. Ids of private or unknown topics are ignored. */
  topicIds: string[];
  /** "digest" for a monthly digest; anything else means every bulletin. Keyed by topic id. */
  frequencies: Record<string, string | undefined>;
}

export interface TopicChanges {
  added: string[];
  removed: string[];
  frequencyChanged: string[];
}

const frequencyFrom = (value: string | undefined): DeliveryFrequency => (value === 'digest' ? 'digest' : 'every');

/**
 * Makes the subscriber's PUBLIC memberships match the form: adds ticked topics, removes unticked
 * ones, sets each kept topic's frequency. Only public topics are considered, so private lists survive
 * untouched whatever is posted (listmonk's private-list bypass and its "manage preferences removed me
 * from private lists" bug). The change and its history event land together; saving without a change
 * records nothing. The subscriber's status is not touched: a pending person still has to confirm.
 */
export async function updateTopics(
  ctx: AppContext,
  input: { subscriberId: string; choices: TopicChoices; actor?: SubscriberActor },
): Promise<TopicChanges> {
  const publicTopics = await listTopics(ctx.db, { audience: 'public' });
  const publicIds = new Set(publicTopics.map((t) => t.id));
  const slugOf = new Map(publicTopics.map((t) => [t.id, t.slug]));
  const wanted = new Set(input.choices.topicIds.filter((id) => publicIds.has(id)));
  const now = iso(ctx.clock.now());

  return ctx.db.transaction().execute(async (trx) => {
    const current = await trx
      .selectFrom('subscriptions')
      .select(['topic_id', 'frequency'])
      .where('subscriber_id', '=', input.subscriberId)
      .execute();
    const currentPublic = new Map(current.filter((m) => publicIds.has(m.topic_id)).map((m) => [m.topic_id, m.frequency]));
    const changes: TopicChanges = { added: [], removed: [], frequencyChanged: [] };

    for (const topic of publicTopics) {
      const frequency = frequencyFrom(input.choices.frequencies[topic.id]);
      const had = currentPublic.get(topic.id);
      if (wanted.has(topic.id) && had === undefined) {
        await trx
          .insertInto('subscriptions')
          .values({ subscriber_id: input.subscriberId, topic_id: topic.id, frequency, created_at: now })
          .execute();
        changes.added.push(topic.id);
      } else if (wanted.has(topic.id) && had !== frequency) {
        await trx
          .updateTable('subscriptions')
          .set({ frequency })
          .where('subscriber_id', '=', input.subscriberId)
          .where('topic_id', '=', topic.id)
          .execute();
        changes.frequencyChanged.push(topic.id);
      } else if (!wanted.has(topic.id) && had !== undefined) {
        await trx.deleteFrom('subscriptions').where('subscriber_id', '=', input.subscriberId).where('topic_id', '=', topic.id).execute();
        changes.removed.push(topic.id);
      }
    }

    if (changes.added.length + changes.removed.length + changes.frequencyChanged.length > 0) {
      await trx.updateTable('subscribers').set({ updated_at: now }).where('id', '=', input.subscriberId).execute();
      const slugs = (ids: string[]) => ids.map((id) => slugOf.get(id) ?? id);
      await recordSubscriberEvent(trx, ctx.clock, {
        subscriberId: input.subscriberId,
        kind: 'topics_changed',
        actor: input.actor ?? 'subscriber',
        details: {
          added: slugs(changes.added),
          removed: slugs(changes.removed),
          frequency: Object.fromEntries(
            [...changes.added, ...changes.frequencyChanged].map((id) => [
              slugOf.get(id) ?? id,
              frequencyFrom(input.choices.frequencies[id]),
            ]),
          ),
        },
      });
    }
    return changes;
  });
}
