import { iso } from '../../platform/clock.ts';
import type { AppContext } from '../../platform/context.ts';
import { notFound } from '../../platform/errors.ts';
import { type EventRow, publishedArticles, publishedEvents, type TopicRow, topicsOfEvents } from './published.ts';

export interface EventView {
  event: EventRow;
  /** The article announcing the event, when that article is published. */
  article: { slug: string; title: string } | undefined;
  topics: TopicRow[];
}

/** A published event by slug (or id); NOT_FOUND for drafts and unknown slugs. */
export async function findEvent(ctx: Pick<AppContext, 'db' | 'clock'>, options: { slug: string } | { id: string }): Promise<EventView> {
  const query = publishedEvents(ctx.db).selectAll();
  const event = await ('id' in options ? query.where('id', '=', options.id) : query.where('slug', '=', options.slug)).executeTakeFirst();
  if (!event) throw notFound('That event');
  const [article, topics] = await Promise.all([
    event.article_id
      ? publishedArticles(ctx.db, iso(ctx.clock.now())).select(['slug', 'title']).where('id', '=', event.article_id).executeTakeFirst()
      : undefined,
    topicsOfEvents(ctx.db, [event.id]),
  ]);
  return { event, article, topics: topics.get(event.id) ?? [] };
}
