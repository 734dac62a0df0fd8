import { randomUUID } from 'node:crypto';
import { iso } from '../../../platform/clock.ts';
import type { AppContext } from '../../../platform/context.ts';
import { validation } from '../../../platform/errors.ts';
import type { Actor } from '../shared/actor.ts';
import { isUniqueViolation } from '../shared/field-errors.ts';
import { replaceTopicLinks } from '../shared/topic-links.ts';
import { type ArticleForm, slugTakenFields, validateArticleForm } from './article-form.ts';
import { afterArticleChange, recordArticleRevision } from './article-revisions.ts';

/** Creates an article as a draft (any editor may). Returns its id. */
export async function createArticle(ctx: AppContext, options: { form: ArticleForm; actor: Actor }): Promise<string> {
  const values = await validateArticleForm(ctx.db, { ...options.form, removeImage: false }, null);
  const { topicIds, ...columns } = values;
  const id = randomUUID();
  const now = iso(ctx.clock.now());
  try {
    await ctx.db.transaction().execute(async (trx) => {
      await trx
        .insertInto('publishing_articles')
        .values({ id, ...columns, status: 'draft', scheduled_for: null, published_at: null, created_at: now, updated_at: now })
        .execute();
      await replaceTopicLinks(trx, 'article', id, topicIds);
      await recordArticleRevision(trx, ctx.clock, { articleId: id, actor: options.actor, change: 'created' });
    });
  } catch (error) {
    if (isUniqueViolation(error)) throw validation(slugTakenFields(values.slug));
    throw error;
  }
  await afterArticleChange(ctx, { articleId: id, actor: options.actor, change: 'created' });
  return id;
}
