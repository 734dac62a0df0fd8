import { randomUUID } from 'node:crypto';
import { iso } from '../../../platform/clock.ts';
import type { AppContext } from '../../../platform/context.ts';
import { validation } from '../../../platform/errors.ts';
import { getSiteSettings } from '../../../platform/settings/site-settings.ts';
import { type Actor, auditActor } from '../shared/actor.ts';
import { isUniqueViolation } from '../shared/field-errors.ts';
import { type IssueForm, validateIssueForm, volumeTakenMessage } from './issue-form.ts';

/** Creates an issue as a draft (any editor may). Returns its id. */
export async function createIssue(ctx: AppContext, options: { form: IssueForm; actor: Actor }): Promise<string> {
  const { firstVolumeYear } = await getSiteSettings(ctx.db);
  const values = await validateIssueForm(ctx.db, options.form, { firstVolumeYear, currentId: null });
  const id = randomUUID();
  const now = iso(ctx.clock.now());
  try {
    await ctx.db
      .insertInto('publishing_issues')
      .values({ id, ...values, status: 'draft', published_at: null, created_at: now, updated_at: now })
      .execute();
  } catch (error) {
    if (isUniqueViolation(error)) throw validation({ number: volumeTakenMessage(values.volume, values.number) });
    throw error;
  }
  await ctx.audit.record({ action: 'issue.created', ...auditActor(options.actor), subjectType: 'issue', subjectId: id, details: values });
  return id;
}
