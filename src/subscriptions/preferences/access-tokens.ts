import { hashToken, looksLikeToken, newToken } from '../../platform/auth/tokens.ts';
import { addMs, type Clock, iso } from '../../platform/clock.ts';
import type { Db } from '../../platform/db/database.ts';

// Two kinds of short-lived subscriber tokens, both 256-bit random and stored only as SHA-256:
// the sign-in link mailed from /preferences (single use, ten minutes: ASVS 6.5.5 for a sign-in by
// e-mail) and the cookie it is exchanged for (thirty minutes, then the person asks for a new link).

/** How long a mailed sign-in link works. */
export const SIGN_IN_LINK_TTL_MS = 10 * 60 * 1000;
/** How long the preferences session a sign-in link opens lasts, counted from the sign-in. */
export const SUBSCRIBER_SESSION_TTL_MS = 30 * 60 * 1000;

/** Stores the hash of a new sign-in link token for the subscriber and returns the token itself. */
export async function issueSignInToken(db: Db, clock: Clock, subscriberId: string): Promise<string> {
  return issue(db, clock, subscriberId, 'sign_in', SIGN_IN_LINK_TTL_MS);
}

/** Whether a sign-in link token is one we issued that is unused and unexpired (reads only). */
export async function signInTokenIsLive(db: Db, clock: Clock, token: string): Promise<boolean> {
  if (!looksLikeToken(token)) return false;
  const row = await db
    .selectFrom('subscriber_access_tokens')
    .select('subscriber_id')
    .where('token_hash', '=', hashToken(token))
    .where('purpose', '=', 'sign_in')
    .where('used_at', 'is', null)
    .where('expires_at', '>', iso(clock.now()))
    .executeTakeFirst();
  return row !== undefined;
}

/**
 * Spends a sign-in link and opens a session for its subscriber, in one transaction. The conditional
 * update is the single-use guarantee: of two simultaneous posts only one sees the row change.
 * Returns the session token for the cookie, or null when the link is unknown, used or expired.
 */
export async function exchangeSignInToken(
  db: Db,
  clock: Clock,
  token: string,
): Promise<{ sessionToken: string; subscriberId: string } | null> {
  if (!looksLikeToken(token)) return null;
  return db.transaction().execute(async (trx) => {
    const now = iso(clock.now());
    const spent = await trx
      .updateTable('subscriber_access_tokens')
      .set({ used_at: now })
      .where('token_hash', '=', hashToken(token))
      .where('purpose', '=', 'sign_in')
      .where('used_at', 'is', null)
      .where('expires_at', '>', now)
      .returning('subscriber_id')
      .executeTakeFirst();
    if (!spent) return null;
    const sessionToken = await issue(trx, clock, spent.subscriber_id, 'session', SUBSCRIBER_SESSION_TTL_MS);
    return { sessionToken, subscriberId: spent.subscriber_id };
  });
}

/** The subscriber a live session cookie belongs to, or null (reads only: expired rows are purged elsewhere). */
export async function subscriberOfSession(db: Db, clock: Clock, token: string | undefined): Promise<string | null> {
  if (!looksLikeToken(token)) return null;
  const row = await db
    .selectFrom('subscriber_access_tokens')
    .select('subscriber_id')
    .where('token_hash', '=', hashToken(token))
    .where('purpose', '=', 'session')
    .where('used_at', 'is', null)
    .where('expires_at', '>', iso(clock.now()))
    .executeTakeFirst();
  return row?.subscriber_id ?? null;
}

/** Ends a preferences session: its row goes, so the cookie is worthless even if kept. */
export async function endSubscriberSession(db: Db, token: string | undefined): Promise<void> {
  if (!looksLikeToken(token)) return;
  await db.deleteFrom('subscriber_access_tokens').where('token_hash', '=', hashToken(token)).where('purpose', '=', 'session').execute();
}

/** Removes sign-in links and sessions whose time is up, used or not. Returns how many went. */
export async function purgeExpiredAccessTokens(db: Db, clock: Clock): Promise<number> {
  const result = await db.deleteFrom('subscriber_access_tokens').where('expires_at', '<=', iso(clock.now())).executeTakeFirst();
  return Number(result.numDeletedRows);
}

async function issue(db: Db, clock: Clock, subscriberId: string, purpose: 'sign_in' | 'session', ttlMs: number): Promise<string> {
  const token = newToken();
  const now = clock.now();
  await db
    .insertInto('subscriber_access_tokens')
    .values({
      token_hash: hashToken(token),
      subscriber_id: subscriberId,
      purpose,
      created_at: iso(now),
      expires_at: iso(addMs(now, ttlMs)),
      used_at: null,
    })
    .execute();
  return token;
}
