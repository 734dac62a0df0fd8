import type { AppContext } from '../../platform/context.ts';

export interface BounceCounts {
  hard: number;
  soft: number;
  complaint: number;
}

/** For a campaign's report: how many of its recipients hard-bounced, soft-bounced or complained. */
export async function bounceCounts(ctx: Pick<AppContext, 'db'>, campaignId: number): Promise<BounceCounts> {
  const rows = await ctx.db
    .selectFrom('delivery_bounces')
    .select((eb) => ['kind', eb.fn.count<number>('subscriber_id').distinct().as('n')])
    .where('campaign_id', '=', campaignId)
    .groupBy('kind')
    .execute();
  const counts: BounceCounts = { hard: 0, soft: 0, complaint: 0 };
  for (const row of rows) counts[row.kind] = Number(row.n);
  return counts;
}
