import { AppError } from '../platform/errors.ts';
import type { FeatureRoutes } from '../platform/http/app.ts';
import { RESOURCE_KINDS } from './format.ts';
import { buildArticleFeed, type FeedFormat, feedContentTypes, feedPaths } from './site/article-feed.ts';
import { readLocalTimeScript } from './site/assets.ts';
import { listSitemapEntries, sitemapXml } from './site/build-sitemap.ts';
import { buildEventCalendar } from './site/event-calendar.ts';
import { findArticle } from './site/find-article.ts';
import { findEvent } from './site/find-event.ts';
import { findCurrentIssue, findIssue } from './site/find-issue.ts';
import { findTopic } from './site/find-topic.ts';
import { listEvents } from './site/list-events.ts';
import { listIssueArchive } from './site/list-issue-archive.ts';
import { listResources } from './site/list-resources.ts';
import { listTopics } from './site/list-topics.ts';
import { parseIssuePart, parsePage, parseSlug, queryValue } from './site/params.ts';
import { ArticlePage } from './views/article-page.tsx';
import { EventPage, LOCAL_TIME_SCRIPT } from './views/event-page.tsx';
import { EventsPage } from './views/events-page.tsx';
import { HomePage, IssuePage } from './views/home-page.tsx';
import { IssueArchivePage } from './views/issue-archive-page.tsx';
import { ResourcesPage } from './views/resources-page.tsx';
import { TopicPage } from './views/topic-page.tsx';
import { TopicsPage } from './views/topics-page.tsx';

/** Feeds, calendar files and the sitemap may be cached briefly by readers and proxies. */
const SHORT_CACHE = 'public, max-age=300';

/**
 * The public side of the publication, read-only: only published content appears. Malformed slugs
 * and numbers are 400, well-formed but unknown or unpublished ones 404.
 */
// Public pages carry no forms with tokens, so anonymous readers share cached copies (see page-cache.ts).
const cached = { config: { pageCache: true } };

export const publishingRoutes: FeatureRoutes = async (app, ctx) => {
  app.get('/', cached, async (_request, reply) => {
    const current = await findCurrentIssue(ctx);
    return reply.html(HomePage({ ctx: await reply.pageContext(), current }));
  });

  app.get('/issues', cached, async (_request, reply) => {
    const volumes = await listIssueArchive(ctx);
    return reply.html(IssueArchivePage({ ctx: await reply.pageContext(), volumes }));
  });

  app.get('/issues/:volume/:number', cached, async (request, reply) => {
    const params = request.params as { volume: string; number: string };
    const contents = await findIssue(ctx, {
      volume: parseIssuePart(params.volume, 'volume'),
      number: parseIssuePart(params.number, 'issue'),
    });
    return reply.html(IssuePage({ ctx: await reply.pageContext(), contents }));
  });

  app.get('/articles/:slug', cached, async (request, reply) => {
    const view = await findArticle(ctx, { slug: parseSlug((request.params as { slug: string }).slug, 'article') });
    return reply.html(ArticlePage({ ctx: await reply.pageContext(), view }));
  });

  app.get('/topics', cached, async (_request, reply) => {
    const topics = await listTopics(ctx);
    return reply.html(TopicsPage({ ctx: await reply.pageContext(), topics }));
  });

  app.get('/topics/:slug', cached, async (request, reply) => {
    const view = await findTopic(ctx, { slug: parseSlug((request.params as { slug: string }).slug, 'topic') });
    return reply.html(TopicPage({ ctx: await reply.pageContext(), view }));
  });

  app.get('/events', cached, async (request, reply) => {
    // ?page= pages the past events only; a page past the last is 404 (see listEvents).
    const listing = await listEvents(ctx, { page: parsePage(request.query) });
    return reply.html(EventsPage({ ctx: await reply.pageContext(), listing }));
  });

  // find-my-way matches "/events/x.ics" here and "/events/x" below; the suffix never reaches :slug.
  app.get('/events/:slug.ics', async (request, reply) => {
    const slug = parseSlug((request.params as { slug: string }).slug, 'event');
    // ?reminder=0 leaves out the one-hour-before alarm; by default the file carries it.
    const reminder = queryValue(request.query, 'reminder') ?? '1';
    if (reminder !== '0' && reminder !== '1') throw new AppError('VALIDATION', 'reminder must be 0 or 1.');
    const calendar = await buildEventCalendar(ctx, { slug, reminder: reminder === '1' });
    return reply
      .type('text/calendar; charset=utf-8')
      .header('content-disposition', `attachment; filename="${calendar.fileName}"`)
      .header('cache-control', SHORT_CACHE)
      .send(calendar.body);
  });

  app.get('/events/:slug', cached, async (request, reply) => {
    const view = await findEvent(ctx, { slug: parseSlug((request.params as { slug: string }).slug, 'event') });
    return reply.html(EventPage({ ctx: await reply.pageContext(), view, now: ctx.clock.now() }));
  });

  app.get('/resources', cached, async (request, reply) => {
    const kind = queryValue(request.query, 'kind');
    if (kind !== undefined && !RESOURCE_KINDS.includes(kind)) throw new AppError('VALIDATION', 'Choose a kind of resource from the list.');
    const topic = queryValue(request.query, 'topic');
    const listing = await listResources(ctx, { kind, topicSlug: topic === undefined ? undefined : parseSlug(topic, 'topic') });
    return reply.html(ResourcesPage({ ctx: await reply.pageContext(), listing, kind }));
  });

  for (const format of Object.keys(feedPaths) as FeedFormat[]) {
    app.get(feedPaths[format], cached, async (_request, reply) => {
      const body = await buildArticleFeed(ctx, format);
      return reply.type(feedContentTypes[format]).header('cache-control', SHORT_CACHE).send(body);
    });
  }

  app.get('/sitemap.xml', cached, async (_request, reply) => {
    const xml = sitemapXml(ctx.config.publicUrl, await listSitemapEntries(ctx));
    return reply.type('application/xml; charset=utf-8').header('cache-control', SHORT_CACHE).send(xml);
  });

  const localTimeScript = await readLocalTimeScript();
  app.get(LOCAL_TIME_SCRIPT, async (_request, reply) =>
    reply.type('application/javascript; charset=utf-8').header('cache-control', 'public, max-age=3600').send(localTimeScript),
  );
};
