import { iso } from '../../../platform/clock.ts';
import type { AppContext } from '../../../platform/context.ts';
import { notFound } from '../../../platform/errors.ts';
import { refreshSearchEntry } from '../../search/index-entry.ts';
import { type Actor, auditActor } from '../shared/actor.ts';
import { FieldErrors } from '../shared/field-errors.ts';
import { resolveSimpleStatus, simpleChange } from '../shared/simple-status.ts';
import { replaceTopicLinks } from '../shared/topic-links.ts';
import { type ResourceForm, validateResourceForm } from './resource-form.ts';
import { findResource } from './resource-queries.ts';

/** Saves the resource form, including its state when a publisher changed it. Published resources need a publisher. */
export async function updateResource(ctx: AppContext, options: { resourceId: string; form: ResourceForm; actor: Actor }): Promise<void> {
  const resource = await findResource(ctx.db, options.resourceId);
  if (!resource) throw notFound('That resource');
  const errors = new FieldErrors();
  const status = resolveSimpleStatus(resource.status, options.form.status, options.actor, errors);
  const { topicIds, ...columns } = await validateResourceForm(ctx.db, options.form, errors);
  errors.throwIfAny();
  await ctx.db.transaction().execute(async (trx) => {
    await trx
      .updateTable('publishing_resources')
      .set({ ...columns, status, updated_at: iso(ctx.clock.now()) })
      .where('id', '=', resource.id)
      .execute();
    await replaceTopicLinks(trx, 'resource', resource.id, topicIds);
  });
  await ctx.audit.record({
    action: simpleChange('resource', resource.status, status),
    ...auditActor(options.actor),
    subjectType: 'resource',
    subjectId: resource.id,
  });
  await refreshSearchEntry(ctx, { kind: 'resource', id: resource.id });
}
