import { hashPassword, passwordProblem } from '../platform/auth/passwords.ts';
import { destroyUserSessions } from '../platform/auth/sessions.ts';
import { iso } from '../platform/clock.ts';
import type { AppContext } from '../platform/context.ts';
import { AppError, validation } from '../platform/errors.ts';
import { consumeAuthToken, findLiveAuthToken } from './auth-tokens.ts';

const INVALID_LINK = 'This recovery link is invalid, expired or already used. Ask for a new one.';

/** Whether a recovery link can still be used (the GET page shows the form only then). */
export async function recoveryLinkIsLive(ctx: AppContext, token: string): Promise<boolean> {
  return Boolean(await findLiveAuthToken(ctx, 'recovery', token));
}

/**
 * Sets a new password from a recovery link, spends the link and ends every session of the
 * account. It does not sign in: the person signs in with the new password and, if enrolled,
 * their second factor, so recovery is never a weaker way in.
 */
export async function resetPassword(ctx: AppContext, options: { token: string; newPassword: string; ip?: string }): Promise<void> {
  const row = await findLiveAuthToken(ctx, 'recovery', options.token);
  if (!row?.user_id) throw new AppError('NOT_FOUND', INVALID_LINK);
  const user = await ctx.db.selectFrom('users').select(['id', 'email']).where('id', '=', row.user_id).executeTakeFirstOrThrow();
  const problem = passwordProblem(options.newPassword, { email: user.email });
  if (problem) throw validation({ newPassword: problem });
  const passwordHash = await hashPassword(options.newPassword);

  await ctx.db.transaction().execute(async (trx) => {
    if (!(await consumeAuthToken({ db: trx, clock: ctx.clock }, row.token_hash))) throw new AppError('NOT_FOUND', INVALID_LINK);
    await trx
      .updateTable('users')
      .set({ password_hash: passwordHash, updated_at: iso(ctx.clock.now()) })
      .where('id', '=', user.id)
      .execute();
  });
  await destroyUserSessions(ctx.db, user.id);
  await ctx.audit.record({ action: 'auth.recovery.password_reset', actor: user.email, actorUserId: user.id, ip: options.ip });
}
