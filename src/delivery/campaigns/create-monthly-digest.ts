import { iso } from '../../platform/clock.ts';
import type { AppContext } from '../../platform/context.ts';
import { AppError } from '../../platform/errors.ts';
import { getSiteSettings } from '../../platform/settings/site-settings.ts';
import { utcToZonedTime } from '../../publishing/editorial/shared/zoned-time.ts';
import { issueMonthLabel, PUBLICATION_TIME_ZONE } from '../../publishing/format.ts';
import { listMonthContents } from '../../publishing/site/list-month.ts';
import { listTopics } from '../../subscriptions/topics.ts';
import { startCampaign } from '../engine/start-campaign.ts';
import { actorColumn, MAX_SUBJECT_LENGTH, systemActor } from './campaign-rules.ts';

export const MONTHLY_DIGEST_JOB = 'delivery.monthly-digest';

/** At 09:00 on the first of each month, office time, the digest of the month before goes out. */
export const MONTHLY_DIGEST_SCHEDULE = { name: MONTHLY_DIGEST_JOB, cron: '0 9 1 * *', timeZone: PUBLICATION_TIME_ZONE };

/** "2026-10": the calendar month before the one `at` falls in, on the office's calendar. */
export function previousMonth(at: Date): string {
  const [year, month] = utcToZonedTime(at, PUBLICATION_TIME_ZONE).date.split('-').map(Number) as [number, number];
  return month === 1 ? `${year - 1}-12` : `${year}-${String(month - 1).padStart(2, '0')}`;
}

/** Whether anything was published for the month: what the digest would list (listMonthContents). */
async function monthHasContent(ctx: AppContext, month: string): Promise<boolean> {
  const contents = await listMonthContents(ctx, { month });
  return contents.articles.length + contents.events.length > 0;
}

export type DigestOutcome =
  | { outcome: 'started'; month: string; campaignId: number }
  | { outcome: 'already-created'; month: string; campaignId: number }
  | { outcome: 'nothing-published'; month: string };

/**
 * Creates the previous month's digest and starts it: to every public topic's subscribers who chose
 * the monthly digest. Once per month whatever happens: the unique index on (kind, source_id) for
 * digests makes a second insert a no-op, and a digest left a draft by a crash between insert and
 * start is started by the next run. A month with nothing published sends nothing.
 */
export async function createMonthlyDigest(ctx: AppContext, options: { at?: Date } = {}): Promise<DigestOutcome> {
  const month = previousMonth(options.at ?? ctx.clock.now());
  const existing = () =>
    ctx.db
      .selectFrom('delivery_campaigns')
      .select(['id', 'status'])
      .where('kind', '=', 'digest')
      .where('source_id', '=', month)
      .executeTakeFirst();

  let campaign = await existing();
  if (!campaign) {
    if (!(await monthHasContent(ctx, month))) return { outcome: 'nothing-published', month };
    const [settings, topics] = await Promise.all([getSiteSettings(ctx.db), listTopics(ctx.db, { audience: 'public' })]);
    const subject = `${settings.siteName}: ${issueMonthLabel(`${month}-01`)} in review`.slice(0, MAX_SUBJECT_LENGTH);
    const at = iso(ctx.clock.now());
    await ctx.db
      .insertInto('delivery_campaigns')
      .values({
        kind: 'digest',
        source_type: 'month',
        source_id: month,
        subject,
        topic_ids: JSON.stringify(topics.map((t) => t.id)),
        audience_frequency: 'digest',
        status: 'draft',
        scheduled_for: null,
        paused_reason: null,
        compiled_html: null,
        compiled_text: null,
        created_by: actorColumn(systemActor),
        started_by: null,
        created_at: at,
        updated_at: at,
        queued_at: null,
        started_at: null,
        finished_at: null,
        cancelled_at: null,
      })
      // Another runner may have inserted it a moment ago: the unique index keeps one.
      .onConflict((oc) => oc.doNothing())
      .execute();
    campaign = await existing();
    if (!campaign) throw new Error(`The digest of ${month} was neither inserted nor found`);
  }
  if (campaign.status !== 'draft') return { outcome: 'already-created', month, campaignId: campaign.id };
  try {
    await startCampaign(ctx, { campaignId: campaign.id, actor: systemActor });
  } catch (error) {
    // Started by a concurrent run between our read and our start: that is the once we want.
    if (error instanceof AppError && error.code === 'CONFLICT') return { outcome: 'already-created', month, campaignId: campaign.id };
    throw error;
  }
  await ctx.audit.record({
    action: 'campaign.digest_started',
    actor: systemActor.email,
    subjectType: 'campaign',
    subjectId: String(campaign.id),
    details: { month },
  });
  return { outcome: 'started', month, campaignId: campaign.id };
}
