import { randomUUID } from 'node:crypto';
import { iso } from '../../platform/clock.ts';
import type { AppContext } from '../../platform/context.ts';
import { validation } from '../../platform/errors.ts';
import { auditFieldsOf, type StaffActor } from '../staff-actor.ts';
import { isUniqueViolation, parseTopicForm, type TopicForm, topicSlugTaken } from './topic-form.ts';

/** Adds a subscription topic. Returns its id. */
export async function createSubscriptionTopic(ctx: AppContext, options: { form: TopicForm; actor: StaffActor }): Promise<string> {
  const values = parseTopicForm(options.form);
  const taken = await ctx.db.selectFrom('subscription_topics').select('id').where('slug', '=', values.slug).executeTakeFirst();
  if (taken) throw validation({ slug: topicSlugTaken(values.slug) });

  const id = randomUUID();
  const now = iso(ctx.clock.now());
  try {
    await ctx.db
      .insertInto('subscription_topics')
      .values({ id, ...values, created_at: now, updated_at: now })
      .execute();
  } catch (error) {
    if (isUniqueViolation(error)) throw validation({ slug: topicSlugTaken(values.slug) });
    throw error;
  }
  await ctx.audit.record({
    action: 'subscription_topic.created',
    ...auditFieldsOf(options.actor),
    subjectType: 'subscription_topic',
    subjectId: id,
    details: { slug: values.slug, name: values.name, frequency: values.frequency, visibility: values.visibility },
  });
  return id;
}
