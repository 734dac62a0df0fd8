import { iso } from '../../platform/clock.ts';
import type { AppContext } from '../../platform/context.ts';
import type { StaffActor } from '../../subscriptions/staff-actor.ts';
import { getCampaign } from '../campaigns/campaign-queries.ts';
import { campaignAudit, wrongState } from '../campaigns/campaign-rules.ts';

/**
 * Resume: paused → sending, one conditional UPDATE; the reason for an automatic pause is cleared.
 * Workers pick the campaign up on their next poll and claim whatever rows are still pending, so
 * nobody already sent is sent again and nobody is skipped. A worker starts counting failures in a
 * row afresh once it has seen the campaign paused.
 */
export async function resumeCampaign(ctx: AppContext, options: { campaignId: number; actor: StaffActor }): Promise<void> {
  const { campaignId, actor } = options;
  const now = iso(ctx.clock.now());
  const result = await ctx.db
    .updateTable('delivery_campaigns')
    .set({ status: 'sending', paused_reason: null, updated_at: now })
    .where('id', '=', campaignId)
    .where('status', '=', 'paused')
    .executeTakeFirst();
  if (result.numUpdatedRows === 0n) throw wrongState(await getCampaign(ctx, campaignId), 'resumed');
  await ctx.audit.record({ action: 'campaign.resumed', ...campaignAudit(actor, campaignId) });
}
