import { iso } from '../../platform/clock.ts';
import type { AppContext } from '../../platform/context.ts';
import { AppError } from '../../platform/errors.ts';
import { recordSubscriberEvent } from '../history.ts';

/**
 * "Pause all email": an active subscriber keeps every topic but gets nothing until they resume.
 * Pausing a paused subscription changes nothing. A pending subscriber cannot pause (pausing and
 * resuming would otherwise skip the confirmation), nor can an unsubscribed one.
 */
export async function pauseEmail(ctx: AppContext, input: { subscriberId: string }): Promise<{ changed: boolean }> {
  const now = iso(ctx.clock.now());
  return ctx.db.transaction().execute(async (trx) => {
    const row = await trx.selectFrom('subscribers').select('status').where('id', '=', input.subscriberId).executeTakeFirst();
    if (!row) throw new AppError('NOT_FOUND', 'This subscription no longer exists.');
    if (row.status === 'paused') return { changed: false };
    if (row.status !== 'active') throw new AppError('CONFLICT', 'Only a confirmed, active subscription can be paused.');
    const result = await trx
      .updateTable('subscribers')
      .set({ status: 'paused', updated_at: now })
      .where('id', '=', input.subscriberId)
      .where('status', '=', 'active')
      .executeTakeFirst();
    if (Number(result.numUpdatedRows) === 0) return { changed: false };
    await recordSubscriberEvent(trx, ctx.clock, { subscriberId: input.subscriberId, kind: 'paused', actor: 'subscriber' });
    return { changed: true };
  });
}
