import type { AppContext } from '../../../platform/context.ts';
import type { Db } from '../../../platform/db/database.ts';
import { refreshSearchEntry } from '../../search/index-entry.ts';
import { type Actor, auditActor } from '../shared/actor.ts';

/**
 * The rule for articles in a draft issue: publishing an article publishes its issue too (so a
 * published article is always in a published issue). Call inside the article's transaction.
 * Returns whether the issue was a draft and is now published.
 */
export async function publishIssueIfDraft(db: Db, issueId: string | null, now: string): Promise<boolean> {
  if (!issueId) return false;
  const result = await db
    .updateTable('publishing_issues')
    .set({ status: 'published', published_at: now, updated_at: now })
    .where('id', '=', issueId)
    .where('status', '=', 'draft')
    .executeTakeFirst();
  return Number(result.numUpdatedRows) > 0;
}

/** Search entries of every article in an issue, after the issue's state changed. */
export async function refreshIssueArticles(ctx: AppContext, issueId: string): Promise<void> {
  const articles = await ctx.db.selectFrom('publishing_articles').select('id').where('issue_id', '=', issueId).execute();
  for (const article of articles) await refreshSearchEntry(ctx, { kind: 'article', id: article.id });
}

/** Audit and search after an issue was published or unpublished (by its own button or by an article). */
export async function afterIssueStateChange(
  ctx: AppContext,
  options: { issueId: string; actor: Actor; change: 'published' | 'unpublished'; details?: Record<string, unknown> },
): Promise<void> {
  await ctx.audit.record({
    action: `issue.${options.change}`,
    ...auditActor(options.actor),
    subjectType: 'issue',
    subjectId: options.issueId,
    ...(options.details ? { details: options.details } : {}),
  });
  await refreshIssueArticles(ctx, options.issueId);
}
