import { iso } from '../../platform/clock.ts';
import type { AppContext } from '../../platform/context.ts';
import type { Campaign, CampaignSourceType } from '../../platform/db/schema.ts';
import { eventWhenLabel, issueMonthLabel } from '../../publishing/format.ts';
import { publishedArticles, publishedEvents, publishedIssues, topicsOfArticles, topicsOfEvents } from '../../publishing/site/published.ts';
import { DISPATCH_TOPIC_SLUG, listTopics } from '../../subscriptions/topics.ts';

// What a campaign can be about, read through the publishing feature's "published rows only"
// queries: a draft or unpublished article, issue or event can never become a campaign.

type Ctx = Pick<AppContext, 'db' | 'clock'>;

/** Published issues and articles offered by "New bulletin", newest first; events by "New event reminder". */
export const SOURCE_OPTIONS_LIMIT = 50;

export interface SourceOption {
  /** "article:<id>", "issue:<id>", "event:<id>": the value the new-campaign form posts. */
  value: string;
  label: string;
}

export interface SourceOptions {
  issues: SourceOption[];
  articles: SourceOption[];
  events: SourceOption[];
}

const issueLabel = (issue: { volume: number; number: number; month: string }) =>
  `Volume ${issue.volume}, Issue ${issue.number} (${issueMonthLabel(issue.month)})`;

/** The choices of the two "new campaign" forms: published issues and articles, and upcoming published events. */
export async function campaignSourceOptions(ctx: Ctx): Promise<SourceOptions> {
  const now = iso(ctx.clock.now());
  const [issues, articles, events] = await Promise.all([
    publishedIssues(ctx.db)
      .select(['id', 'volume', 'number', 'month'])
      .orderBy('volume', 'desc')
      .orderBy('number', 'desc')
      .limit(SOURCE_OPTIONS_LIMIT)
      .execute(),
    publishedArticles(ctx.db, now)
      .select(['id', 'title'])
      .orderBy('published_at', 'desc')
      .orderBy('id')
      .limit(SOURCE_OPTIONS_LIMIT)
      .execute(),
    publishedEvents(ctx.db)
      .select(['id', 'title', 'starts_at', 'time_zone'])
      .where('starts_at', '>', now)
      .orderBy('starts_at')
      .orderBy('id')
      .limit(SOURCE_OPTIONS_LIMIT)
      .execute(),
  ]);
  return {
    issues: issues.map((i) => ({ value: `issue:${i.id}`, label: issueLabel(i) })),
    articles: articles.map((a) => ({ value: `article:${a.id}`, label: a.title })),
    events: events.map((e) => ({ value: `event:${e.id}`, label: `${e.title} (${eventWhenLabel(e.starts_at, e.time_zone)})` })),
  };
}

/** What a new campaign is built from: its default subject and the publishing topics that pick its audience. */
export interface PublishedSource {
  type: Exclude<CampaignSourceType, 'month'>;
  id: string;
  title: string;
  /** Publishing topic slugs; subscription topics of the same slug are the default audience. */
  topicSlugs: string[];
  /** An article that belongs to a published issue also goes to the Dispatch topic's readers. */
  inPublishedIssue: boolean;
  /** Events only: when it starts. */
  startsAt?: string;
}

/** A published article, issue or event by id, or undefined when there is none (or it is not published). */
export async function findPublishedSource(ctx: Ctx, type: PublishedSource['type'], id: string): Promise<PublishedSource | undefined> {
  if (type === 'issue') {
    const issue = await publishedIssues(ctx.db).select(['id', 'volume', 'number', 'month']).where('id', '=', id).executeTakeFirst();
    return issue && { type, id, title: issueLabel(issue), topicSlugs: [], inPublishedIssue: true };
  }
  if (type === 'article') {
    const article = await publishedArticles(ctx.db, iso(ctx.clock.now()))
      .select(['id', 'title', 'issue_id'])
      .where('id', '=', id)
      .executeTakeFirst();
    if (!article) return undefined;
    const [topics, issue] = await Promise.all([
      topicsOfArticles(ctx.db, [article.id]),
      article.issue_id ? publishedIssues(ctx.db).select('id').where('id', '=', article.issue_id).executeTakeFirst() : undefined,
    ]);
    return {
      type,
      id,
      title: article.title,
      topicSlugs: (topics.get(article.id) ?? []).map((t) => t.slug),
      inPublishedIssue: issue !== undefined,
    };
  }
  const event = await publishedEvents(ctx.db).select(['id', 'title', 'starts_at']).where('id', '=', id).executeTakeFirst();
  if (!event) return undefined;
  const topics = await topicsOfEvents(ctx.db, [event.id]);
  return {
    type,
    id,
    title: event.title,
    topicSlugs: (topics.get(event.id) ?? []).map((t) => t.slug),
    inPublishedIssue: false,
    startsAt: event.starts_at,
  };
}

/**
 * The default audience of a new campaign: the subscription topics whose slug matches one of the
 * source's publishing topics, plus the Dispatch topic for an issue or an article in a published
 * issue. In the staff's topic order.
 */
export async function defaultTopicIds(ctx: Ctx, source: PublishedSource): Promise<string[]> {
  const wanted = new Set(source.topicSlugs);
  if (source.inPublishedIssue) wanted.add(DISPATCH_TOPIC_SLUG);
  const topics = await listTopics(ctx.db, { audience: 'staff' });
  return topics.filter((t) => wanted.has(t.slug)).map((t) => t.id);
}

/** Where a campaign's subject lives on the public site, for the staff page; null when it is gone. */
export async function sourceLink(
  ctx: Ctx,
  campaign: Pick<Campaign, 'source_type' | 'source_id'>,
): Promise<{ label: string; href: string } | null> {
  const { source_type: type, source_id: id } = campaign;
  if (type === 'month') return { label: `The month of ${issueMonthLabel(`${id}-01`)}`, href: '/issues' };
  if (type === 'issue') {
    const issue = await publishedIssues(ctx.db).select(['volume', 'number', 'month']).where('id', '=', id).executeTakeFirst();
    return issue ? { label: `Issue: ${issueLabel(issue)}`, href: `/issues/${issue.volume}/${issue.number}` } : null;
  }
  if (type === 'article') {
    const article = await publishedArticles(ctx.db, iso(ctx.clock.now())).select(['slug', 'title']).where('id', '=', id).executeTakeFirst();
    return article ? { label: `Article: ${article.title}`, href: `/articles/${article.slug}` } : null;
  }
  const event = await publishedEvents(ctx.db).select(['slug', 'title', 'starts_at', 'time_zone']).where('id', '=', id).executeTakeFirst();
  return event
    ? { label: `Event: ${event.title}, ${eventWhenLabel(event.starts_at, event.time_zone)}`, href: `/events/${event.slug}` }
    : null;
}
