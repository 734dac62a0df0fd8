import { iso } from '../../platform/clock.ts';
import type { AppContext } from '../../platform/context.ts';
import type { StaffActor } from '../../subscriptions/staff-actor.ts';
import { getCampaign } from '../campaigns/campaign-queries.ts';
import { campaignAudit, wrongState } from '../campaigns/campaign-rules.ts';

/** The report's reason for rows a cancellation stopped. */
export const CANCELLED_REASON = 'cancelled';

/**
 * Cancel: any state but finished or cancelled → cancelled, and in the same transaction every row
 * not yet sent becomes skipped ("cancelled"), so the report adds up and nothing is claimable. Rows
 * a worker holds are skipped too, but keep their lease owner: a message already in flight that the
 * server accepts is still recorded as sent by its worker (see ledger.ts), because it was.
 */
export async function cancelCampaign(ctx: AppContext, options: { campaignId: number; actor: StaffActor }): Promise<void> {
  const { campaignId, actor } = options;
  const now = iso(ctx.clock.now());
  const cancelled = await ctx.db.transaction().execute(async (trx) => {
    const result = await trx
      .updateTable('delivery_campaigns')
      .set({ status: 'cancelled', cancelled_at: now, updated_at: now })
      .where('id', '=', campaignId)
      .where('status', 'in', ['draft', 'scheduled', 'queued', 'sending', 'paused'])
      .executeTakeFirst();
    if (result.numUpdatedRows === 0n) return false;
    await trx
      .updateTable('delivery_recipients')
      .set({ status: 'skipped', last_error: CANCELLED_REASON })
      .where('campaign_id', '=', campaignId)
      .where('status', 'in', ['pending', 'sending'])
      .execute();
    return true;
  });
  if (!cancelled) throw wrongState(await getCampaign(ctx, campaignId), 'cancelled');
  await ctx.audit.record({ action: 'campaign.cancelled', ...campaignAudit(actor, campaignId) });
}
