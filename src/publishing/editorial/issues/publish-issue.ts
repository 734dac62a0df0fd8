import { iso } from '../../../platform/clock.ts';
import type { AppContext } from '../../../platform/context.ts';
import { AppError, notFound } from '../../../platform/errors.ts';
import { type Actor, assertMayPublish } from '../shared/actor.ts';
import { afterIssueStateChange } from './issue-effects.ts';
import { findIssue } from './issue-queries.ts';

/**
 * Publishes an issue (publishers only): it appears on the home page and in the archive, with those
 * of its articles that are published. Its other articles keep their own states.
 */
export async function publishIssue(ctx: AppContext, options: { issueId: string; actor: Actor }): Promise<void> {
  assertMayPublish(options.actor, 'Only a publisher can publish an issue.');
  const issue = await findIssue(ctx.db, options.issueId);
  if (!issue) throw notFound('That issue');
  if (issue.status === 'published') throw new AppError('CONFLICT', 'This issue is already published.');
  const now = iso(ctx.clock.now());
  const result = await ctx.db
    .updateTable('publishing_issues')
    .set({ status: 'published', published_at: issue.published_at ?? now, updated_at: now })
    .where('id', '=', issue.id)
    .where('status', '=', 'draft')
    .executeTakeFirst();
  if (Number(result.numUpdatedRows) === 0) throw new AppError('CONFLICT', 'This issue is already published.');
  await afterIssueStateChange(ctx, { issueId: issue.id, actor: options.actor, change: 'published' });
}
