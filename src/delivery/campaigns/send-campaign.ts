import type { AppContext } from '../../platform/context.ts';
import { AppError } from '../../platform/errors.ts';
import type { StaffActor } from '../../subscriptions/staff-actor.ts';
import { startCampaign } from '../engine/start-campaign.ts';
import { getCampaign } from './campaign-queries.ts';
import { STATUS_LABELS } from './campaign-rules.ts';
import { assertSendable } from './schedule-campaign.ts';

/**
 * "Send now" (a draft, or a scheduled campaign sent early or confirmed after it went overdue):
 * checks it has an audience and a published source, then hands it to the engine, whose single
 * conditional UPDATE makes sure a campaign is started once, however many people press Send.
 */
export async function sendCampaign(ctx: AppContext, options: { campaignId: number; actor: StaffActor }): Promise<void> {
  const campaign = await getCampaign(ctx, options.campaignId);
  if (campaign.status !== 'draft' && campaign.status !== 'scheduled') {
    throw new AppError(
      'CONFLICT',
      `This campaign was already started (it is ${STATUS_LABELS[campaign.status].toLowerCase()} now). A campaign is only ever sent once.`,
    );
  }
  await assertSendable(ctx, campaign);
  await startCampaign(ctx, { campaignId: campaign.id, actor: options.actor });
}
