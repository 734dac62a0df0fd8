import type { AppContext } from '../../platform/context.ts';
import type { SubscriberStatus } from '../../platform/db/schema.ts';
import { notFound } from '../../platform/errors.ts';
import { auditFieldsOf, historyActorOf, type StaffActor } from '../staff-actor.ts';
import { unsubscribeSubscriber as leaveEverything } from '../unsubscribe/unsubscribe-subscriber.ts';
import { subscriberIdOf } from './get-subscriber-record.ts';

/**
 * Staff unsubscribe someone from everything (for example at their request by phone): the same
 * change as the person's own "unsubscribe from everything", recorded in their history under the
 * staff member's name and audited. Unsubscribing someone already unsubscribed changes nothing.
 */
export async function unsubscribeSubscriber(
  ctx: AppContext,
  options: { subscriberId: string; actor: StaffActor },
): Promise<{ changed: boolean; from: SubscriberStatus }> {
  const id = subscriberIdOf(options.subscriberId);
  const result = await leaveEverything(ctx, { subscriberId: id, actor: historyActorOf(options.actor) });
  if (result.from === null) throw notFound('That subscriber');
  if (result.changed) {
    await ctx.audit.record({
      action: 'subscriber.unsubscribed',
      ...auditFieldsOf(options.actor),
      subjectType: 'subscriber',
      subjectId: id,
      // No address here: the audit log outlives a subscriber's "delete me".
      details: { from: result.from },
    });
  }
  return { changed: result.changed, from: result.from };
}
