import type { AppContext } from '../../../platform/context.ts';
import { type Actor, assertMayPublish } from '../shared/actor.ts';
import { changeArticleState, STATE_WORDS } from './article-state.ts';

/** published → draft: readers no longer see it. Publishers only. The first publication date is kept. */
export async function unpublishArticle(ctx: AppContext, options: { articleId: string; actor: Actor }): Promise<void> {
  await changeArticleState(ctx, {
    ...options,
    change: 'unpublished',
    from: ['published'],
    to: 'draft',
    authorise: () => assertMayPublish(options.actor, 'Only a publisher can unpublish an article.'),
    set: () => ({ scheduled_for: null }),
    refusal: (a) => `Only a published article can be unpublished. This article is ${STATE_WORDS[a.status]}.`,
  });
}
