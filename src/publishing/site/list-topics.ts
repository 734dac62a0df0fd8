import { iso } from '../../platform/clock.ts';
import type { AppContext } from '../../platform/context.ts';
import { publishedArticles, publishedEvents, publishedResources, type TopicRow } from './published.ts';

export interface TopicSummary {
  topic: TopicRow;
  /** How many published articles, events and resources carry the topic. */
  articles: number;
  events: number;
  resources: number;
}

type CountRow = { topic_id: string; count: string | number | bigint };

/** topic id → count; PostgreSQL returns count(*) as a string (bigint), SQLite as a number. */
const byTopic = (rows: CountRow[]) => new Map(rows.map((row) => [row.topic_id, Number(row.count)]));

/**
 * Every topic by name with how much published content it has: one grouped count per kind, so the
 * cost does not grow with the number of topics. Drafts (and future-dated articles) are not counted.
 */
export async function listTopics(ctx: Pick<AppContext, 'db' | 'clock'>): Promise<TopicSummary[]> {
  const [topics, articles, events, resources] = await Promise.all([
    ctx.db.selectFrom('publishing_topics').selectAll().orderBy('name').orderBy('slug').execute(),
    publishedArticles(ctx.db, iso(ctx.clock.now()))
      .innerJoin('publishing_article_topics as link', 'link.article_id', 'publishing_articles.id')
      .select((eb) => ['link.topic_id', eb.fn.countAll().as('count')])
      .groupBy('link.topic_id')
      .execute(),
    publishedEvents(ctx.db)
      .innerJoin('publishing_event_topics as link', 'link.event_id', 'publishing_events.id')
      .select((eb) => ['link.topic_id', eb.fn.countAll().as('count')])
      .groupBy('link.topic_id')
      .execute(),
    publishedResources(ctx.db)
      .innerJoin('publishing_resource_topics as link', 'link.resource_id', 'publishing_resources.id')
      .select((eb) => ['link.topic_id', eb.fn.countAll().as('count')])
      .groupBy('link.topic_id')
      .execute(),
  ]);
  const [articleCounts, eventCounts, resourceCounts] = [byTopic(articles), byTopic(events), byTopic(resources)];
  return topics.map((topic) => ({
    topic,
    articles: articleCounts.get(topic.id) ?? 0,
    events: eventCounts.get(topic.id) ?? 0,
    resources: resourceCounts.get(topic.id) ?? 0,
  }));
}
