import { destroyUserSessions } from '../platform/auth/sessions.ts';
import { iso } from '../platform/clock.ts';
import type { AppContext } from '../platform/context.ts';
import { AppError, notFound } from '../platform/errors.ts';

/**
 * Disables an account (its sessions end at once and it can no longer sign in) or re-enables it.
 * Nobody can disable their own account, and the last active administrator stays (ASVS 7.4.2).
 */
export async function setAccountStatus(
  ctx: AppContext,
  options: { userId: string; status: 'active' | 'disabled'; actor: { id: string; email: string }; ip?: string },
): Promise<void> {
  const user = await ctx.db
    .selectFrom('users')
    .select(['id', 'email', 'status', 'staff_role'])
    .where('id', '=', options.userId)
    .executeTakeFirst();
  if (!user) throw notFound('That staff member');
  if (user.status === 'invited') throw new AppError('CONFLICT', 'This person has not set up their account yet.');
  if (user.status === options.status) return;
  if (options.status === 'disabled') {
    if (user.id === options.actor.id) throw new AppError('CONFLICT', 'You cannot disable your own account.');
    if (user.staff_role === 'admin') {
      const admins = await ctx.db
        .selectFrom('users')
        .select((eb) => eb.fn.countAll<number>().as('n'))
        .where('staff_role', '=', 'admin')
        .where('status', '=', 'active')
        .executeTakeFirstOrThrow();
      if (Number(admins.n) <= 1)
        throw new AppError('CONFLICT', 'This is the only administrator. Make someone else an administrator first.');
    }
  }
  await ctx.db
    .updateTable('users')
    .set({ status: options.status, updated_at: iso(ctx.clock.now()) })
    .where('id', '=', user.id)
    .execute();
  const ended = options.status === 'disabled' ? await destroyUserSessions(ctx.db, user.id) : 0;
  await ctx.audit.record({
    action: options.status === 'disabled' ? 'user.disabled' : 'user.enabled',
    actor: options.actor.email,
    actorUserId: options.actor.id,
    subjectType: 'user',
    subjectId: user.id,
    ip: options.ip,
    details: { email: user.email, sessionsEnded: ended },
  });
}

/** Signs a person out everywhere (ASVS 7.4.5: administrators can end any user's sessions). */
export async function endUserSessions(
  ctx: AppContext,
  options: { userId: string; actor: { id: string; email: string }; ip?: string },
): Promise<number> {
  const user = await ctx.db.selectFrom('users').select(['id', 'email']).where('id', '=', options.userId).executeTakeFirst();
  if (!user) throw notFound('That staff member');
  const ended = await destroyUserSessions(ctx.db, user.id);
  await ctx.audit.record({
    action: 'user.sessions_ended',
    actor: options.actor.email,
    actorUserId: options.actor.id,
    subjectType: 'user',
    subjectId: user.id,
    ip: options.ip,
    details: { email: user.email, sessionsEnded: ended },
  });
  return ended;
}
