import { iso } from '../../platform/clock.ts';
import type { AppContext } from '../../platform/context.ts';
import { validation, validationFieldsOf } from '../../platform/errors.ts';
import { auditFieldsOf, type StaffActor } from '../staff-actor.ts';
import { DISPATCH_TOPIC_SLUG } from '../topics.ts';
import { getSubscriptionTopic } from './get-subscription-topic.ts';
import { isUniqueViolation, parseTopicForm, type TopicForm, type TopicValues, topicSlugTaken } from './topic-form.ts';

export const DISPATCH_SLUG_FIXED = `The Dispatch topic’s slug is always “${DISPATCH_TOPIC_SLUG}”: every installation finds the newsletter’s own topic by it.`;
export const DISPATCH_ALWAYS_PUBLIC = 'The Dispatch topic is always public: it is the newsletter the subscribe box on every page offers.';

/**
 * Edits a subscription topic. Members keep their memberships whatever changes, including a switch
 * to private (private topics are hidden from the public, not emptied). The Dispatch topic keeps its
 * slug and stays public. Returns which fields changed (for the audit log).
 */
export async function updateSubscriptionTopic(
  ctx: AppContext,
  options: { topicId: string; form: TopicForm; actor: StaffActor },
): Promise<string[]> {
  const topic = await getSubscriptionTopic(ctx, options.topicId);
  const isDispatch = topic.slug === DISPATCH_TOPIC_SLUG;
  // The Dispatch topic's slug field is read-only; an empty post means "unchanged", not "make one from the name".
  const form = isDispatch && options.form.slug.trim() === '' ? { ...options.form, slug: topic.slug } : options.form;

  let values: TopicValues | undefined;
  let fields: Record<string, string> = {};
  try {
    values = parseTopicForm(form);
  } catch (error) {
    fields = { ...validationFieldsOf(error) };
  }
  if (isDispatch && form.slug.trim() !== DISPATCH_TOPIC_SLUG) fields.slug = DISPATCH_SLUG_FIXED;
  if (isDispatch && form.visibility === 'private') fields.visibility = DISPATCH_ALWAYS_PUBLIC;
  if (!values || Object.keys(fields).length > 0) throw validation(fields);

  if (values.slug !== topic.slug) {
    const taken = await ctx.db.selectFrom('subscription_topics').select('id').where('slug', '=', values.slug).executeTakeFirst();
    if (taken && taken.id !== topic.id) throw validation({ slug: topicSlugTaken(values.slug) });
  }

  const changed = (Object.keys(values) as (keyof typeof values)[]).filter((key) => values[key] !== topic[key]);
  if (changed.length === 0) return [];
  try {
    await ctx.db
      .updateTable('subscription_topics')
      .set({ ...values, updated_at: iso(ctx.clock.now()) })
      .where('id', '=', topic.id)
      .execute();
  } catch (error) {
    if (isUniqueViolation(error)) throw validation({ slug: topicSlugTaken(values.slug) });
    throw error;
  }
  await ctx.audit.record({
    action: 'subscription_topic.edited',
    ...auditFieldsOf(options.actor),
    subjectType: 'subscription_topic',
    subjectId: topic.id,
    details: {
      slug: values.slug,
      changed: Object.fromEntries(changed.map((key) => [key, { from: topic[key], to: values[key] }])),
    },
  });
  return changed;
}
