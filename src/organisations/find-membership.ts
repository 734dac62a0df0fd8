import type { AppContext } from '../platform/context.ts';

/**
 * The person's membership in the organisation, or undefined. Every organisation-scoped route
 * starts here, so a non-member is answered 404 whatever the organisation id.
 */
export function findMembership(ctx: Pick<AppContext, 'db'>, options: { organisationId: string; userId: string }) {
  return ctx.db
    .selectFrom('memberships')
    .innerJoin('organisations', 'organisations.id', 'memberships.organisation_id')
    .select(['organisations.id', 'organisations.name', 'organisations.kind', 'memberships.role'])
    .where('memberships.organisation_id', '=', options.organisationId)
    .where('memberships.user_id', '=', options.userId)
    .executeTakeFirst();
}

/** The organisations a person belongs to, by name. */
export function listMyOrganisations(ctx: Pick<AppContext, 'db'>, userId: string) {
  return ctx.db
    .selectFrom('memberships')
    .innerJoin('organisations', 'organisations.id', 'memberships.organisation_id')
    .select(['organisations.id', 'organisations.name', 'organisations.kind', 'memberships.role'])
    .where('memberships.user_id', '=', userId)
    .orderBy('organisations.name')
    .execute();
}
