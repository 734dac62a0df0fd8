import type { Clock } from '../clock.ts';
import { addMs, iso } from '../clock.ts';
import type { Db } from '../db/database.ts';
import type { User } from '../db/schema.ts';
import { hashToken, looksLikeToken, newToken } from './tokens.ts';

/** ASVS / NIST AAL2 re-authentication: 30 minutes idle, 12 hours at most. */
export const SESSION_IDLE_MS = 30 * 60 * 1000;
export const SESSION_ABSOLUTE_MS = 12 * 60 * 60 * 1000;
// Writing last_seen_at on every request would make each page view a write; a minute's slack is fine.
const TOUCH_AFTER_MS = 60 * 1000;

export interface SessionState {
  tokenHash: string;
  user: User;
  /** The password was checked but the second factor is still owed. */
  awaitingSecondFactor: boolean;
  secondFactorVerified: boolean;
  createdAt: string;
}

/** Starts a session and returns the token for the cookie; only its hash is stored. */
export async function createSession(
  db: Db,
  clock: Clock,
  options: { userId: string; awaitingSecondFactor: boolean; secondFactorVerified: boolean; userAgent?: string | undefined },
): Promise<string> {
  const token = newToken();
  const now = clock.now();
  await db
    .insertInto('sessions')
    .values({
      token_hash: hashToken(token),
      user_id: options.userId,
      awaiting_second_factor: options.awaitingSecondFactor ? 1 : 0,
      second_factor_verified: options.secondFactorVerified ? 1 : 0,
      created_at: iso(now),
      last_seen_at: iso(now),
      expires_at: iso(addMs(now, SESSION_ABSOLUTE_MS)),
      user_agent: options.userAgent?.slice(0, 300) ?? null,
    })
    .execute();
  return token;
}

/**
 * Finds the live session for a cookie value. Expired (idle or absolute) sessions are deleted and
 * treated as absent; so are sessions of disabled accounts.
 */
export async function loadSession(db: Db, clock: Clock, token: string | undefined): Promise<SessionState | null> {
  if (!looksLikeToken(token)) return null;
  const tokenHash = hashToken(token);
  const row = await db
    .selectFrom('sessions')
    .innerJoin('users', 'users.id', 'sessions.user_id')
    .selectAll('users')
    .select([
      'sessions.awaiting_second_factor',
      'sessions.second_factor_verified',
      'sessions.last_seen_at',
      'sessions.expires_at',
      'sessions.created_at as session_created_at',
    ])
    .where('sessions.token_hash', '=', tokenHash)
    .executeTakeFirst();
  if (!row) return null;

  const now = clock.now();
  const idleDeadline = new Date(new Date(row.last_seen_at).getTime() + SESSION_IDLE_MS);
  if (now >= new Date(row.expires_at) || now >= idleDeadline || row.status !== 'active') {
    await db.deleteFrom('sessions').where('token_hash', '=', tokenHash).execute();
    return null;
  }
  if (now.getTime() - new Date(row.last_seen_at).getTime() > TOUCH_AFTER_MS) {
    await db
      .updateTable('sessions')
      .set({ last_seen_at: iso(now) })
      .where('token_hash', '=', tokenHash)
      .execute();
  }

  const { awaiting_second_factor, second_factor_verified, last_seen_at, expires_at, session_created_at, ...user } = row;
  return {
    tokenHash,
    user,
    awaitingSecondFactor: awaiting_second_factor === 1,
    secondFactorVerified: second_factor_verified === 1,
    createdAt: session_created_at,
  };
}

/** Ends one session on the server, so a copied cookie is worthless afterwards. */
export async function destroySession(db: Db, tokenHash: string): Promise<void> {
  await db.deleteFrom('sessions').where('token_hash', '=', tokenHash).execute();
}

/** Ends every session of a user except, optionally, the one in use. */
export async function destroyUserSessions(db: Db, userId: string, keepTokenHash?: string): Promise<number> {
  let query = db.deleteFrom('sessions').where('user_id', '=', userId);
  if (keepTokenHash) query = query.where('token_hash', '!=', keepTokenHash);
  const result = await query.executeTakeFirst();
  return Number(result.numDeletedRows);
}

/** Deletes sessions past their absolute end (idle ones are removed when next presented). */
export async function purgeExpiredSessions(db: Db, clock: Clock): Promise<number> {
  const result = await db.deleteFrom('sessions').where('expires_at', '<=', iso(clock.now())).executeTakeFirst();
  return Number(result.numDeletedRows);
}
