import { verifyPassword } from '../platform/auth/passwords.ts';
import { createSession } from '../platform/auth/sessions.ts';
import type { AppContext } from '../platform/context.ts';
import { hitRateLimit } from '../platform/http/rate-limit.ts';
import { normaliseEmail } from './email-address.ts';

/** Failed attempts allowed per account per 15 minutes (well under NIST's 100 in a row). */
export const SIGN_IN_ATTEMPTS_PER_ACCOUNT = 10;
const ACCOUNT_WINDOW_MS = 15 * 60 * 1000;

export type SignInResult =
  | { kind: 'signed-in'; sessionToken: string; awaitingSecondFactor: boolean }
  /** One answer for a wrong password, an unknown address and a locked account. */
  | { kind: 'refused' };

/**
 * Checks e-mail and password. The same answer, and about the same time, for unknown addresses
 * and wrong passwords, so the form cannot be used to learn who has an account. Accounts with a
 * second factor get a session that is only good for the code page until the code is entered.
 */
export async function signIn(
  ctx: AppContext,
  options: { email: string; password: string; ip?: string; userAgent?: string },
): Promise<SignInResult> {
  const email = normaliseEmail(options.email).slice(0, 254);
  const user = await ctx.db.selectFrom('users').selectAll().where('email', '=', email).executeTakeFirst();

  // Counted for every address, known or not, so the limit itself reveals nothing.
  const attempts = await hitRateLimit(ctx.db, ctx.clock, `sign-in-account:${email}`, ACCOUNT_WINDOW_MS);
  const passwordOk = await verifyPassword(user?.status === 'active' ? user.password_hash : null, options.password);

  if (!user || !passwordOk || attempts.hits > SIGN_IN_ATTEMPTS_PER_ACCOUNT) {
    await ctx.audit.record({
      action: 'auth.sign_in.failed',
      actor: email,
      actorUserId: user?.id ?? null,
      ip: options.ip,
      details: { reason: !user ? 'unknown-account' : attempts.hits > SIGN_IN_ATTEMPTS_PER_ACCOUNT ? 'too-many-attempts' : 'bad-password' },
    });
    return { kind: 'refused' };
  }

  const awaitingSecondFactor = user.totp_enabled_at !== null;
  const sessionToken = await createSession(ctx.db, ctx.clock, {
    userId: user.id,
    awaitingSecondFactor,
    secondFactorVerified: false,
    userAgent: options.userAgent,
  });
  await ctx.audit.record({
    action: awaitingSecondFactor ? 'auth.sign_in.password_accepted' : 'auth.sign_in.succeeded',
    actor: email,
    actorUserId: user.id,
    ip: options.ip,
  });
  return { kind: 'signed-in', sessionToken, awaitingSecondFactor };
}
