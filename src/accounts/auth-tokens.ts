import { hashToken, looksLikeToken, newToken } from '../platform/auth/tokens.ts';
import { addMs, iso } from '../platform/clock.ts';
import type { AppContext } from '../platform/context.ts';
import type { AuthTokenPurpose, StaffRole } from '../platform/db/schema.ts';

/** Setup links let a new person choose a password; a day is enough to find the e-mail. */
export const SETUP_LINK_TTL_MS = 24 * 60 * 60 * 1000;
/** Recovery links are a sign-in by e-mail: ASVS 6.5.5 caps them at ten minutes. */
export const RECOVERY_LINK_TTL_MS = 10 * 60 * 1000;

/** Stores the hash of a new single-use token and returns the token itself for the link. */
export async function issueAuthToken(
  ctx: Pick<AppContext, 'db' | 'clock'>,
  options: { purpose: AuthTokenPurpose; userId: string | null; staffRole: StaffRole | null; ttlMs: number },
): Promise<{ token: string; expiresAt: string }> {
  const token = newToken();
  const now = ctx.clock.now();
  const expiresAt = iso(addMs(now, options.ttlMs));
  await ctx.db
    .insertInto('auth_tokens')
    .values({
      token_hash: hashToken(token),
      purpose: options.purpose,
      user_id: options.userId,
      staff_role: options.staffRole,
      created_at: iso(now),
      expires_at: expiresAt,
      used_at: null,
    })
    .execute();
  return { token, expiresAt };
}

/** The unused, unexpired token of that purpose, or undefined (the caller says only "invalid or expired"). */
export async function findLiveAuthToken(ctx: Pick<AppContext, 'db' | 'clock'>, purpose: AuthTokenPurpose, token: string) {
  if (!looksLikeToken(token)) return undefined;
  return ctx.db
    .selectFrom('auth_tokens')
    .selectAll()
    .where('token_hash', '=', hashToken(token))
    .where('purpose', '=', purpose)
    .where('used_at', 'is', null)
    .where('expires_at', '>', iso(ctx.clock.now()))
    .executeTakeFirst();
}

/**
 * Marks a token used. The conditional update is the single-use guarantee: of two simultaneous
 * submissions only one sees a row change.
 */
export async function consumeAuthToken(ctx: Pick<AppContext, 'db' | 'clock'>, tokenHash: string): Promise<boolean> {
  const result = await ctx.db
    .updateTable('auth_tokens')
    .set({ used_at: iso(ctx.clock.now()) })
    .where('token_hash', '=', tokenHash)
    .where('used_at', 'is', null)
    .where('expires_at', '>', iso(ctx.clock.now()))
    .executeTakeFirst();
  return Number(result.numUpdatedRows) === 1;
}

/** Deletes setup and recovery tokens whose time is up, used or not. */
export async function purgeExpiredAuthTokens(ctx: Pick<AppContext, 'db' | 'clock'>): Promise<number> {
  const result = await ctx.db.deleteFrom('auth_tokens').where('expires_at', '<=', iso(ctx.clock.now())).executeTakeFirst();
  return Number(result.numDeletedRows);
}
