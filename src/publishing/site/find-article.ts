import { iso } from '../../platform/clock.ts';
import type { AppContext } from '../../platform/context.ts';
import { notFound } from '../../platform/errors.ts';
import {
  type ArticleRow,
  type EventRow,
  type IssueRow,
  publishedArticles,
  publishedEvents,
  publishedIssues,
  type TopicRow,
  topicsOfArticles,
} from './published.ts';

export interface ArticleView {
  article: ArticleRow;
  /** The article's issue when that issue is published; a draft issue is not shown. */
  issue: IssueRow | undefined;
  topics: TopicRow[];
  events: EventRow[];
}

/** A published article by slug (or id) with its issue, topics and events; NOT_FOUND for drafts and unknown slugs. */
export async function findArticle(ctx: Pick<AppContext, 'db' | 'clock'>, options: { slug: string } | { id: string }): Promise<ArticleView> {
  const query = publishedArticles(ctx.db, iso(ctx.clock.now())).selectAll();
  const article = await ('id' in options ? query.where('id', '=', options.id) : query.where('slug', '=', options.slug)).executeTakeFirst();
  if (!article) throw notFound('That article');
  const [issue, topics, events] = await Promise.all([
    article.issue_id ? publishedIssues(ctx.db).selectAll().where('id', '=', article.issue_id).executeTakeFirst() : undefined,
    topicsOfArticles(ctx.db, [article.id]),
    publishedEvents(ctx.db).selectAll().where('article_id', '=', article.id).orderBy('starts_at').orderBy('id').execute(),
  ]);
  return { article, issue, topics: topics.get(article.id) ?? [], events };
}
