import { iso } from '../../platform/clock.ts';
import type { AppContext } from '../../platform/context.ts';
import type { Campaign } from '../../platform/db/schema.ts';
import { AppError } from '../../platform/errors.ts';
import { enqueueJob } from '../../platform/jobs/index.ts';
import type { StaffActor } from '../../subscriptions/staff-actor.ts';
import { getCampaign } from '../campaigns/campaign-queries.ts';
import { actorColumn, campaignAudit, wrongState } from '../campaigns/campaign-rules.ts';

/** The job that compiles the message and writes the ledger (write-ledger.ts). */
export const START_CAMPAIGN_JOB = 'delivery.start-campaign';

/**
 * Send: draft or scheduled → queued, in one conditional UPDATE, so however many clicks, tabs,
 * schedulers or restored snapshots race, exactly one start wins and every other gets a 409. The
 * job that writes the ledger is queued in the same transaction: a crash between the two cannot
 * leave a campaign queued with nothing to move it on.
 */
export async function startCampaign(ctx: AppContext, options: { campaignId: number; actor: StaffActor }): Promise<void> {
  const { campaignId, actor } = options;
  const now = iso(ctx.clock.now());
  const started = await ctx.db.transaction().execute(async (trx) => {
    const result = await trx
      .updateTable('delivery_campaigns')
      .set({ status: 'queued', queued_at: now, started_by: actorColumn(actor), paused_reason: null, updated_at: now })
      .where('id', '=', campaignId)
      .where('status', 'in', ['draft', 'scheduled'])
      .executeTakeFirst();
    if (result.numUpdatedRows === 0n) return false;
    await enqueueJob(trx, ctx.clock, {
      name: START_CAMPAIGN_JOB,
      payload: { campaignId },
      uniqueKey: `${START_CAMPAIGN_JOB}:${campaignId}`,
    });
    return true;
  });
  if (!started) throw refusal(await getCampaign(ctx, campaignId));
  await ctx.audit.record({ action: 'campaign.started', ...campaignAudit(actor, campaignId) });
}

function refusal(campaign: Campaign): AppError {
  switch (campaign.status) {
    case 'queued':
    case 'sending':
    case 'paused':
      return new AppError('CONFLICT', 'This campaign has already been started. A campaign is never sent twice.');
    case 'finished':
      return new AppError('CONFLICT', 'This campaign has already been sent. A campaign is never sent twice.');
    default:
      return wrongState(campaign, 'sent');
  }
}
