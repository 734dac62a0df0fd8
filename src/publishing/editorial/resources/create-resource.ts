import { randomUUID } from 'node:crypto';
import { iso } from '../../../platform/clock.ts';
import type { AppContext } from '../../../platform/context.ts';
import { refreshSearchEntry } from '../../search/index-entry.ts';
import { type Actor, auditActor } from '../shared/actor.ts';
import { FieldErrors } from '../shared/field-errors.ts';
import { resolveSimpleStatus, simpleChange } from '../shared/simple-status.ts';
import { replaceTopicLinks } from '../shared/topic-links.ts';
import { type ResourceForm, validateResourceForm } from './resource-form.ts';

/** Adds a resource: a draft, or published at once by a publisher. Returns its id. */
export async function createResource(ctx: AppContext, options: { form: ResourceForm; actor: Actor }): Promise<string> {
  const errors = new FieldErrors();
  const status = resolveSimpleStatus(null, options.form.status, options.actor, errors);
  const { topicIds, ...columns } = await validateResourceForm(ctx.db, options.form, errors);
  errors.throwIfAny();
  const id = randomUUID();
  const now = iso(ctx.clock.now());
  await ctx.db.transaction().execute(async (trx) => {
    await trx
      .insertInto('publishing_resources')
      .values({ id, ...columns, status, created_at: now, updated_at: now })
      .execute();
    await replaceTopicLinks(trx, 'resource', id, topicIds);
  });
  await ctx.audit.record({
    action: simpleChange('resource', null, status),
    ...auditActor(options.actor),
    subjectType: 'resource',
    subjectId: id,
  });
  await refreshSearchEntry(ctx, { kind: 'resource', id });
  return id;
}
