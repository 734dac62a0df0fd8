import { iso } from '../../platform/clock.ts';
import type { AppContext } from '../../platform/context.ts';
import { publishedArticles, publishedEvents, publishedIssues, publishedResources } from './published.ts';
import { escapeXml } from './xml.ts';

export interface SitemapEntry {
  path: string;
  /** ISO-8601 instant of the last change, when known. */
  lastmod: string | undefined;
}

const latest = (...values: (string | null | undefined)[]): string | undefined =>
  values.reduce<string | undefined>((max, v) => (v && (!max || v > max) ? v : max), undefined);

/**
 * Every public page with the time it last changed: the fixed pages, each published issue, article
 * and event, and every topic (with the topic index). A list page changed when the newest thing on it did.
 */
export async function listSitemapEntries(ctx: Pick<AppContext, 'db' | 'clock'>): Promise<SitemapEntry[]> {
  const now = iso(ctx.clock.now());
  const [issues, articles, events, resources, topics, articleTopics, eventTopics, resourceTopics] = await Promise.all([
    publishedIssues(ctx.db).select(['id', 'volume', 'number', 'updated_at']).orderBy('volume', 'desc').orderBy('number', 'desc').execute(),
    publishedArticles(ctx.db, now)
      .select(['id', 'slug', 'issue_id', 'updated_at', 'published_at'])
      .orderBy('published_at', 'desc')
      .execute(),
    publishedEvents(ctx.db).select(['id', 'slug', 'updated_at']).orderBy('starts_at', 'desc').execute(),
    publishedResources(ctx.db).select(['id', 'updated_at']).execute(),
    ctx.db.selectFrom('publishing_topics').select(['id', 'slug', 'created_at']).orderBy('slug').execute(),
    ctx.db.selectFrom('publishing_article_topics').select(['article_id as owner', 'topic_id']).execute(),
    ctx.db.selectFrom('publishing_event_topics').select(['event_id as owner', 'topic_id']).execute(),
    ctx.db.selectFrom('publishing_resource_topics').select(['resource_id as owner', 'topic_id']).execute(),
  ]);
  const changedOf = new Map<string, string>();
  for (const a of articles) changedOf.set(a.id, latest(a.updated_at, a.published_at) as string);
  for (const e of events) changedOf.set(e.id, e.updated_at);
  for (const r of resources) changedOf.set(r.id, r.updated_at);

  const issueChanged = (issue: (typeof issues)[number]) =>
    latest(issue.updated_at, ...articles.filter((a) => a.issue_id === issue.id).map((a) => changedOf.get(a.id)));
  const topicChanged = new Map<string, string | undefined>();
  for (const link of [...articleTopics, ...eventTopics, ...resourceTopics]) {
    // Links of drafts are not in changedOf, so a draft never moves a topic's date.
    topicChanged.set(link.topic_id, latest(topicChanged.get(link.topic_id), changedOf.get(link.owner)));
  }
  const current = issues[0];
  const topicEntries = topics.map((t) => ({ path: `/topics/${t.slug}`, lastmod: latest(t.created_at, topicChanged.get(t.id)) }));

  return [
    { path: '/', lastmod: current ? issueChanged(current) : undefined },
    { path: '/issues', lastmod: latest(...issues.map(issueChanged)) },
    ...issues.map((issue) => ({ path: `/issues/${issue.volume}/${issue.number}`, lastmod: issueChanged(issue) })),
    ...articles.map((a) => ({ path: `/articles/${a.slug}`, lastmod: changedOf.get(a.id) })),
    // The index changed when any topic's page did (its counts move with theirs).
    { path: '/topics', lastmod: latest(...topicEntries.map((t) => t.lastmod)) },
    ...topicEntries,
    { path: '/events', lastmod: latest(...events.map((e) => e.updated_at)) },
    ...events.map((e) => ({ path: `/events/${e.slug}`, lastmod: e.updated_at })),
    { path: '/resources', lastmod: latest(...resources.map((r) => r.updated_at)) },
  ];
}

/** The sitemaps.org XML for the entries, with absolute, XML-escaped locations. */
export function sitemapXml(publicUrl: string, entries: SitemapEntry[]): string {
  const urls = entries.map((entry) => {
    const lastmod = entry.lastmod ? `<lastmod>${escapeXml(entry.lastmod)}</lastmod>` : '';
    return `  <url><loc>${escapeXml(`${publicUrl}${entry.path}`)}</loc>${lastmod}</url>`;
  });
  return `<?xml version="1.0" encoding="UTF-8"?>\n<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">\n${urls.join('\n')}\n</urlset>\n`;
}
