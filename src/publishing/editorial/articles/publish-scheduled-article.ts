import { iso } from '../../../platform/clock.ts';
import type { AppContext } from '../../../platform/context.ts';
import { AppError } from '../../../platform/errors.ts';
import { systemActor } from '../shared/actor.ts';
import { findArticle } from './article-queries.ts';
import { changeArticleState } from './article-state.ts';
import { afterPublishing, publishingChange } from './publish-article.ts';

/** The job that publishes a scheduled article at its time. */
export const PUBLISH_SCHEDULED_JOB = 'publishing.publish-scheduled';

/**
 * Publishes the article if it is still scheduled and its time has come; otherwise does nothing, so
 * a job left over from an earlier schedule (rescheduled, returned to draft, published by hand, or
 * run twice) is harmless. Returns whether it published.
 */
export async function publishScheduledArticle(ctx: AppContext, options: { articleId: string }): Promise<boolean> {
  const now = iso(ctx.clock.now());
  const article = await findArticle(ctx.db, options.articleId);
  if (article?.status !== 'scheduled' || article.scheduled_for === null || article.scheduled_for > now) return false;
  try {
    const { before, extra } = await changeArticleState(ctx, {
      articleId: article.id,
      actor: systemActor,
      ...publishingChange(),
      from: ['scheduled'],
      dueBy: now,
      refusal: () => 'The article is no longer scheduled.',
      details: { scheduledFor: article.scheduled_for },
    });
    await afterPublishing(ctx, before, extra, systemActor);
    return true;
  } catch (error) {
    // Someone changed it between the read and the update: their change wins.
    if (error instanceof AppError && error.code === 'CONFLICT') return false;
    throw error;
  }
}
