import type { Config } from '../../config.ts';
import type { StaffRole } from '../db/schema.ts';
import type { SessionState } from './sessions.ts';

/** Staff roles whose actions (administer, publish, send) need a second factor. */
export const ROLES_NEEDING_SECOND_FACTOR: ReadonlySet<StaffRole> = new Set(['admin', 'publisher']);

/** Which staff roles may do each kind of staff action. Admins may do everything. */
export const STAFF_ABILITIES = {
  /** Reach the admin area at all. */
  enterAdmin: ['admin', 'editor', 'publisher'],
  /** Write and edit content. */
  edit: ['admin', 'editor', 'publisher'],
  /** Publish content and send mail to subscribers. */
  publish: ['admin', 'publisher'],
  /** Manage staff, settings, the dev mailbox and the audit log. */
  administer: ['admin'],
} as const satisfies Record<string, readonly StaffRole[]>;

export type StaffAbility = keyof typeof STAFF_ABILITIES;

/** Whether this ability needs the session to have passed a second factor. */
export function abilityNeedsSecondFactor(ability: StaffAbility): boolean {
  return ability === 'publish' || ability === 'administer';
}

/**
 * On a local demo an administrator may postpone enrolling a second factor; every admin page says
 * so. Anywhere else (production, or a public URL that is not localhost) nobody may.
 */
export function mayPostponeSecondFactor(config: Config, session: SessionState): boolean {
  return config.demo && session.user.staff_role === 'admin' && session.user.totp_enabled_at === null;
}

export type AbilityCheck = 'allowed' | 'sign-in' | 'forbidden' | 'second-factor';

/** Decides whether a session may use a staff ability. */
export function checkAbility(config: Config, session: SessionState | null, ability: StaffAbility): AbilityCheck {
  if (!session || session.awaitingSecondFactor) return 'sign-in';
  const role = session.user.staff_role;
  if (!role || !(STAFF_ABILITIES[ability] as readonly string[]).includes(role)) return 'forbidden';
  if (abilityNeedsSecondFactor(ability) && !session.secondFactorVerified && !mayPostponeSecondFactor(config, session)) {
    return 'second-factor';
  }
  return 'allowed';
}
