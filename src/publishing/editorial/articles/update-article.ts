import { iso } from '../../../platform/clock.ts';
import type { AppContext } from '../../../platform/context.ts';
import { notFound, validation } from '../../../platform/errors.ts';
import { type Actor, assertMayPublish, PUBLISHED_CONTENT_MESSAGE } from '../shared/actor.ts';
import { isUniqueViolation } from '../shared/field-errors.ts';
import { replaceTopicLinks } from '../shared/topic-links.ts';
import { type ArticleForm, slugTakenFields, validateArticleForm } from './article-form.ts';
import { findArticle } from './article-queries.ts';
import { afterArticleChange, recordArticleRevision } from './article-revisions.ts';

/**
 * Saves the article form. The state never changes here (that is the workflow's job). Scheduled and
 * published articles are what readers see or are about to see, so only a publisher may edit them.
 */
export async function updateArticle(ctx: AppContext, options: { articleId: string; form: ArticleForm; actor: Actor }): Promise<void> {
  const article = await findArticle(ctx.db, options.articleId);
  if (!article) throw notFound('That article');
  if (article.status === 'published' || article.status === 'scheduled') assertMayPublish(options.actor, PUBLISHED_CONTENT_MESSAGE);
  const { topicIds, ...columns } = await validateArticleForm(ctx.db, options.form, article);
  try {
    await ctx.db.transaction().execute(async (trx) => {
      await trx
        .updateTable('publishing_articles')
        .set({ ...columns, updated_at: iso(ctx.clock.now()) })
        .where('id', '=', article.id)
        .execute();
      await replaceTopicLinks(trx, 'article', article.id, topicIds);
      await recordArticleRevision(trx, ctx.clock, { articleId: article.id, actor: options.actor, change: 'edited' });
    });
  } catch (error) {
    if (isUniqueViolation(error)) throw validation(slugTakenFields(columns.slug));
    throw error;
  }
  await afterArticleChange(ctx, { articleId: article.id, actor: options.actor, change: 'edited' });
}
