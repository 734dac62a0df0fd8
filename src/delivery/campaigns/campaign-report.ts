import type { AppContext } from '../../platform/context.ts';
import type { Campaign } from '../../platform/db/schema.ts';
import { countUnsubscribedAmongSince } from '../../subscriptions/audience.ts';
import { bounceCounts } from '../bounces/bounce-counts.ts';
import { getCampaign, type RecipientCounts, recipientCounts } from './campaign-queries.ts';

export interface CampaignReport {
  campaign: Campaign;
  /** Ledger rows written when the send started. */
  recipients: number;
  counts: RecipientCounts;
  bounces: { hard: number; soft: number; complaint: number };
  /** Of the recipients sent to, how many have unsubscribed since the send started. */
  unsubscribedSince: number;
}

/** A campaign's outcome, counted from its ledger, the bounces that came back, and the subscribers since. */
export async function campaignReport(ctx: AppContext, options: { campaignId: number }): Promise<CampaignReport> {
  const campaign = await getCampaign(ctx, options.campaignId);
  const sentTo = ctx.db
    .selectFrom('delivery_recipients')
    .select('subscriber_id')
    .where('campaign_id', '=', campaign.id)
    .where('status', '=', 'sent');
  const [counts, bounces, unsubscribedSince] = await Promise.all([
    recipientCounts(ctx, [campaign.id]),
    bounceCounts(ctx, campaign.id),
    campaign.started_at ? countUnsubscribedAmongSince(ctx.db, sentTo, campaign.started_at) : 0,
  ]);
  return {
    campaign,
    recipients: campaign.recipients,
    counts: counts.get(campaign.id) ?? { pending: 0, sending: 0, sent: 0, failed: 0, skipped: 0 },
    bounces: { hard: bounces.hard, soft: bounces.soft, complaint: bounces.complaint },
    unsubscribedSince,
  };
}
