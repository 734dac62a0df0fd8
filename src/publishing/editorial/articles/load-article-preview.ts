import type { AppContext } from '../../../platform/context.ts';
import { notFound } from '../../../platform/errors.ts';
import type { ArticleView } from '../../site/find-article.ts';

/**
 * What the public article page would be given for this article, whatever its state: the article,
 * its issue (shown even while a draft, since publishing the article publishes the issue), its
 * topics and its published events.
 */
export async function loadArticlePreview(ctx: Pick<AppContext, 'db'>, articleId: string): Promise<ArticleView> {
  const article = await ctx.db.selectFrom('publishing_articles').selectAll().where('id', '=', articleId).executeTakeFirst();
  if (!article) throw notFound('That article');
  const [issue, topics, events] = await Promise.all([
    article.issue_id ? ctx.db.selectFrom('publishing_issues').selectAll().where('id', '=', article.issue_id).executeTakeFirst() : undefined,
    ctx.db
      .selectFrom('publishing_topics')
      .innerJoin('publishing_article_topics', 'publishing_article_topics.topic_id', 'publishing_topics.id')
      .selectAll('publishing_topics')
      .where('publishing_article_topics.article_id', '=', article.id)
      .orderBy('publishing_topics.name')
      .execute(),
    ctx.db
      .selectFrom('publishing_events')
      .selectAll()
      .where('article_id', '=', article.id)
      .where('status', '=', 'published')
      .orderBy('starts_at')
      .orderBy('id')
      .execute(),
  ]);
  return { article, issue, topics, events };
}
