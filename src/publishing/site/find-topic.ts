import { iso } from '../../platform/clock.ts';
import type { AppContext } from '../../platform/context.ts';
import { notFound } from '../../platform/errors.ts';
import {
  type ArticleRow,
  type EventRow,
  publishedArticles,
  publishedEvents,
  publishedResources,
  type ResourceRow,
  type TopicRow,
} from './published.ts';

export interface TopicView {
  topic: TopicRow;
  /** Newest first. */
  articles: ArticleRow[];
  /** Newest first. */
  events: EventRow[];
  /** By title. */
  resources: ResourceRow[];
}

/** A topic by slug with its published articles, events and resources; NOT_FOUND for unknown slugs. */
export async function findTopic(ctx: Pick<AppContext, 'db' | 'clock'>, options: { slug: string }): Promise<TopicView> {
  const topic = await ctx.db.selectFrom('publishing_topics').selectAll().where('slug', '=', options.slug).executeTakeFirst();
  if (!topic) throw notFound('That topic');
  const [articles, events, resources] = await Promise.all([
    publishedArticles(ctx.db, iso(ctx.clock.now()))
      .selectAll('publishing_articles')
      .innerJoin('publishing_article_topics as link', 'link.article_id', 'publishing_articles.id')
      .where('link.topic_id', '=', topic.id)
      .orderBy('publishing_articles.published_at', 'desc')
      .orderBy('publishing_articles.id')
      .execute(),
    publishedEvents(ctx.db)
      .selectAll('publishing_events')
      .innerJoin('publishing_event_topics as link', 'link.event_id', 'publishing_events.id')
      .where('link.topic_id', '=', topic.id)
      .orderBy('publishing_events.starts_at', 'desc')
      .orderBy('publishing_events.id')
      .execute(),
    publishedResources(ctx.db)
      .selectAll('publishing_resources')
      .innerJoin('publishing_resource_topics as link', 'link.resource_id', 'publishing_resources.id')
      .where('link.topic_id', '=', topic.id)
      .orderBy('publishing_resources.title')
      .orderBy('publishing_resources.id')
      .execute(),
  ]);
  return { topic, articles, events, resources };
}
