import { randomUUID } from 'node:crypto';
import { iso } from '../../../platform/clock.ts';
import type { AppContext } from '../../../platform/context.ts';
import { validation } from '../../../platform/errors.ts';
import { refreshSearchEntry } from '../../search/index-entry.ts';
import { type Actor, auditActor } from '../shared/actor.ts';
import { FieldErrors, isUniqueViolation } from '../shared/field-errors.ts';
import { resolveSimpleStatus, simpleChange } from '../shared/simple-status.ts';
import { replaceTopicLinks } from '../shared/topic-links.ts';
import { type EventForm, eventSlugTaken, validateEventForm } from './event-form.ts';

/** Creates an event: a draft, or published at once by a publisher. Returns its id. */
export async function createEvent(ctx: AppContext, options: { form: EventForm; actor: Actor }): Promise<string> {
  const errors = new FieldErrors();
  const status = resolveSimpleStatus(null, options.form.status, options.actor, errors);
  const { topicIds, ...columns } = await validateEventForm(ctx.db, options.form, null, errors);
  errors.throwIfAny();
  const id = randomUUID();
  const now = iso(ctx.clock.now());
  try {
    await ctx.db.transaction().execute(async (trx) => {
      await trx
        .insertInto('publishing_events')
        .values({ id, ...columns, status, created_at: now, updated_at: now })
        .execute();
      await replaceTopicLinks(trx, 'event', id, topicIds);
    });
  } catch (error) {
    if (isUniqueViolation(error)) throw validation({ slug: eventSlugTaken(columns.slug) });
    throw error;
  }
  await ctx.audit.record({
    action: simpleChange('event', null, status),
    ...auditActor(options.actor),
    subjectType: 'event',
    subjectId: id,
  });
  await refreshSearchEntry(ctx, { kind: 'event', id });
  return id;
}
