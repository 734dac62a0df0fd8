import type { Db } from '../platform/db/database.ts';
import type { SuppressionReason } from '../platform/db/schema.ts';
import { emailHash } from './keys.ts';

/** Why the system may not mail this (normalised) address, or null when nothing suppresses it. */
export async function suppressionOf(db: Db, secret: string, email: string): Promise<SuppressionReason | null> {
  const row = await db
    .selectFrom('subscriber_suppressions')
    .select('reason')
    .where('email_hash', '=', emailHash(secret, email))
    .executeTakeFirst();
  return row?.reason ?? null;
}

/**
 * Reasons that stop every mail to an address. "deleted" is not one of them: a person who used
 * "delete me" and subscribed again through the double opt-in may manage that new subscription.
 */
export const BLOCKING_SUPPRESSIONS: ReadonlySet<SuppressionReason> = new Set(['hard_bounce', 'complaint', 'manual']);

/** Whether nothing may be mailed to this (normalised) address: a bounce, a complaint or staff said so. */
export async function isBlockedAddress(db: Db, secret: string, email: string): Promise<boolean> {
  const reason = await suppressionOf(db, secret, email);
  return reason !== null && BLOCKING_SUPPRESSIONS.has(reason);
}
