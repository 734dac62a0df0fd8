import type { AppContext } from '../../platform/context.ts';
import { notFound } from '../../platform/errors.ts';
import { eraseSubscriber } from '../erase-subscriber.ts';
import { auditFieldsOf, type StaffActor } from '../staff-actor.ts';
import { subscriberIdOf } from './get-subscriber-record.ts';

/**
 * Staff delete a subscriber, with the same effect as the person's own "delete me" (eraseSubscriber).
 *
 * The audit entry names the subscriber by id only: keeping the address there would undo the deletion.
 */
export async function deleteSubscriber(
  ctx: AppContext,
  options: { subscriberId: string; actor: StaffActor },
): Promise<{ memberships: number; events: number }> {
  const id = subscriberIdOf(options.subscriberId);
  const erased = await ctx.db.transaction().execute((trx) => eraseSubscriber(trx, { secret: ctx.config.secret, clock: ctx.clock }, id));
  if (!erased) throw notFound('That subscriber');
  const removed = { memberships: erased.memberships, events: erased.events };
  await ctx.audit.record({
    action: 'subscriber.deleted',
    ...auditFieldsOf(options.actor),
    subjectType: 'subscriber',
    subjectId: id,
    details: removed,
  });
  return removed;
}
