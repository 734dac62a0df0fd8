import type { AppContext } from '../../platform/context.ts';
import type { SubscriptionTopic } from '../../platform/db/schema.ts';
import { notFound } from '../../platform/errors.ts';

/** One topic for the admin pages; NOT_FOUND for an unknown (or implausible) id. */
export async function getSubscriptionTopic(ctx: AppContext, id: string): Promise<SubscriptionTopic> {
  if (id.length === 0 || id.length > 100) throw notFound('That topic');
  const topic = await ctx.db.selectFrom('subscription_topics').selectAll().where('id', '=', id).executeTakeFirst();
  if (!topic) throw notFound('That topic');
  return topic;
}

/** The position a new topic gets by default: after every existing one. */
export async function nextTopicPosition(ctx: AppContext): Promise<number> {
  const row = await ctx.db
    .selectFrom('subscription_topics')
    .select((eb) => eb.fn.max('position').as('last'))
    .executeTakeFirst();
  const last = row?.last;
  return last === null || last === undefined ? 0 : Math.min(Number(last) + 1, 9999);
}
