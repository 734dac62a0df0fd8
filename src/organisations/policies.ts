import type { MembershipRole } from '../platform/db/schema.ts';

/** What each membership role may do inside its organisation's workspace. */
export const MEMBERSHIP_ABILITIES = {
  view: ['owner', 'editor', 'signatory', 'viewer'],
  edit: ['owner', 'editor'],
  /** Signing needs a second factor as well; see mustHaveSecondFactorToSign. */
  sign: ['owner', 'signatory'],
  manageMembers: ['owner'],
} as const satisfies Record<string, readonly MembershipRole[]>;

export type MembershipAbility = keyof typeof MEMBERSHIP_ABILITIES;

export const MEMBERSHIP_ROLES: readonly MembershipRole[] = ['owner', 'editor', 'signatory', 'viewer'];

/** Whether a membership role grants an ability. */
export function membershipAllows(role: MembershipRole, ability: MembershipAbility): boolean {
  return (MEMBERSHIP_ABILITIES[ability] as readonly MembershipRole[]).includes(role);
}

/** Signing binds an organisation: like publishing, it needs a verified second factor. */
export function mustHaveSecondFactor(ability: MembershipAbility): boolean {
  return ability === 'sign' || ability === 'manageMembers';
}
