import type { AppContext } from '../../platform/context.ts';
import type { Campaign, CampaignStatus, RecipientStatus } from '../../platform/db/schema.ts';
import { notFound } from '../../platform/errors.ts';

/** Campaigns per page of /admin/campaigns and of `dispatch campaign list`. */
export const CAMPAIGNS_PAGE_SIZE = 25;

/** A campaign id from a URL or the command line: a positive whole number, or null. */
export function parseCampaignId(raw: unknown): number | null {
  if (typeof raw !== 'string' || !/^[1-9]\d{0,14}$/.test(raw)) return null;
  const id = Number(raw);
  return Number.isSafeInteger(id) ? id : null;
}

/** One campaign; NOT_FOUND for an unknown or malformed id. */
export async function getCampaign(ctx: Pick<AppContext, 'db'>, id: number | string): Promise<Campaign> {
  const campaignId = typeof id === 'number' ? id : parseCampaignId(id);
  const campaign =
    campaignId === null
      ? undefined
      : await ctx.db.selectFrom('delivery_campaigns').selectAll().where('id', '=', campaignId).executeTakeFirst();
  if (!campaign) throw notFound('That campaign');
  return campaign;
}

/** The audience's subscription topic ids, read defensively from the JSON column. */
export function campaignTopicIds(campaign: Pick<Campaign, 'topic_ids'>): string[] {
  try {
    const value: unknown = JSON.parse(campaign.topic_ids);
    return Array.isArray(value) ? value.filter((id): id is string => typeof id === 'string') : [];
  } catch {
    return [];
  }
}

/** The audience as the subscription feature's functions take it. */
export function campaignAudience(campaign: Pick<Campaign, 'topic_ids' | 'audience_frequency'>) {
  return { topicIds: campaignTopicIds(campaign), frequency: campaign.audience_frequency };
}

export type RecipientCounts = Record<RecipientStatus, number>;

const noRecipients = (): RecipientCounts => ({ pending: 0, sending: 0, sent: 0, failed: 0, skipped: 0 });

/** Ledger rows by status for each campaign, in one grouped query (the list page's progress column). */
export async function recipientCounts(ctx: Pick<AppContext, 'db'>, campaignIds: number[]): Promise<Map<number, RecipientCounts>> {
  const counts = new Map<number, RecipientCounts>();
  if (campaignIds.length === 0) return counts;
  const rows = await ctx.db
    .selectFrom('delivery_recipients')
    .select((eb) => ['campaign_id', 'status', eb.fn.countAll<number>().as('n')])
    .where('campaign_id', 'in', campaignIds)
    .groupBy(['campaign_id', 'status'])
    .execute();
  for (const row of rows) {
    const entry = counts.get(Number(row.campaign_id)) ?? noRecipients();
    entry[row.status] = Number(row.n);
    counts.set(Number(row.campaign_id), entry);
  }
  return counts;
}

/** Statuses whose ledger exists (the send has started at some point). */
export const STARTED_STATUSES: readonly CampaignStatus[] = ['queued', 'sending', 'paused', 'finished', 'cancelled'];

export interface CampaignListing {
  campaigns: (Campaign & { counts: RecipientCounts })[];
  page: number;
  pageCount: number;
  total: number;
}

/** One page of campaigns, newest first, each with its ledger counted by status. NOT_FOUND past the last page. */
export async function listCampaigns(ctx: Pick<AppContext, 'db'>, options: { page: number; pageSize?: number }): Promise<CampaignListing> {
  const pageSize = options.pageSize ?? CAMPAIGNS_PAGE_SIZE;
  const [campaigns, total] = await Promise.all([
    ctx.db
      .selectFrom('delivery_campaigns')
      .selectAll()
      .orderBy('created_at', 'desc')
      .orderBy('id', 'desc')
      .limit(pageSize)
      .offset((options.page - 1) * pageSize)
      .execute(),
    ctx.db
      .selectFrom('delivery_campaigns')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .executeTakeFirstOrThrow(),
  ]);
  const pageCount = Math.max(1, Math.ceil(Number(total.n) / pageSize));
  if (options.page > pageCount) throw notFound('That page of campaigns');
  const counts = await recipientCounts(
    ctx,
    campaigns.filter((c) => STARTED_STATUSES.includes(c.status)).map((c) => c.id),
  );
  return {
    campaigns: campaigns.map((c) => ({ ...c, counts: counts.get(c.id) ?? noRecipients() })),
    page: options.page,
    pageCount,
    total: Number(total.n),
  };
}
