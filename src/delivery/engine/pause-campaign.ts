import { iso } from '../../platform/clock.ts';
import type { AppContext } from '../../platform/context.ts';
import type { StaffActor } from '../../subscriptions/staff-actor.ts';
import { getCampaign } from '../campaigns/campaign-queries.ts';
import { campaignAudit, wrongState } from '../campaigns/campaign-rules.ts';

/**
 * Pause: sending → paused, one conditional UPDATE. No ledger row is touched: workers re-read the
 * campaign between chunks, stop claiming, and hand back the rows they hold, so the pause takes
 * effect within one chunk and resume continues exactly where the rows say.
 */
export async function pauseCampaign(ctx: AppContext, options: { campaignId: number; actor: StaffActor }): Promise<void> {
  const { campaignId, actor } = options;
  const now = iso(ctx.clock.now());
  const result = await ctx.db
    .updateTable('delivery_campaigns')
    .set({ status: 'paused', paused_reason: null, updated_at: now })
    .where('id', '=', campaignId)
    .where('status', '=', 'sending')
    .executeTakeFirst();
  if (result.numUpdatedRows === 0n) throw wrongState(await getCampaign(ctx, campaignId), 'paused');
  await ctx.audit.record({ action: 'campaign.paused', ...campaignAudit(actor, campaignId) });
}
