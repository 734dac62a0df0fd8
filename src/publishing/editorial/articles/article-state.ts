import type { Updateable } from 'kysely';
import { iso } from '../../../platform/clock.ts';
import type { AppContext } from '../../../platform/context.ts';
import type { Db } from '../../../platform/db/database.ts';
import type { ArticleStatus, PublishingArticlesTable } from '../../../platform/db/schema.ts';
import { AppError, notFound } from '../../../platform/errors.ts';
import type { Actor } from '../shared/actor.ts';
import { type ArticleRow, findArticle } from './article-queries.ts';
import { type ArticleChange, afterArticleChange, recordArticleRevision } from './article-revisions.ts';

/** How a state reads in a sentence: "This article is in review." */
export const STATE_WORDS: Record<ArticleStatus, string> = {
  draft: 'a draft',
  in_review: 'in review',
  scheduled: 'scheduled',
  published: 'published',
};

export const STATE_LABELS: Record<ArticleStatus, string> = {
  draft: 'Draft',
  in_review: 'In review',
  scheduled: 'Scheduled',
  published: 'Published',
};

export interface StateChangeOptions<T> {
  articleId: string;
  actor: Actor;
  change: ArticleChange;
  /** The states this change may start from. */
  from: readonly ArticleStatus[];
  to: ArticleStatus;
  /** Why the change is refused from the article's current state (a CONFLICT). */
  refusal: (article: ArticleRow) => string;
  /** Permission and input checks that need the article; throw to refuse. Runs before the state check. */
  authorise?: (article: ArticleRow) => void;
  /** Runs after the state check and before anything is written (input that depends on the state). */
  prepare?: (article: ArticleRow) => Promise<void> | void;
  /** Further columns to set with the new state. */
  set?: (article: ArticleRow, now: string) => Updateable<PublishingArticlesTable>;
  /** More work in the same transaction (enqueue a job, publish the issue). */
  inTransaction?: (trx: Db, article: ArticleRow, now: string) => Promise<T>;
  /** Only while the article's scheduled time is at or before this instant (the scheduled job). */
  dueBy?: string;
  details?: Record<string, unknown>;
}

/**
 * The one way an article changes state: authorise, check the transition, update only if the state
 * is still the one checked (a concurrent change makes this a CONFLICT), write the revision, then
 * audit and refresh search. Returns the article as it was and what `inTransaction` returned.
 */
export async function changeArticleState<T = undefined>(
  ctx: AppContext,
  options: StateChangeOptions<T>,
): Promise<{ before: ArticleRow; extra: T | undefined }> {
  const article = await findArticle(ctx.db, options.articleId);
  if (!article) throw notFound('That article');
  options.authorise?.(article);
  if (!options.from.includes(article.status)) throw new AppError('CONFLICT', options.refusal(article));
  await options.prepare?.(article);
  const now = iso(ctx.clock.now());
  const extra = await ctx.db.transaction().execute(async (trx) => {
    let update = trx
      .updateTable('publishing_articles')
      .set({ ...(options.set?.(article, now) ?? {}), status: options.to, updated_at: now })
      .where('id', '=', article.id)
      .where('status', '=', article.status);
    if (options.dueBy !== undefined) update = update.where('scheduled_for', '<=', options.dueBy);
    const result = await update.executeTakeFirst();
    if (Number(result.numUpdatedRows) === 0) {
      throw new AppError('CONFLICT', 'Someone changed this article’s state a moment ago. Reload the page to see where it stands.');
    }
    const more = await options.inTransaction?.(trx, article, now);
    await recordArticleRevision(trx, ctx.clock, { articleId: article.id, actor: options.actor, change: options.change });
    return more;
  });
  await afterArticleChange(ctx, {
    articleId: article.id,
    actor: options.actor,
    change: options.change,
    details: { from: article.status, to: options.to, ...options.details },
  });
  return { before: article, extra };
}
