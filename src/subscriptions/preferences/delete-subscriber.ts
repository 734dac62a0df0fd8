import type { AppContext } from '../../platform/context.ts';
import { validation } from '../../platform/errors.ts';
import { eraseSubscriber } from '../erase-subscriber.ts';

/** The checkbox "Delete me" requires, and what it says. */
export const DELETE_CONFIRMATION_FIELD = 'confirm-delete';
export const DELETE_CONFIRMATION_LABEL = 'I understand this deletes my address and history';

/** "Delete me": erases the address and everything about it (see eraseSubscriber), once the person ticked the box. */
export async function deleteSubscriber(ctx: AppContext, input: { subscriberId: string; confirmed: boolean }): Promise<void> {
  if (!input.confirmed) throw validation({ [DELETE_CONFIRMATION_FIELD]: `Tick “${DELETE_CONFIRMATION_LABEL}” to delete your address.` });
  await ctx.db
    .transaction()
    .execute((trx) => eraseSubscriber(trx, { secret: ctx.config.secret, clock: ctx.clock }, input.subscriberId).then(() => undefined));
}
