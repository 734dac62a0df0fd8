import { iso } from '../../platform/clock.ts';
import type { AppContext } from '../../platform/context.ts';
import { startCampaign } from '../engine/start-campaign.ts';
import { getCampaign } from './campaign-queries.ts';
import { isOverdue, systemActor } from './campaign-rules.ts';
import { assertSendable } from './schedule-campaign.ts';

export const START_DUE_CAMPAIGNS_JOB = 'delivery.start-due-campaigns';

export interface DueCampaigns {
  started: number[];
  /** More than an hour late (the server was down, or this is a restored copy): left for a person to confirm. */
  overdue: number[];
  /** Could not start (e.g. the article was unpublished); tried again next minute until overdue. */
  refused: number[];
}

/**
 * The every-minute sweep: starts each scheduled campaign whose time has come, through the engine
 * (whose conditional UPDATE keeps two sweeps, or a sweep and a person pressing Send, from starting
 * it twice). A campaign more than an hour overdue is not started: after an outage, or on a copy of
 * the database restored elsewhere, mail should not go out unannounced; its page asks a publisher.
 */
export async function startDueCampaigns(ctx: AppContext): Promise<DueCampaigns> {
  const now = ctx.clock.now();
  const due = await ctx.db
    .selectFrom('delivery_campaigns')
    .select(['id', 'status', 'scheduled_for'])
    .where('status', '=', 'scheduled')
    .where('scheduled_for', '<=', iso(now))
    .orderBy('scheduled_for')
    .orderBy('id')
    .execute();
  const result: DueCampaigns = { started: [], overdue: [], refused: [] };
  for (const campaign of due) {
    if (isOverdue(campaign, now)) {
      result.overdue.push(campaign.id);
      continue;
    }
    try {
      await assertSendable(ctx, await getCampaign(ctx, campaign.id));
      await startCampaign(ctx, { campaignId: campaign.id, actor: systemActor });
      result.started.push(campaign.id);
    } catch (error) {
      // One campaign that cannot start must not hold up the others.
      ctx.log.warn({ err: error, campaignId: campaign.id }, 'scheduled campaign could not be started');
      result.refused.push(campaign.id);
    }
  }
  return result;
}
