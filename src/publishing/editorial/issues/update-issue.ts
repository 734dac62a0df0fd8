import { iso } from '../../../platform/clock.ts';
import type { AppContext } from '../../../platform/context.ts';
import { notFound, validation } from '../../../platform/errors.ts';
import { getSiteSettings } from '../../../platform/settings/site-settings.ts';
import { type Actor, assertMayPublish, auditActor, PUBLISHED_CONTENT_MESSAGE } from '../shared/actor.ts';
import { isUniqueViolation } from '../shared/field-errors.ts';
import { refreshIssueArticles } from './issue-effects.ts';
import { type IssueForm, validateIssueForm, volumeTakenMessage } from './issue-form.ts';
import { findIssue } from './issue-queries.ts';

/** Changes an issue's month, volume or number. A published issue needs a publisher. */
export async function updateIssue(ctx: AppContext, options: { issueId: string; form: IssueForm; actor: Actor }): Promise<void> {
  const issue = await findIssue(ctx.db, options.issueId);
  if (!issue) throw notFound('That issue');
  if (issue.status === 'published') assertMayPublish(options.actor, PUBLISHED_CONTENT_MESSAGE);
  const { firstVolumeYear } = await getSiteSettings(ctx.db);
  const values = await validateIssueForm(ctx.db, options.form, { firstVolumeYear, currentId: issue.id });
  try {
    await ctx.db
      .updateTable('publishing_issues')
      .set({ ...values, updated_at: iso(ctx.clock.now()) })
      .where('id', '=', issue.id)
      .execute();
  } catch (error) {
    if (isUniqueViolation(error)) throw validation({ number: volumeTakenMessage(values.volume, values.number) });
    throw error;
  }
  await ctx.audit.record({
    action: 'issue.edited',
    ...auditActor(options.actor),
    subjectType: 'issue',
    subjectId: issue.id,
    details: values,
  });
  await refreshIssueArticles(ctx, issue.id);
}
