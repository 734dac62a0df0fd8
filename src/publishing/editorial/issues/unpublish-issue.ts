import { iso } from '../../../platform/clock.ts';
import type { AppContext } from '../../../platform/context.ts';
import { AppError, notFound } from '../../../platform/errors.ts';
import { type Actor, assertMayPublish } from '../shared/actor.ts';
import { afterIssueStateChange } from './issue-effects.ts';
import { findIssue } from './issue-queries.ts';

/**
 * Takes an issue off the home page and out of the archive (publishers only). Its articles keep
 * their own states; unpublish an article to take it down too.
 */
export async function unpublishIssue(ctx: AppContext, options: { issueId: string; actor: Actor }): Promise<void> {
  assertMayPublish(options.actor, 'Only a publisher can unpublish an issue.');
  const issue = await findIssue(ctx.db, options.issueId);
  if (!issue) throw notFound('That issue');
  if (issue.status === 'draft') throw new AppError('CONFLICT', 'This issue is not published.');
  const result = await ctx.db
    .updateTable('publishing_issues')
    .set({ status: 'draft', updated_at: iso(ctx.clock.now()) })
    .where('id', '=', issue.id)
    .where('status', '=', 'published')
    .executeTakeFirst();
  if (Number(result.numUpdatedRows) === 0) throw new AppError('CONFLICT', 'This issue is not published.');
  await afterIssueStateChange(ctx, { issueId: issue.id, actor: options.actor, change: 'unpublished' });
}
