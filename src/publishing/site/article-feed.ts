import { type Author, Feed } from 'feed';
import { iso } from '../../platform/clock.ts';
import type { AppContext } from '../../platform/context.ts';
import { getSiteSettings } from '../../platform/settings/site-settings.ts';
import { renderMarkdown } from '../markdown.ts';
import { type ArticleRow, publishedArticles, topicsOfArticles } from './published.ts';
import { splitAuthors } from './rows.ts';
import { cdataSafe, escapeXml } from './xml.ts';

export const FEED_SIZE = 30;

export type FeedFormat = 'rss' | 'atom' | 'json';

export const feedContentTypes: Record<FeedFormat, string> = {
  rss: 'application/rss+xml; charset=utf-8',
  atom: 'application/atom+xml; charset=utf-8',
  json: 'application/feed+json; charset=utf-8',
};

export const feedPaths: Record<FeedFormat, string> = { rss: '/feed.xml', atom: '/atom.xml', json: '/feed.json' };

const newer = (a: string, b: string | null) => (b && b > a ? b : a);

/** The newest published articles, newest first: what every feed lists. */
export function listFeedArticles(ctx: Pick<AppContext, 'db' | 'clock'>, limit = FEED_SIZE): Promise<ArticleRow[]> {
  return publishedArticles(ctx.db, iso(ctx.clock.now())).selectAll().orderBy('published_at', 'desc').orderBy('id').limit(limit).execute();
}

/**
 * A stable entry id that survives an editor changing the slug (RFC 4151 tag URI on the site's host).
 * Feed readers use it to recognise an entry they have already shown.
 */
export function articleTagUri(publicUrl: string, articleId: string): string {
  return `tag:${new URL(publicUrl).hostname},2024:article:${encodeURIComponent(articleId)}`;
}

/**
 * The newest articles as RSS 2.0, Atom 1.0 or JSON Feed 1.1, with absolute links. Each entry carries
 * the summary and the article body as sanitised HTML.
 */
export async function buildArticleFeed(ctx: Pick<AppContext, 'db' | 'clock' | 'config'>, format: FeedFormat): Promise<string> {
  const [settings, articles] = await Promise.all([getSiteSettings(ctx.db), listFeedArticles(ctx)]);
  const topics = await topicsOfArticles(
    ctx.db,
    articles.map((a) => a.id),
  );
  const base = ctx.config.publicUrl;
  const publisher: Author = { name: settings.siteName, link: `${base}/` };
  // The feed changed when its newest entry did; with no entries, "now" is the honest answer.
  const updated = articles.reduce<string | undefined>((max, a) => {
    const changed = newer(a.updated_at, a.published_at);
    return !max || changed > max ? changed : max;
  }, undefined);

  const feed = new Feed({
    id: `${base}/`,
    title: settings.siteName,
    description: settings.tagline,
    link: `${base}/`,
    language: 'en-US',
    updated: new Date(updated ?? iso(ctx.clock.now())),
    generator: 'Dispatch',
    author: publisher,
    feedLinks: { rss: `${base}${feedPaths.rss}`, atom: `${base}${feedPaths.atom}`, json: `${base}${feedPaths.json}` },
    favicon: `${base}/assets/uswds/img/favicons/favicon.ico`,
  });
  for (const article of articles) {
    const names = splitAuthors(article.authors);
    // Atom marks titles and summaries type="html", so their text is escaped there; RSS and JSON
    // Feed read titles as text. Summaries are plain text everywhere except inside HTML fields.
    const title = format === 'atom' ? escapeXml(article.title) : format === 'rss' ? cdataSafe(article.title) : article.title;
    feed.addItem({
      id: articleTagUri(base, article.id),
      title,
      link: `${base}/articles/${article.slug}`,
      date: new Date(newer(article.updated_at, article.published_at)),
      published: new Date(article.published_at ?? article.updated_at),
      description: format === 'json' ? article.summary : escapeXml(article.summary),
      content: cdataSafe(renderMarkdown(article.body_markdown)),
      // RSS's <author> must be an e-mail address; bylines go in dc:creator there instead.
      ...(format === 'rss'
        ? { extensions: [{ name: 'dc:creator', objects: { _text: names.length ? names.join(', ') : settings.siteName } }] }
        : { author: names.length ? names.map((name) => ({ name })) : [publisher] }),
      category: (topics.get(article.id) ?? []).map((t) => ({ name: t.name, term: t.slug, scheme: `${base}/topics/` })),
    });
  }
  if (format === 'rss') return feed.rss2();
  if (format === 'atom') return feed.atom1();
  return toJsonFeed11(feed.json1(), feed.items);
}

/**
 * The library writes JSON Feed 1.0. Version 1.1 renames the single `author` to an `authors` list and
 * adds `language`; readers of 1.0 still find `author`, which 1.1 keeps as deprecated.
 */
function toJsonFeed11(json: string, items: Feed['items']): string {
  const feed = JSON.parse(json) as Record<string, unknown> & { items: Record<string, unknown>[] };
  const upgraded: Record<string, unknown> = { ...feed, version: 'https://jsonfeed.org/version/1.1', language: 'en-US' };
  if (feed.author) upgraded.authors = [feed.author];
  upgraded.items = feed.items.map((item, index) => ({
    ...item,
    authors: (items[index]?.author ?? []).map((a) => ({ name: a.name, ...(a.link ? { url: a.link } : {}) })),
  }));
  return JSON.stringify(upgraded, null, 2);
}
