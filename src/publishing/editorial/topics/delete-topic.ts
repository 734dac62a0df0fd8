import type { AppContext } from '../../../platform/context.ts';
import { notFound } from '../../../platform/errors.ts';
import { type Actor, auditActor } from '../shared/actor.ts';
import { findTopic, itemsTaggedWith, refreshTagged } from './topic-queries.ts';

/**
 * Deletes a topic. Its links to articles, events and resources go with it (the link tables
 * cascade); the items themselves stay, and their search entries are refreshed.
 */
export async function deleteTopic(ctx: AppContext, options: { topicId: string; actor: Actor }): Promise<void> {
  const topic = await findTopic(ctx.db, options.topicId);
  if (!topic) throw notFound('That topic');
  const tagged = await itemsTaggedWith(ctx.db, topic.id);
  await ctx.db.transaction().execute(async (trx) => {
    // Explicit as well as cascaded, so the rule holds even where foreign keys were switched off.
    await trx.deleteFrom('publishing_article_topics').where('topic_id', '=', topic.id).execute();
    await trx.deleteFrom('publishing_event_topics').where('topic_id', '=', topic.id).execute();
    await trx.deleteFrom('publishing_resource_topics').where('topic_id', '=', topic.id).execute();
    await trx.deleteFrom('publishing_topics').where('id', '=', topic.id).execute();
  });
  await ctx.audit.record({
    action: 'topic.deleted',
    ...auditActor(options.actor),
    subjectType: 'topic',
    subjectId: topic.id,
    details: { slug: topic.slug, name: topic.name, unlinked: tagged.length },
  });
  await refreshTagged(ctx, tagged);
}
