import type { AppContext } from '../../../platform/context.ts';
import { type Actor, assertMayPublish } from '../shared/actor.ts';
import { changeArticleState, STATE_WORDS } from './article-state.ts';

/**
 * in review → draft (any editor: withdraw it or send it back for more work), or scheduled → draft
 * (a publisher cancelling the schedule; the queued job then finds nothing to do).
 */
export async function returnArticleToDraft(ctx: AppContext, options: { articleId: string; actor: Actor }): Promise<void> {
  await changeArticleState(ctx, {
    ...options,
    change: 'returned',
    from: ['in_review', 'scheduled'],
    to: 'draft',
    authorise: (a) => {
      if (a.status === 'scheduled') assertMayPublish(options.actor, 'Only a publisher can cancel a schedule.');
    },
    set: () => ({ scheduled_for: null }),
    refusal: (a) =>
      a.status === 'published'
        ? 'This article is published. Unpublish it to make it a draft again.'
        : `Only an article in review or scheduled can be returned to draft. This article is ${STATE_WORDS[a.status]}.`,
  });
}
