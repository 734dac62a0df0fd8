import { iso } from '../../platform/clock.ts';
import type { AppContext } from '../../platform/context.ts';
import type { Campaign, CampaignKind, CampaignSourceType, CampaignStatus, DeliveryFrequency } from '../../platform/db/schema.ts';
import { compileCampaign } from './compile-campaign.ts';

// Helpers for the message and archive tests (not a test file itself).

/** The demo issue's rows (content/demo) and a month with nothing in it. */
export const DEMO_SOURCES = {
  article: 'demo-article-sro-mou-x-chat',
  issue: 'demo-issue-2024-01',
  event: 'demo-event-rems-chat-2024-01-22',
  month: '2024-01',
  emptyMonth: '2023-05',
  articleTitle: 'Join an X Chat on Building a Strong School Resource Officer MOU',
  articleSlug: 'x-chat-school-resource-officer-mou',
  eventSlug: 'rems-chat-with-an-expert-sro-mou-2024-01-22',
} as const;

const kindOf: Record<CampaignSourceType, CampaignKind> = { article: 'bulletin', issue: 'bulletin', month: 'digest', event: 'reminder' };

/** Subscription topic ids by slug (the seeded topics). */
export async function topicIds(ctx: Pick<AppContext, 'db'>): Promise<Record<string, string>> {
  const rows = await ctx.db.selectFrom('subscription_topics').select(['id', 'slug']).execute();
  return Object.fromEntries(rows.map((row) => [row.slug, row.id]));
}

/** A campaign row as the campaign admin leaves it (a draft unless `status` says otherwise). */
export async function insertCampaign(
  ctx: Pick<AppContext, 'db' | 'clock'>,
  values: {
    sourceType: CampaignSourceType;
    sourceId: string;
    subject?: string;
    topicIds: string[];
    frequency?: DeliveryFrequency;
    status?: CampaignStatus;
    archived?: 0 | 1;
    startedAt?: string | null;
  },
): Promise<Campaign> {
  const now = iso(ctx.clock.now());
  const inserted = await ctx.db
    .insertInto('delivery_campaigns')
    .values({
      kind: kindOf[values.sourceType],
      source_type: values.sourceType,
      source_id: values.sourceId,
      subject: values.subject ?? `Subject of ${values.sourceType} ${values.sourceId}`,
      topic_ids: JSON.stringify(values.topicIds),
      audience_frequency: values.frequency ?? (values.sourceType === 'month' ? 'digest' : 'every'),
      status: values.status ?? 'draft',
      archived: values.archived ?? 1,
      created_by: 'test',
      created_at: now,
      updated_at: now,
      started_at: values.startedAt ?? null,
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  return ctx.db.selectFrom('delivery_campaigns').selectAll().where('id', '=', Number(inserted.id)).executeTakeFirstOrThrow();
}

/** Compiles the campaign and stores the result, as starting a send does. */
export async function compileAndStore(ctx: AppContext, campaign: Campaign): Promise<Campaign> {
  const compiled = await compileCampaign(ctx, campaign);
  await ctx.db
    .updateTable('delivery_campaigns')
    .set({ compiled_html: compiled.html, compiled_text: compiled.text })
    .where('id', '=', campaign.id)
    .execute();
  return { ...campaign, compiled_html: compiled.html, compiled_text: compiled.text };
}
