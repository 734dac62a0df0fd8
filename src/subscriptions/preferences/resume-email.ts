import { iso } from '../../platform/clock.ts';
import type { AppContext } from '../../platform/context.ts';
import type { Subscriber } from '../../platform/db/schema.ts';
import { AppError } from '../../platform/errors.ts';
import { recordSubscriberEvent } from '../history.ts';

/**
 * Whether "Resume email" applies: a paused subscription, or an unsubscribed one whose address was
 * confirmed before (the person proved the mailbox again by opening this page). An address that was
 * never confirmed must go through the double opt-in at /subscribe instead.
 */
export function canResume(subscriber: Pick<Subscriber, 'status' | 'confirmed_at'>): boolean {
  return subscriber.status === 'paused' || (subscriber.status === 'unsubscribed' && subscriber.confirmed_at !== null);
}

/** "Resume email": back to active with the topics kept. Resuming an active subscription changes nothing. */
export async function resumeEmail(ctx: AppContext, input: { subscriberId: string }): Promise<{ changed: boolean }> {
  const now = iso(ctx.clock.now());
  return ctx.db.transaction().execute(async (trx) => {
    const row = await trx
      .selectFrom('subscribers')
      .select(['status', 'confirmed_at'])
      .where('id', '=', input.subscriberId)
      .executeTakeFirst();
    if (!row) throw new AppError('NOT_FOUND', 'This subscription no longer exists.');
    if (row.status === 'active') return { changed: false };
    if (!canResume(row)) {
      throw new AppError(
        'CONFLICT',
        'This subscription cannot be resumed here. Subscribe again on the subscribe page and confirm your address.',
      );
    }
    const result = await trx
      .updateTable('subscribers')
      // A paused subscription that somehow was never confirmed goes back to waiting for confirmation.
      .set({ status: row.confirmed_at ? 'active' : 'pending', unsubscribed_at: null, updated_at: now })
      .where('id', '=', input.subscriberId)
      .where('status', '=', row.status)
      .executeTakeFirst();
    if (Number(result.numUpdatedRows) === 0) return { changed: false };
    await recordSubscriberEvent(trx, ctx.clock, {
      subscriberId: input.subscriberId,
      kind: 'resumed',
      actor: 'subscriber',
      details: { from: row.status },
    });
    return { changed: true };
  });
}
