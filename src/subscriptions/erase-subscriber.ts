import { type Clock, iso } from '../platform/clock.ts';
import type { Db } from '../platform/db/database.ts';
import { forgetFinishedJobs } from '../platform/jobs/purge.ts';
import { emailHash } from './keys.ts';
import { SEND_PREFERENCES_LINK_JOB } from './preferences/request-preferences-link.ts';

export interface ErasedSubscriber {
  email: string;
  memberships: number;
  events: number;
}

/**
 * Removes a subscriber and everything about them, leaving only the keyed hash of the address on
 * the suppression list (reason "deleted"), so no later import silently re-adds it while the person
 * may still subscribe again through the double opt-in. A stronger entry already there (bounce,
 * complaint, manual) stays as it is. The one erasure behind "delete me" and the staff delete; run it
 * inside the caller's transaction. Returns null when the subscriber is already gone.
 */
export async function eraseSubscriber(
  trx: Db,
  deps: { secret: string; clock: Clock },
  subscriberId: string,
): Promise<ErasedSubscriber | null> {
  const row = await trx.selectFrom('subscribers').select(['email']).where('id', '=', subscriberId).executeTakeFirst();
  if (!row) return null;
  // Memberships before the row (no cascade), so the count triggers see each one leave.
  const memberships = await trx.deleteFrom('subscriptions').where('subscriber_id', '=', subscriberId).executeTakeFirst();
  const events = await trx.deleteFrom('subscriber_events').where('subscriber_id', '=', subscriberId).executeTakeFirst();
  await trx.deleteFrom('subscriber_access_tokens').where('subscriber_id', '=', subscriberId).execute();
  await trx.deleteFrom('subscription_requests').where('email', '=', row.email).execute();
  // Finished "send me a preferences link" jobs carry the address in their payload.
  await forgetFinishedJobs(trx, { name: SEND_PREFERENCES_LINK_JOB, payload: { email: row.email } });
  await trx.deleteFrom('subscribers').where('id', '=', subscriberId).execute();
  await trx
    .insertInto('subscriber_suppressions')
    .values({ email_hash: emailHash(deps.secret, row.email), reason: 'deleted', created_at: iso(deps.clock.now()) })
    .onConflict((oc) => oc.column('email_hash').doNothing())
    .execute();
  return { email: row.email, memberships: Number(memberships.numDeletedRows), events: Number(events.numDeletedRows) };
}
