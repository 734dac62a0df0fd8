import { hashPassword, passwordProblem, verifyPassword } from '../platform/auth/passwords.ts';
import { destroyUserSessions, type SessionState } from '../platform/auth/sessions.ts';
import { iso } from '../platform/clock.ts';
import type { AppContext } from '../platform/context.ts';
import { validation } from '../platform/errors.ts';

/**
 * Changes a password after re-checking the current one, and (by default) signs the account out
 * everywhere else, as ASVS 7.4.3 asks after a change of authentication factor.
 */
export async function changePassword(
  ctx: AppContext,
  options: { session: SessionState; currentPassword: string; newPassword: string; signOutOthers: boolean; ip?: string },
): Promise<{ otherSessionsEnded: number }> {
  const { user } = options.session;
  const fields: Record<string, string> = {};
  if (!(await verifyPassword(user.password_hash, options.currentPassword)))
    fields.currentPassword = 'Your current password is not correct.';
  const problem = passwordProblem(options.newPassword, { email: user.email });
  if (problem) fields.newPassword = problem;
  if (Object.keys(fields).length > 0) throw validation(fields);

  const now = iso(ctx.clock.now());
  await ctx.db
    .updateTable('users')
    .set({ password_hash: await hashPassword(options.newPassword), updated_at: now })
    .where('id', '=', user.id)
    .execute();
  const otherSessionsEnded = options.signOutOthers ? await destroyUserSessions(ctx.db, user.id, options.session.tokenHash) : 0;
  await ctx.audit.record({
    action: 'auth.password_changed',
    actor: user.email,
    actorUserId: user.id,
    ip: options.ip,
    details: { otherSessionsEnded },
  });
  return { otherSessionsEnded };
}
