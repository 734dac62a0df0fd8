import { SecretBox } from '../platform/auth/secret-box.ts';
import { createSession, destroySession, type SessionState } from '../platform/auth/sessions.ts';
import { matchTotp } from '../platform/auth/totp.ts';
import type { AppContext } from '../platform/context.ts';
import { hitRateLimit } from '../platform/http/rate-limit.ts';

const CODE_ATTEMPTS = 5;
const CODE_WINDOW_MS = 15 * 60 * 1000;

/** The box TOTP seeds are sealed in, keyed from DISPATCH_SECRET. */
export function totpBox(ctx: Pick<AppContext, 'config'>): SecretBox {
  return new SecretBox(ctx.config.secret, 'totp-seed');
}

/**
 * Accepts a TOTP code and records its time step so it cannot be replayed. The conditional update
 * on totp_last_step makes that true even for two requests racing with the same code.
 */
export async function acceptTotpCode(ctx: AppContext, userId: string, sealedSecret: string, code: string): Promise<boolean> {
  const step = matchTotp(totpBox(ctx).open(sealedSecret), code, ctx.clock.now());
  if (step === null) return false;
  const result = await ctx.db
    .updateTable('users')
    .set({ totp_last_step: step })
    .where('id', '=', userId)
    .where((eb) => eb.or([eb('totp_last_step', 'is', null), eb('totp_last_step', '<', step)]))
    .executeTakeFirst();
  return Number(result.numUpdatedRows) === 1;
}

/**
 * Second step of sign-in. A correct code replaces the half-signed-in session with a new one (a
 * new id at each step up in privilege); too many wrong codes end the half session.
 */
export async function verifySecondFactor(
  ctx: AppContext,
  options: { session: SessionState; code: string; ip?: string; userAgent?: string },
): Promise<{ kind: 'verified'; sessionToken: string } | { kind: 'wrong-code' } | { kind: 'locked' }> {
  const { session } = options;
  const user = session.user;
  const attempts = await hitRateLimit(ctx.db, ctx.clock, `totp:${user.id}`, CODE_WINDOW_MS);
  if (attempts.hits > CODE_ATTEMPTS) {
    await destroySession(ctx.db, session.tokenHash);
    await ctx.audit.record({ action: 'auth.second_factor.locked', actor: user.email, actorUserId: user.id, ip: options.ip });
    return { kind: 'locked' };
  }
  if (!user.totp_secret || !(await acceptTotpCode(ctx, user.id, user.totp_secret, options.code))) {
    await ctx.audit.record({ action: 'auth.second_factor.failed', actor: user.email, actorUserId: user.id, ip: options.ip });
    return { kind: 'wrong-code' };
  }
  await destroySession(ctx.db, session.tokenHash);
  const sessionToken = await createSession(ctx.db, ctx.clock, {
    userId: user.id,
    awaitingSecondFactor: false,
    secondFactorVerified: true,
    userAgent: options.userAgent,
  });
  await ctx.audit.record({
    action: 'auth.sign_in.succeeded',
    actor: user.email,
    actorUserId: user.id,
    ip: options.ip,
    details: { secondFactor: 'totp' },
  });
  return { kind: 'verified', sessionToken };
}
