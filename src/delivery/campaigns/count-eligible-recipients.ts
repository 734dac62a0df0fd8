import type { AppContext } from '../../platform/context.ts';
import type { Campaign } from '../../platform/db/schema.ts';
import { eligibleRecipients } from '../../subscriptions/audience.ts';
import { campaignAudience } from './campaign-queries.ts';

/**
 * How many subscribers the campaign would go to if it started now: the same query the engine
 * writes the ledger from, counted. The send confirmation states it.
 */
export async function countEligibleRecipients(ctx: Pick<AppContext, 'db'>, campaign: Pick<Campaign, 'topic_ids' | 'audience_frequency'>) {
  const audience = campaignAudience(campaign);
  if (audience.topicIds.length === 0) return 0;
  const row = await ctx.db
    .selectFrom(eligibleRecipients(ctx.db, audience).as('eligible'))
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .executeTakeFirstOrThrow();
  return Number(row.n);
}
