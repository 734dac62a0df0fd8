import type { AppContext } from '../../../platform/context.ts';
import type { Actor } from '../shared/actor.ts';
import { changeArticleState, STATE_WORDS } from './article-state.ts';

/** draft → in review: the author asks a publisher to look at it. Any editor may. */
export async function submitArticle(ctx: AppContext, options: { articleId: string; actor: Actor }): Promise<void> {
  await changeArticleState(ctx, {
    ...options,
    change: 'submitted',
    from: ['draft'],
    to: 'in_review',
    refusal: (a) => `Only a draft can be submitted for review. This article is ${STATE_WORDS[a.status]}.`,
  });
}
