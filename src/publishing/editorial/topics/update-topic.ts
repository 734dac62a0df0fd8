import type { AppContext } from '../../../platform/context.ts';
import { notFound, validation } from '../../../platform/errors.ts';
import { type Actor, auditActor } from '../shared/actor.ts';
import { isUniqueViolation } from '../shared/field-errors.ts';
import { type TopicForm, topicSlugTaken, validateTopicForm } from './topic-form.ts';
import { findTopic, itemsTaggedWith, refreshTagged } from './topic-queries.ts';

/** Renames or re-describes a topic; what is tagged with it is re-indexed for search. */
export async function updateTopic(ctx: AppContext, options: { topicId: string; form: TopicForm; actor: Actor }): Promise<void> {
  const topic = await findTopic(ctx.db, options.topicId);
  if (!topic) throw notFound('That topic');
  const values = await validateTopicForm(ctx.db, options.form, topic.id);
  try {
    await ctx.db.updateTable('publishing_topics').set(values).where('id', '=', topic.id).execute();
  } catch (error) {
    if (isUniqueViolation(error)) throw validation({ slug: topicSlugTaken(values.slug) });
    throw error;
  }
  await ctx.audit.record({
    action: 'topic.edited',
    ...auditActor(options.actor),
    subjectType: 'topic',
    subjectId: topic.id,
    details: { slug: values.slug },
  });
  await refreshTagged(ctx, await itemsTaggedWith(ctx.db, topic.id));
}
