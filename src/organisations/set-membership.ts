import { iso } from '../platform/clock.ts';
import type { AppContext } from '../platform/context.ts';
import type { MembershipRole } from '../platform/db/schema.ts';
import { AppError, notFound } from '../platform/errors.ts';
import { findMembership } from './find-membership.ts';
import { MEMBERSHIP_ROLES, membershipAllows } from './policies.ts';

/**
 * Adds a person to an organisation or changes their role. Only an owner of that organisation may
 * do it; to anyone else the organisation does not exist (404, not 403, so ids cannot be probed).
 */
export async function setMembership(
  ctx: AppContext,
  options: { organisationId: string; userId: string; role: MembershipRole; actor: { id: string; email: string } },
): Promise<void> {
  const actorMembership = await findMembership(ctx, { organisationId: options.organisationId, userId: options.actor.id });
  if (!actorMembership) throw notFound('That organisation');
  if (!membershipAllows(actorMembership.role, 'manageMembers')) {
    throw new AppError('FORBIDDEN', 'Only an owner of this organisation can change its members.');
  }
  if (!MEMBERSHIP_ROLES.includes(options.role)) throw new AppError('VALIDATION', 'Choose owner, editor, signatory or viewer.');
  const user = await ctx.db.selectFrom('users').select('id').where('id', '=', options.userId).executeTakeFirst();
  if (!user) throw notFound('That person');

  await ctx.db
    .insertInto('memberships')
    .values({ organisation_id: options.organisationId, user_id: options.userId, role: options.role, created_at: iso(ctx.clock.now()) })
    .onConflict((oc) => oc.columns(['organisation_id', 'user_id']).doUpdateSet({ role: options.role }))
    .execute();
  await ctx.audit.record({
    action: 'organisation.membership_set',
    actor: options.actor.email,
    actorUserId: options.actor.id,
    subjectType: 'organisation',
    subjectId: options.organisationId,
    details: { userId: options.userId, role: options.role },
  });
}
