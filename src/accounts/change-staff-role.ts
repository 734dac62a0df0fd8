import { destroyUserSessions } from '../platform/auth/sessions.ts';
import { iso } from '../platform/clock.ts';
import type { AppContext } from '../platform/context.ts';
import type { StaffRole } from '../platform/db/schema.ts';
import { AppError, notFound } from '../platform/errors.ts';

/**
 * Gives a staff member another role, or none. Their sessions end so the change applies at once.
 * The last active administrator cannot be demoted (nobody could administer the site after).
 */
export async function changeStaffRole(
  ctx: AppContext,
  options: { userId: string; role: StaffRole | null; actor: { id: string; email: string }; ip?: string },
): Promise<void> {
  const user = await ctx.db
    .selectFrom('users')
    .select(['id', 'email', 'staff_role', 'status'])
    .where('id', '=', options.userId)
    .executeTakeFirst();
  if (!user) throw notFound('That staff member');
  if (user.staff_role === options.role) return;
  if (user.staff_role === 'admin') {
    const admins = await ctx.db
      .selectFrom('users')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .where('staff_role', '=', 'admin')
      .where('status', '=', 'active')
      .executeTakeFirstOrThrow();
    if (Number(admins.n) <= 1 && user.status === 'active') {
      throw new AppError('CONFLICT', 'This is the only administrator. Make someone else an administrator first.');
    }
  }
  await ctx.db
    .updateTable('users')
    .set({ staff_role: options.role, updated_at: iso(ctx.clock.now()) })
    .where('id', '=', user.id)
    .execute();
  await destroyUserSessions(ctx.db, user.id);
  await ctx.audit.record({
    action: 'user.role_changed',
    actor: options.actor.email,
    actorUserId: options.actor.id,
    subjectType: 'user',
    subjectId: user.id,
    ip: options.ip,
    details: { email: user.email, from: user.staff_role, to: options.role },
  });
}

/** Staff accounts for the admin list, administrators first. */
export function listStaff(ctx: Pick<AppContext, 'db'>) {
  return ctx.db
    .selectFrom('users')
    .select(['id', 'email', 'display_name', 'staff_role', 'status', 'totp_enabled_at', 'created_at'])
    .where('staff_role', 'is not', null)
    .orderBy('staff_role')
    .orderBy('email')
    .execute();
}
