import { randomUUID } from 'node:crypto';
import { iso } from '../../../platform/clock.ts';
import type { AppContext } from '../../../platform/context.ts';
import { validation } from '../../../platform/errors.ts';
import { type Actor, auditActor } from '../shared/actor.ts';
import { isUniqueViolation } from '../shared/field-errors.ts';
import { type TopicForm, topicSlugTaken, validateTopicForm } from './topic-form.ts';

/** Adds a topic (editors may manage topics). Returns its id. */
export async function createTopic(ctx: AppContext, options: { form: TopicForm; actor: Actor }): Promise<string> {
  const values = await validateTopicForm(ctx.db, options.form, null);
  const id = randomUUID();
  try {
    await ctx.db
      .insertInto('publishing_topics')
      .values({ id, ...values, created_at: iso(ctx.clock.now()) })
      .execute();
  } catch (error) {
    if (isUniqueViolation(error)) throw validation({ slug: topicSlugTaken(values.slug) });
    throw error;
  }
  await ctx.audit.record({
    action: 'topic.created',
    ...auditActor(options.actor),
    subjectType: 'topic',
    subjectId: id,
    details: { slug: values.slug },
  });
  return id;
}
