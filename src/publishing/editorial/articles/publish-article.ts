import type { AppContext } from '../../../platform/context.ts';
import { afterIssueStateChange, publishIssueIfDraft } from '../issues/issue-effects.ts';
import { type Actor, assertMayPublish } from '../shared/actor.ts';
import type { ArticleRow } from './article-queries.ts';
import { changeArticleState, STATE_WORDS, type StateChangeOptions } from './article-state.ts';

/** The parts of publishing shared by "Publish now" and the scheduled job. */
export function publishingChange(): Pick<StateChangeOptions<boolean>, 'change' | 'to' | 'set' | 'inTransaction'> {
  return {
    change: 'published',
    to: 'published',
    // A republished article keeps the date it first appeared.
    set: (a, now) => ({ published_at: a.published_at ?? now, scheduled_for: null }),
    inTransaction: (trx, a, now) => publishIssueIfDraft(trx, a.issue_id, now),
  };
}

/** After publishing: if the article's draft issue was published with it, audit that too. */
export async function afterPublishing(ctx: AppContext, article: ArticleRow, issuePublished: boolean | undefined, actor: Actor) {
  if (issuePublished && article.issue_id) {
    await afterIssueStateChange(ctx, { issueId: article.issue_id, actor, change: 'published', details: { withArticle: article.id } });
  }
}

/** "Publish now": in review or scheduled → published, by a publisher. A draft issue is published with it. */
export async function publishArticle(ctx: AppContext, options: { articleId: string; actor: Actor }): Promise<void> {
  const { before, extra } = await changeArticleState(ctx, {
    ...options,
    ...publishingChange(),
    from: ['in_review', 'scheduled'],
    authorise: () => assertMayPublish(options.actor, 'Only a publisher can publish an article.'),
    refusal: (a) =>
      a.status === 'draft'
        ? 'This article is a draft. Submit it for review before publishing it.'
        : `Only an article in review or scheduled can be published. This article is ${STATE_WORDS[a.status]}.`,
  });
  await afterPublishing(ctx, before, extra, options.actor);
}
