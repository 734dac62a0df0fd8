import { iso } from '../../../platform/clock.ts';
import type { AppContext } from '../../../platform/context.ts';
import { notFound, validation } from '../../../platform/errors.ts';
import { refreshSearchEntry } from '../../search/index-entry.ts';
import { type Actor, auditActor } from '../shared/actor.ts';
import { FieldErrors, isUniqueViolation } from '../shared/field-errors.ts';
import { resolveSimpleStatus, simpleChange } from '../shared/simple-status.ts';
import { replaceTopicLinks } from '../shared/topic-links.ts';
import { type EventForm, eventSlugTaken, validateEventForm } from './event-form.ts';
import { findEvent } from './event-queries.ts';

/**
 * Saves the event form, including its state when a publisher changed it. A published event is what
 * readers see, so only a publisher may change it.
 */
export async function updateEvent(ctx: AppContext, options: { eventId: string; form: EventForm; actor: Actor }): Promise<void> {
  const event = await findEvent(ctx.db, options.eventId);
  if (!event) throw notFound('That event');
  const errors = new FieldErrors();
  const status = resolveSimpleStatus(event.status, options.form.status, options.actor, errors);
  const { topicIds, ...columns } = await validateEventForm(ctx.db, options.form, event, errors);
  errors.throwIfAny();
  try {
    await ctx.db.transaction().execute(async (trx) => {
      await trx
        .updateTable('publishing_events')
        .set({ ...columns, status, updated_at: iso(ctx.clock.now()) })
        .where('id', '=', event.id)
        .execute();
      await replaceTopicLinks(trx, 'event', event.id, topicIds);
    });
  } catch (error) {
    if (isUniqueViolation(error)) throw validation({ slug: eventSlugTaken(columns.slug) });
    throw error;
  }
  await ctx.audit.record({
    action: simpleChange('event', event.status, status),
    ...auditActor(options.actor),
    subjectType: 'event',
    subjectId: event.id,
  });
  await refreshSearchEntry(ctx, { kind: 'event', id: event.id });
}
