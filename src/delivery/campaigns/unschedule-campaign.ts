import { iso } from '../../platform/clock.ts';
import type { AppContext } from '../../platform/context.ts';
import type { StaffActor } from '../../subscriptions/staff-actor.ts';
import { getCampaign } from './campaign-queries.ts';
import { campaignAudit, wrongState } from './campaign-rules.ts';

/** scheduled → draft: the campaign will not go out on its own, and can be edited again. */
export async function unscheduleCampaign(ctx: AppContext, options: { campaignId: number; actor: StaffActor }): Promise<void> {
  const campaign = await getCampaign(ctx, options.campaignId);
  if (campaign.status !== 'scheduled') throw wrongState(campaign, 'unscheduled');
  const result = await ctx.db
    .updateTable('delivery_campaigns')
    .set({ status: 'draft', scheduled_for: null, updated_at: iso(ctx.clock.now()) })
    .where('id', '=', campaign.id)
    .where('status', '=', 'scheduled')
    .executeTakeFirst();
  if (Number(result.numUpdatedRows) !== 1) throw wrongState(await getCampaign(ctx, campaign.id), 'unscheduled');
  await ctx.audit.record({
    action: 'campaign.unscheduled',
    ...campaignAudit(options.actor, campaign.id),
    details: { wasScheduledFor: campaign.scheduled_for },
  });
}
